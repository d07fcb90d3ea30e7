// Survey logic (issue #22): with JavaScript the whole form is one page and a follow-up shows
// as soon as the answer it depends on meets its condition (data-show-if / data-op /
// data-value on the question). A question not shown has its inputs disabled, so nothing of it
// is sent; the server checks the same conditions (survey/logic.py) and drops what is hidden.
// Without JavaScript the server shows the form in steps instead.
(function () {
  var form = document.querySelector("form.survey-form");
  var step = form && form.querySelector("input[name=step]");
  if (!step || step.value !== "1") return; // a later step of the step-by-step flow: as served
  step.value = "0"; // the whole form in one post (survey/logic.py WHOLE_FORM)
  var button = form.querySelector("button.submit[data-send]");
  if (button) button.textContent = button.getAttribute("data-send");
  var units = Array.prototype.slice.call(form.querySelectorAll("[data-later], [data-show-if]"));
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  form.appendChild(live);

  function answer(name) {
    var given = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.disabled) return;
      var on = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
      if (on) given.push(el.value);
    });
    return given;
  }

  function meets(unit) {
    var name = unit.getAttribute("data-show-if");
    if (!name) return true;
    var given = answer(name);
    if (!given.length) return false;
    var op = unit.getAttribute("data-op");
    var wanted = unit.getAttribute("data-value");
    if (op === "in") {
      var ids = wanted.split(" ");
      return given.some(function (v) { return ids.indexOf(v) >= 0; });
    }
    var n = parseInt(given[0], 10);
    var k = parseInt(wanted, 10);
    return op === "le" ? n <= k : op === "ge" ? n >= k : op === "eq" && n === k;
  }

  function update(announce) {
    var revealed = 0;
    units.forEach(function (unit) { // in page order: a chain sees its source's state first
      var show = meets(unit);
      if (show && unit.hidden && unit.hasAttribute("data-show-if")) revealed += 1;
      unit.hidden = !show;
      unit.querySelectorAll("input, textarea, select").forEach(function (el) {
        el.disabled = !show;
      });
    });
    if (announce && revealed) live.textContent = step.getAttribute("data-revealed");
  }

  form.addEventListener("change", function () { update(true); });
  update(false);
})();
