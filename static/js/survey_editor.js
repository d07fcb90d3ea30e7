// Survey editor: ↑ ↓ buttons move a question and renumber the position fields.
// Without JavaScript the position numbers do the same on save.
(function () {
  var list = document.querySelector(".q-rows");
  if (!list) return;
  function renumber() {
    list.querySelectorAll(":scope > li").forEach(function (li, i) {
      var pos = li.querySelector("input[name$='-position']");
      if (pos) pos.value = i + 1;
    });
  }
  list.querySelectorAll(":scope > li").forEach(function (li) {
    var checks = li.querySelector(".q-checks");
    var box = document.createElement("span");
    box.className = "q-move";
    [["↑", -1, list.dataset.up], ["↓", 1, list.dataset.down]].forEach(function (spec) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button";
      b.textContent = spec[0];
      b.setAttribute("aria-label", spec[2]);
      b.addEventListener("click", function () {
        var other = spec[1] < 0 ? li.previousElementSibling : li.nextElementSibling;
        if (!other) return;
        list.insertBefore(spec[1] < 0 ? li : other, spec[1] < 0 ? other : li);
        renumber();
        b.focus();
      });
      box.appendChild(b);
    });
    checks.appendChild(box);
  });
})();
