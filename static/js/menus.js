// Dropdown menus are <details data-menu> and work without this file; it only closes an open menu
// when another opens, on a click elsewhere, or on Escape (returning focus to its button).
(function () {
  "use strict";
  function menus() {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-menu][open]"));
  }
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    menus().forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) {
        summary.focus();
      }
    });
  });
})();
