// Draws every chart on the page from data the server wrote with json_script (no inline script,
// so the Content-Security-Policy stays strict). Markup:
//   <canvas data-chart="some-id" aria-describedby="some-id-table"></canvas>
//   {{ chart_config|json_script:"some-id" }}   — a Chart.js config: {type, data, options}
// The figures are also in an HTML table next to each chart (the accessible, printable copy).
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) {
        return;
      }
      var config = JSON.parse(source.textContent);
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
      new window.Chart(canvas, config);
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
