// The floor: who speaks and their time, the queue (grant, reorder, remove, unheard first) and
// adding a speaker who raised a hand without a phone.

import {
  $, categoryLabel, countdown, fillSelect, h, keyed, setText, stanceLabel, t, whoLabel,
} from "./client.js";
import { enteredNote, enteredSlot, showEntered } from "./moderate-entered.js";

let ctx;
let view = null;

function describe(v, r) {
  const kind = r.kind && r.kind !== "speech" ? ` · ${t(`kind.${r.kind}`)}` : "";
  return `${categoryLabel(v, r.who.category)} · ${stanceLabel(r.stance)}${kind}`;
}

/** Move a request one place up (-1) or down (+1), sent as the whole new order. */
function move(requestId, by) {
  const order = view.queue.map((r) => r.id);
  const i = order.indexOf(requestId);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return;
  [order[i], order[j]] = [order[j], order[i]];
  ctx.act("reorder_queue", { order });
}

export function setup(c) {
  ctx = c;
  const simple = (id, event, data = {}) =>
    $(id).addEventListener("click", (e) => ctx.act(event, data, { button: e.currentTarget }));
  simple("#end-speech", "end_speech");
  simple("#pause", "pause_timer");
  simple("#resume", "resume_timer");
  simple("#extend", "extend_timer", { seconds: 60 });
  simple("#grant-next", "grant_floor");
  simple("#unheard-first", "unheard_first");
  $("#speaker-participant").addEventListener("change", (e) => {
    const isNew = !e.target.value;
    $("#speaker-new-name").hidden = !isNew;
    $("#speaker-category").hidden = !isNew;
  });
  $("#add-speaker").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const stance = f.stance.value;
    const data = f.participant.value
      ? { participant_id: f.participant.value, stance }
      : { name: f.name.value.trim(), category: f.category.value, stance };
    const ack = await ctx.act("add_speaker", data, { button: e.submitter, done: t("floor.added") });
    if (ack.ok) f.name.value = "";
  });
}

function renderSpeaker(v) {
  const s = v.speaker;
  setText($("#speaker-name"), s ? s.who.name : t("floor.nobody"));
  setText($("#speaker-meta"), s ? [describe(v, s), enteredNote(s)].filter(Boolean).join(" · ") : "");
  countdown($("#countdown"), s);
  const open = v.status !== "closed";
  $("#end-speech").disabled = !s || !open;
  $("#pause").disabled = !s || s.ends_at == null || !open;
  $("#resume").disabled = !s || s.ends_at != null || !open;
  $("#extend").disabled = !s || !open;
}

function renderQueue(v) {
  const last = v.queue.length - 1;
  keyed($("#mod-queue"), v.queue, (r) => r.id,
    (r) => h("li", { dataset: { request: r.id } },
      h("span", { class: "info" }, h("span", { class: "who" }), h("span", { class: "meta" }), enteredSlot()),
      h("span", { class: "buttons" },
        h("button", { type: "button", class: "grant primary", onclick: (e) => ctx.act("grant_floor", { request_id: r.id }, { button: e.currentTarget }) }),
        h("button", { type: "button", class: "up quiet", text: "↑", onclick: () => move(r.id, -1) }),
        h("button", { type: "button", class: "down quiet", text: "↓", onclick: () => move(r.id, +1) }),
        h("button", { type: "button", class: "remove danger", onclick: (e) => {
          if (confirm(t("queue.confirm_remove", { name: r.who.name }))) ctx.act("remove_request", { request_id: r.id }, { button: e.currentTarget });
        } }))),
    (li, r) => {
      const i = v.queue.indexOf(r);
      setText(li.querySelector(".who"), r.who.name);
      setText(li.querySelector(".meta"), describe(v, r));
      showEntered(li.querySelector(".entered"), r);
      setText(li.querySelector(".grant"), t("floor.grant"));
      setText(li.querySelector(".remove"), t("floor.remove"));
      li.querySelector(".up").setAttribute("aria-label", t("floor.up"));
      li.querySelector(".down").setAttribute("aria-label", t("floor.down"));
      li.querySelector(".up").disabled = i === 0;
      li.querySelector(".down").disabled = i === last;
    });
  $("#grant-next").disabled = !v.queue.length || v.status === "closed";
}

function renderAddSpeaker(v) {
  const waiting = new Set(v.queue.map((r) => r.who.id));
  fillSelect($("#speaker-participant"), [
    { value: "", text: t("floor.new_person") },
    ...v.participants.filter((p) => !waiting.has(p.id)).map((p) => ({ value: p.id, text: whoLabel(v, p) })),
  ]);
  fillSelect($("#speaker-category"), [
    { value: "", text: t("checkin.choose_category") },
    ...v.categories.map((c) => ({ value: c.key, text: categoryLabel(v, c.key) })),
  ]);
  const isNew = !$("#speaker-participant").value;
  $("#speaker-new-name").hidden = !isNew;
  $("#speaker-category").hidden = !isNew;
}

export function render(v) {
  view = v;
  renderSpeaker(v);
  renderQueue(v);
  renderAddSpeaker(v);
}
