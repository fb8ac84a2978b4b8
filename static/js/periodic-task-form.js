/* The periodic task admin form (django-celery-beat): the chosen crontab in words under its field.
   It replaces the package's inline script, which the Content-Security-Policy blocks. */
"use strict";
(function () {
  const data = document.getElementById("readable-crontabs");
  const select = document.getElementById("id_crontab");
  if (!data || !select) {
    return;
  }
  const readable = JSON.parse(data.textContent);
  const help = document.querySelector(".field-crontab .help");
  const original = help ? help.textContent : "";
  document.querySelectorAll(".field-crontab_translation").forEach((row) => {
    row.style.display = "none";
  });
  select.addEventListener("change", () => {
    if (help) {
      help.textContent = original;
      help.append(document.createElement("br"), `Translation: ${readable[select.value] || ""}`);
    }
  });
})();
