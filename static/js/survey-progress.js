// Shows how many questions of a survey have an answer, in the <progress> above the form.
(function () {
  "use strict";
  function answered(fieldset) {
    var inputs = fieldset.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }
  function update() {
    var form = document.querySelector("[data-survey-form]");
    var bar = document.querySelector("[data-survey-progress]");
    if (!form || !bar) {
      return;
    }
    var done = Array.prototype.filter.call(form.querySelectorAll("[data-question]"), answered).length;
    bar.value = done;
    bar.textContent = done + " of " + bar.max;
  }
  document.addEventListener("DOMContentLoaded", function () {
    update();
    document.addEventListener("input", update);
    document.addEventListener("change", update);
  });
})();
