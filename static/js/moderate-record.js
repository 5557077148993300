// The record being written during the meeting: a summary of each speech (the recorder's job),
// written opinions to approve for the wall or hide, and objections with their explanations.

import {
  $, categoryLabel, h, itemLabel, keyed, markDirty, mmss, setText, stanceLabel, syncValue, t,
} from "./client.js";
import { enteredSlot, showEntered } from "./moderate-entered.js";
import { overLabel } from "./fair-floor.js";

let ctx;

export function setup(c) {
  ctx = c;
}

/** A text box with a save button whose typed text survives broadcasts until it is saved. */
function editor(className, rows, onSave) {
  const box = h("textarea", { class: className, rows, maxlength: 2000 });
  markDirty(box);
  const save = h("button", { type: "button", class: "save" });
  save.addEventListener("click", async () => {
    const ack = await onSave(box.value.trim(), save);
    if (ack.ok) delete box.dataset.dirty;
  });
  return [box, save];
}

function renderSpeeches(v) {
  keyed($("#speeches"), v.speeches.slice().reverse(), (s) => s.id,
    (s) => h("li", { dataset: { speech: s.id } },
      h("p", { class: "head" }), h("p", { class: "meta" }, h("span", { class: "what" }), enteredSlot()),
      ...editor("summary", 2, (summary, button) =>
        ctx.act("summarise_speech", { speech_id: s.id, summary }, { button, done: t("speeches.saved") }))),
    (li, s) => {
      setText(li.querySelector(".head"), `${s.who.name} · ${categoryLabel(v, s.who.category)} · ${stanceLabel(s.stance)}`);
      const time = s.ended_at ? mmss(s.ended_at - s.started_at) : t("speeches.speaking");
      // Limits a speech passed are flagged for the record (nothing was cut off).
      setText(li.querySelector(".meta .what"), [itemLabel(v, s.item), time, overLabel(s.over, s.stance)].filter(Boolean).join(" · "));
      li.classList.toggle("over", Boolean(s.over?.length));
      showEntered(li.querySelector(".entered"), s);
      const box = li.querySelector(".summary");
      box.placeholder = t("speeches.placeholder");
      syncValue(box, s.summary);
      li.classList.toggle("done", Boolean(s.summary));
      setText(li.querySelector(".save"), t("speeches.save"));
    });
}

function opinionStatus(visible) {
  if (visible === true) return t("opinion.approved");
  if (visible === false) return t("opinion.hidden");
  return t("opinion.pending");
}

function renderOpinions(v) {
  keyed($("#opinions"), v.all_opinions.slice().reverse(), (o) => o.id,
    (o) => h("li", { dataset: { opinion: o.id } },
      h("p", { class: "text" }), h("p", { class: "meta" }, h("span", { class: "what" }), enteredSlot()),
      h("span", { class: "buttons" },
        h("button", { type: "button", class: "approve", onclick: (e) => ctx.act("moderate_opinion", { opinion_id: o.id, visible: true }, { button: e.currentTarget }) }),
        h("button", { type: "button", class: "hide quiet", onclick: (e) => ctx.act("moderate_opinion", { opinion_id: o.id, visible: false }, { button: e.currentTarget }) }))),
    (li, o) => {
      setText(li.querySelector(".text"), o.text);
      setText(li.querySelector(".meta .what"), `${o.who.name} · ${categoryLabel(v, o.who.category)} · ${opinionStatus(o.visible)}`);
      showEntered(li.querySelector(".entered"), o);
      li.dataset.visible = String(o.visible);
      setText(li.querySelector(".approve"), t("opinion.approve"));
      setText(li.querySelector(".hide"), t("opinion.hide"));
      li.querySelector(".approve").disabled = o.visible === true;
      li.querySelector(".hide").disabled = o.visible === false;
    });
  if (!v.all_opinions.length) $("#opinions").replaceChildren(h("li", { class: "none", text: t("opinions.none") }));
}

function responseText(o) {
  const last = o.responses.at(-1);
  if (!last) return o.explanations.length ? t("objection.awaiting_answer") : t("objection.waiting");
  const word = last.response === "answered" ? t("response.answered") : t("response.still_objects");
  return last.comment ? `${word}: ${last.comment}` : word;
}

function renderObjections(v) {
  keyed($("#objections"), v.objections.slice().reverse(), (o) => o.id,
    (o) => h("li", { dataset: { objection: o.id } },
      h("p", { class: "meta" }, h("span", { class: "what" }), enteredSlot()), h("p", { class: "reason" }),
      h("ul", { class: "explanations" }),
      h("p", { class: "response" }, h("span", { class: "what" }), enteredSlot()),
      h("div", { class: "answer buttons" },
        h("span", { class: "answer-label meta" }),
        h("button", { type: "button", class: "answered quiet", onclick: answerFor(o, "answered") }),
        h("button", { type: "button", class: "still quiet", onclick: answerFor(o, "still_objects") })),
      h("input", { class: "by", maxlength: 40 }),
      ...editor("explanation", 2, (text, button) =>
        ctx.act("give_explanation", { objection_id: o.id, text, ...(byOf(button) ? { by: byOf(button) } : {}) },
          { button, done: t("objection.explained") }).then((ack) => {
          if (ack.ok) button.parentElement.querySelector(".explanation").value = "";
          return ack;
        }))),
    (li, o) => {
      setText(li.querySelector(".meta .what"), `${o.who.name} · ${categoryLabel(v, o.who.category)} · ${itemLabel(v, o.item)}`);
      showEntered(li.querySelector(".meta .entered"), o);
      setText(li.querySelector(".reason"), o.reason);
      li.querySelector(".explanations").replaceChildren(...o.explanations.map((x) =>
        h("li", {}, h("strong", { text: x.by ? t("objection.explained_by", { by: x.by }) : t("objection.explanation") }), " ",
          h("span", { class: "text", text: x.text }))));
      const response = li.querySelector(".response");
      response.dataset.response = o.response;
      setText(response.querySelector(".what"), responseText(o));
      showEntered(response.querySelector(".entered"), o.responses.at(-1));
      li.classList.toggle("open", v.open_objections.includes(o.id));
      li.querySelector(".answer").hidden = !o.explanations.length;
      setText(li.querySelector(".answer-label"), t("objection.answer_for"));
      setText(li.querySelector(".answered"), t("response.answered"));
      setText(li.querySelector(".still"), t("response.still_objects"));
      li.querySelector(".by").placeholder = t("objection.by");
      li.querySelector(".explanation").placeholder = t("objection.explain_placeholder");
      setText(li.querySelector(".save"), t("objection.explain"));
    });
  if (!v.objections.length) $("#objections").replaceChildren(h("li", { class: "none", text: t("objections.none") }));
}

/** The objector's word, for someone who answers out loud rather than on a phone. */
function answerFor(o, response) {
  return (e) => ctx.act("answer_objection", { objection_id: o.id, response, participant_id: o.who.id },
    { button: e.currentTarget, done: t("objection.answer_sent") });
}

function byOf(button) {
  return button.parentElement.querySelector(".by").value.trim();
}

export function render(v) {
  renderSpeeches(v);
  renderOpinions(v);
  renderObjections(v);
}
