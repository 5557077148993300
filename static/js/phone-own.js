// The phone's own written opinions and objections, with the organisers' explanations and the
// objector's answer. Answering stays possible after the meeting has closed.

import { $, act, h, itemLabel, keyed, setText, show, t } from "./client.js";

let ctx;

export function setupOwn(c) {
  ctx = c;
  $("#opinion-send").addEventListener("click", async (e) => {
    const text = $("#opinion-text");
    const ack = await act(ctx.live, "submit_opinion", { text: text.value.trim() },
      { button: e.currentTarget, done: t("opinion.sent") });
    if (ack.ok) text.value = "";
  });
  $("#objection-send").addEventListener("click", async (e) => {
    const reason = $("#objection-reason");
    const ack = await act(ctx.live, "raise_objection", { reason: reason.value.trim() },
      { button: e.currentTarget, done: t("objection.sent") });
    if (ack.ok) reason.value = "";
  });
}

function opinionStatus(visible) {
  if (visible === true) return t("opinion.approved");
  if (visible === false) return t("opinion.hidden");
  return t("opinion.pending");
}

function responseLabel(response) {
  if (response === "answered") return t("response.answered");
  if (response === "still_objects") return t("response.still_objects");
  return t("response.none");
}

function objectionNode() {
  const comment = h("input", { class: "comment", maxlength: 2000 });
  const answer = (response) => async (e) => {
    const li = e.currentTarget.closest("li");
    const ack = await act(ctx.live, "answer_objection",
      { objection_id: li.dataset.key, response, comment: comment.value.trim() },
      { button: e.currentTarget, done: t("objection.answer_sent") });
    if (ack.ok) comment.value = "";
  };
  return h("li", { class: "objection" },
    h("p", { class: "item" }), h("p", { class: "reason" }), h("ul", { class: "explanations" }),
    h("div", { class: "answer" },
      h("p", { class: "hint" }),
      h("label", {}, h("span", { class: "comment-label" }), comment),
      h("div", { class: "grid2" },
        h("button", { type: "button", class: "big answered", onclick: answer("answered") }),
        h("button", { type: "button", class: "big still", onclick: answer("still_objects") }))),
    h("p", { class: "response status" }));
}

function updateObjection(view, li, o) {
  li.dataset.objection = o.id;
  setText(li.querySelector(".item"), itemLabel(view, o.item));
  setText(li.querySelector(".reason"), o.reason);
  const explained = o.explanations.length > 0;
  const list = li.querySelector(".explanations");
  list.replaceChildren(...o.explanations.map((x) =>
    h("li", {}, h("strong", { text: x.by ? t("objection.explained_by", { by: x.by }) : t("objection.explanation") }),
      " ", h("span", { class: "text", text: x.text }))));
  if (!explained) list.append(h("li", { class: "waiting", text: t("objection.waiting") }));
  show(li.querySelector(".answer"), explained);
  setText(li.querySelector(".answer .hint"), t("objection.answer_hint"));
  setText(li.querySelector(".comment-label"), t("objection.comment"));
  setText(li.querySelector(".answered"), t("response.answered"));
  setText(li.querySelector(".still"), t("response.still_objects"));
  const response = li.querySelector(".response");
  response.dataset.response = o.response;
  show(response, explained);
  setText(response, t("objection.your_answer", { answer: responseLabel(o.response) }));
}

export function renderOwn(view, me) {
  const open = view.status !== "closed";
  show($("#opinion-form"), open);
  show($("#opinion"), open || me.opinions.length > 0);
  show($("#objection-form"), open);
  show($("#objection"), open || me.objections.length > 0);
  keyed($("#my-opinions"), me.opinions.slice().reverse(), (o) => o.id,
    () => h("li", {}, h("span", { class: "text" }), h("span", { class: "status" })),
    (li, o) => {
      setText(li.firstChild, o.text);
      li.lastChild.dataset.visible = String(o.visible);
      setText(li.lastChild, opinionStatus(o.visible));
    });
  keyed($("#my-objections"), me.objections.slice().reverse(), (o) => o.id, objectionNode,
    (li, o) => updateObjection(view, li, o));
}
