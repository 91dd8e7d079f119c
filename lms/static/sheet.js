// The answer sheet, enhanced where JavaScript runs: a live count of answered questions, an inline
// summary before submitting with questions unanswered, and a copy of the answers in this browser
// (localStorage, per attempt) until the attempt is graded. Without it the server does all three.
(() => {
  "use strict";
  const store = (action, key, value) => {
    try { return localStorage[action](key, value); } catch (e) { return null; }  // private modes refuse storage
  };
  const graded = document.querySelector("[data-graded-attempt]");
  if (graded) { store("removeItem", "sheet-" + graded.dataset.gradedAttempt); return; }
  const form = document.getElementById("sheet");
  if (!form) return;
  const key = "sheet-" + form.dataset.attempt;
  const questions = [...form.querySelectorAll("fieldset.question")];
  const count = form.querySelector("[data-answered]");
  const summary = document.getElementById("sheet-summary");
  const fields = () => [...form.elements].filter((el) => /^q\d+(-\d+)?$/.test(el.name));
  const given = (el) => (el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "");
  const missing = () => questions.filter((q) => ![...q.querySelectorAll("input, select, textarea")].some(given));

  const el = (tag, text, attrs) => Object.assign(document.createElement(tag), { textContent: text }, attrs);
  function showSummary(left) {
    const list = el("ul");
    for (const q of left) {
      const item = el("li");
      item.append(el("a", "Question " + (questions.indexOf(q) + 1), { href: "#" + q.id }));
      list.append(item);
    }
    const send = el("button", `Submit with ${left.length} unanswered`, { type: "button", className: "button secondary" });
    send.addEventListener("click", () => {
      form.append(el("input", "", { type: "hidden", name: "confirm", value: "yes" }));
      HTMLFormElement.prototype.submit.call(form);  // form.submit is the button named "submit"
    });
    const verb = left.length === 1 ? "is" : "are";
    const text = `${left.length} of ${questions.length} questions ${verb} unanswered. Nothing is graded yet.`;
    summary.replaceChildren(el("p", text), list, send);
    summary.hidden = false;
  }
  function update() {
    const left = missing();
    count.textContent = questions.length - left.length;
    if (!summary.hidden) { if (left.length) showSummary(left); else summary.hidden = true; }
    const answers = fields().filter(given).map((f) => [f.name, f.value]);
    store("setItem", key, JSON.stringify(answers));
  }
  function restore() {
    let saved = [];
    try { saved = JSON.parse(store("getItem", key) || "[]"); } catch (e) { return; }
    for (const [name, value] of saved) {
      for (const f of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (f.type === "radio" || f.type === "checkbox") { if (f.value === value) f.checked = true; } else f.value = value;
      }
    }
  }
  if (count.textContent === "0") restore();  // answers the server re-shows win over the browser's copy
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => {
    const left = missing();
    if (!left.length) return;
    event.preventDefault();
    showSummary(left);
    summary.focus();
  });
  update();
})();
