// Draws every plotly figure on the page from its JSON data block (no inline script: CSP-friendly).
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = Object.assign({}, figure.layout || {}, { autosize: true });
      delete layout.width;
      ["xaxis", "yaxis"].forEach(function (axis) {
        layout[axis] = Object.assign({ automargin: true }, layout[axis] || {});
      });
      Plotly.newPlot(el, figure.data || [], layout, { responsive: true, displaylogo: false });
    });
  }
  // Submit the month selector when the month changes (the button stays for no-JS use).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
