// Copy buttons: <button data-copy="input-id"> copies that field's value and says so for a moment.
// Without JavaScript the field stays selectable (readonly), and the button does nothing.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    var label = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-copied-label") || "Copied";
      window.setTimeout(function () {
        button.textContent = label;
      }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      field.select();
      document.execCommand("copy");
      done();
    }
  });
})();
