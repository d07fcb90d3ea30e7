/* The survey form with JavaScript: answers kept in this browser until sent, restored after a
   reload (WeChat reloads a page after an app switch); required answers checked before sending
   with focus moved to the first one missing; the progress bar kept current. Without this file
   the form works the same, checked by the server. Only the answers are stored, under a hash
   of the link's path (never the link itself), and removed once the answers are received. */
(function () {
  "use strict";

  function hash(text) {  /* 53-bit FNV-style hash: a key, not a secret */
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }

  function storeKey(path) {
    return "survey-answers:" + hash(path.replace(/\/(thanks|opt-out)$/, ""));
  }

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem("survey-probe", "1");
    storage.removeItem("survey-probe");
  } catch (e) {
    storage = null;
  }
  var key = storeKey(window.location.pathname);

  if (document.body.hasAttribute("data-survey-done")) {
    if (storage) storage.removeItem(key);
    return;
  }
  var form = document.getElementById("survey-form");
  if (!form) return;

  function answerFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("q-") === 0;
    });
  }

  function collect() {
    var fields = {};
    answerFields().forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (!el.value.trim()) return;
      (fields[el.name] = fields[el.name] || []).push(el.value);
    });
    return fields;
  }

  function save() {
    if (!storage) return;
    try {
      storage.setItem(key, JSON.stringify({ saved: Date.now(), fields: collect() }));
    } catch (e) { /* storage full or refused: the server-side draft still works */ }
  }

  function restore() {
    if (!storage) return;
    var kept;
    try { kept = JSON.parse(storage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (!kept || !kept.fields) return;
    answerFields().forEach(function (el) {
      var values = kept.fields[el.name];
      if (!values) return;
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (values.length) {
        el.value = values[0];
      }
    });
    // follow-up questions (survey_logic.js) look again at the restored answers
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function questions() {
    return Array.prototype.filter.call(form.querySelectorAll(".question"), function (q) {
      return !q.hidden && q.offsetParent !== null && q.querySelector("[name^='q-']") !== null;
    });
  }

  function isAnswered(q) {
    return Array.prototype.some.call(q.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "radio" || el.type === "checkbox") return el.checked;
      return el.value.trim() !== "";
    });
  }

  function progress() {
    var shown = questions(), done = shown.filter(isAnswered).length;
    var bar = document.getElementById("progress"), text = document.getElementById("progress-text");
    if (bar && (bar.max !== shown.length || bar.value !== done)) {
      bar.max = shown.length;
      bar.value = done;
    }
    var line = (form.dataset.msgProgress || "").replace("{n}", done).replace("{total}", shown.length);
    if (text && line && text.textContent !== line) text.textContent = line;
  }

  function clearError(q) {
    var own = q.querySelector(".field-error.js-error");
    if (own) own.remove();
    if (!q.querySelector(".field-error")) {
      q.classList.remove("has-error");
      q.removeAttribute("aria-invalid");
    }
  }

  function flag(q) {
    if (q.querySelector(".field-error")) { q.classList.add("has-error"); return; }
    var name = (q.querySelector("[name^='q-']") || {}).name || "q";
    var msg = document.createElement("p");
    msg.className = "field-error js-error";
    msg.id = name + "-error";
    msg.textContent = form.dataset.msgRequired;
    var after = q.querySelector("legend, label.qtext");
    if (after && after.nextSibling) q.insertBefore(msg, after.nextSibling); else q.appendChild(msg);
    q.classList.add("has-error");
    if (q.tagName === "FIELDSET") {
      q.setAttribute("aria-invalid", "true");
      q.setAttribute("aria-describedby", msg.id);
    } else {
      var box = q.querySelector("textarea, input");
      if (box) box.setAttribute("aria-describedby", (box.getAttribute("aria-describedby") || "") + " " + msg.id);
    }
  }

  form.addEventListener("submit", function (event) {
    var by = event.submitter;
    save();
    if (by && (by.name === "language" || (by.name === "intent" && by.value === "save"))) return;
    var missing = questions().filter(function (q) {
      var required = q.querySelector(".req") !== null;
      if (!required || isAnswered(q)) { clearError(q); return false; }
      return true;
    });
    if (!missing.length) return;
    event.preventDefault();
    missing.forEach(flag);
    var first = missing[0];
    var target = first.querySelector("input:checked") || first.querySelector("input, textarea, select");
    first.scrollIntoView({ block: "start" });
    if (target) target.focus({ preventScroll: true });
  });

  form.addEventListener("change", function (event) {  /* progress follows "input" only: */
    var q = event.target.closest(".question");  /* redrawn on a textarea's change (its blur) */
    if (q && isAnswered(q)) clearError(q);  /* it moved the page under a pressed button */
    save();
  });
  form.addEventListener("input", function () { save(); progress(); });

  var given = answerFields().some(function (el) {
    return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "";
  });
  if (given) save(); else restore();
  progress();
})();
