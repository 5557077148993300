// The agenda (open an item) and each item's outcome: consensus, partial, none (put to the
// residents' assembly) or deferred, the consultation opinion and its action items.

import { $, h, keyed, outcomeLabel, setText, fillSelect, t } from "./client.js";

let ctx;
let view = null;
let chosenItem = null; // the item the outcome form is for, once the moderator picked one

function actionRow(action = {}) {
  const row = h("div", { class: "action-row" },
    h("input", { name: "what", maxlength: 200, value: action.what || "", placeholder: t("outcome.what") }),
    h("input", { name: "owner", maxlength: 40, value: action.owner || "", placeholder: t("outcome.owner") }),
    h("input", { name: "due", maxlength: 40, value: action.due || "", placeholder: t("outcome.due") }),
    h("button", { type: "button", class: "quiet", text: "×", "aria-label": t("outcome.remove_action"),
      onclick: () => row.remove() }));
  return row;
}

/** Put an item's recorded outcome (if any) into the form, to be corrected and recorded again. */
function prefill(index) {
  const outcome = view?.agenda[index]?.outcome;
  $("#outcome-kind").value = outcome?.outcome || "consensus";
  $("#outcome-opinion").value = outcome?.opinion || "";
  $("#actions").replaceChildren(...(outcome?.actions || []).map(actionRow));
}

export function setup(c) {
  ctx = c;
  // 临时动议: an item the chair puts on the agenda during the meeting; it goes last
  $("#add-item-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const ack = await ctx.act("add_item", { title: f.title.value.trim(), background: f.background.value.trim(),
      reason: f.reason.value.trim() }, { button: e.submitter, done: t("agenda.added") });
    if (ack?.ok) {
      e.target.reset();
      $("#add-item").open = false;
    }
  });
  $("#add-action").addEventListener("click", () => $("#actions").append(actionRow()));
  $("#outcome-item").addEventListener("change", (e) => {
    chosenItem = Number(e.target.value);
    prefill(chosenItem);
  });
  $("#outcome-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const actions = [...$("#actions").children]
      .map((row) => ({ what: row.children[0].value.trim(), owner: row.children[1].value.trim(), due: row.children[2].value.trim() }))
      .filter((a) => a.what);
    ctx.act("record_outcome", {
      item: Number($("#outcome-item").value), outcome: $("#outcome-kind").value,
      opinion: $("#outcome-opinion").value.trim(), actions,
    }, { button: e.submitter, done: t("outcome.recorded") });
  });
}

export function render(v) {
  const first = view === null;
  view = v;
  keyed($("#agenda"), v.agenda.map((item, index) => ({ ...item, index })), (i) => i.index,
    (i) => h("li", {},
      h("div", { class: "title" }), h("p", { class: "outcome meta" }),
      h("button", { type: "button", class: "open", dataset: { item: i.index },
        onclick: (e) => ctx.act("open_item", { item: i.index }, { button: e.currentTarget }) })),
    (li, i) => {
      const current = v.current_item === i.index;
      li.classList.toggle("current", current);
      setText(li.querySelector(".title"), `${i.index + 1}. ${i.title}${i.added ? `（${t("agenda.added_badge")}）` : ""}`);
      setText(li.querySelector(".outcome"), i.outcome ? outcomeLabel(i.outcome.outcome) : "");
      const button = li.querySelector("button.open");
      setText(button, current ? t("agenda.current") : t("agenda.open"));
      button.disabled = current || v.status === "closed";
    });
  $("#add-item").hidden = v.status === "closed";
  fillSelect($("#outcome-item"), v.agenda.map((item, i) => ({ value: String(i), text: `${i + 1}. ${item.title}` })));
  // follow the current item until the moderator picks another
  const item = chosenItem ?? v.current_item ?? 0;
  if ($("#outcome-item").value !== String(item)) {
    $("#outcome-item").value = String(item);
    prefill(item);
  } else if (first) prefill(item);
}
