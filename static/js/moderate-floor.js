// The floor: who speaks, their time and what the limits leave them; the queue in the order the
// policy hears it, each with why it is there (grant, reorder, remove); the standing policy, the
// limits and the projector's balance (the chair's); the live balance of who has been heard; adding
// a speaker who raised a hand without a phone.

import {
  $, categoryLabel, countdown, fillSelect, h, keyed, markDirty, mmss, setText, show, stanceLabel, syncValue, t,
  whoLabel,
} from "./client.js";
import { enteredNote, enteredSlot, showEntered } from "./moderate-entered.js";
import { liveCategories, livePeople, liveSides, policyHint, policyLabel, reasonLabel } from "./fair-floor.js";
import { showLimitsLeft } from "./limits-left.js";

const LIMITS = ["person_speeches", "person_seconds", "category_seconds", "side_seconds", "reply_seconds"];
const DEFAULT_REPLY_SECONDS = 60;

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

/** The limits form's inputs: minutes on the page for the totals, seconds on the wire. */
const limitInput = (name) => $(`#limit-${name}`);
const inMinutes = (input) => input.dataset.unit === "minutes";

function limitsFromForm() {
  const limits = {};
  for (const name of LIMITS) {
    const input = limitInput(name);
    const value = Number(input.value || 0);
    limits[name] = Math.round(inMinutes(input) ? value * 60 : value);
  }
  return limits;
}

function setupPolicy() {
  $("#policy-select").addEventListener("change", async (e) => {
    const select = e.currentTarget;
    const policy = select.value;
    const ack = await ctx.act("set_floor_policy", { policy }, { done: t("policy.set", { policy: policyLabel(policy) }) });
    if (!ack.ok && view) select.value = view.floor.policy;
  });
  $("#show-balance").addEventListener("change", async (e) => {
    const box = e.currentTarget;
    const ack = await ctx.act("set_floor_policy", { policy: view.floor.policy, show_balance: box.checked });
    if (!ack.ok && view) box.checked = view.floor.show_balance;
  });
  for (const name of LIMITS) markDirty(limitInput(name));
  $("#limits-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const ack = await ctx.act("set_floor_policy", { policy: view.floor.policy, limits: limitsFromForm() },
      { button: e.submitter, done: t("limits.saved") });
    if (ack.ok) for (const name of LIMITS) delete limitInput(name).dataset.dirty;
  });
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
  setupPolicy();
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
  // The running speech's time, counted into the limits and the balance between broadcasts.
  setInterval(() => {
    if (view?.speaker) {
      showLimitsLeft($("#speaker-limits"), view.speaker);
      renderBalance(view);
    }
  }, 1000);
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
  showLimitsLeft($("#speaker-limits"), v.speaker);
}


function renderQueue(v) {
  const last = v.queue.length - 1;
  keyed($("#mod-queue"), v.queue, (r) => r.id,
    (r) => h("li", { dataset: { request: r.id } },
      h("span", { class: "info" }, h("span", { class: "who" }), h("span", { class: "reason-tag" }),
        h("span", { class: "meta" }), enteredSlot()),
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
      // The reason says the kind for a point of order or a reply: the meta need not say it again.
      const shown = r.reason === r.kind ? { ...r, kind: "speech" } : r;
      setText(li.querySelector(".meta"), describe(v, shown));
      const tag = li.querySelector(".reason-tag");
      setText(tag, reasonLabel(r.reason));
      tag.hidden = !r.reason;
      li.dataset.reason = r.reason || "";
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

/** The standing policy, the limits and the projector's balance, as the meeting has them. */
function renderPolicy(v) {
  const floor = v.floor;
  const select = $("#policy-select");
  if (select.value !== floor.policy) select.value = floor.policy;
  setText($("#policy-hint"), policyHint(floor.policy));
  $("#show-balance").checked = Boolean(floor.show_balance);
  for (const name of LIMITS) {
    const input = limitInput(name);
    const seconds = floor.limits[name] ?? (name === "reply_seconds" ? DEFAULT_REPLY_SECONDS : 0);
    syncValue(input, String(inMinutes(input) ? Math.round((seconds / 60) * 100) / 100 : seconds));
  }
  const closed = v.status === "closed";
  for (const el of [select, $("#show-balance"), $("#limits-save"), $("#unheard-first")]) el.disabled = closed;
}

/** Who has been heard: per category present (those not yet heard stand out), per side, per person. */
function renderBalance(v) {
  const categories = liveCategories(v);
  keyed($("#balance-categories"), categories, (c) => c.key,
    () => h("tr", {}, h("th", { scope: "row" }, h("span", { class: "name" }), h("span", { class: "unheard-tag" })),
      h("td", { class: "speakers" }), h("td", { class: "speeches" }), h("td", { class: "seconds" }), h("td", { class: "waiting" })),
    (tr, c) => {
      tr.dataset.category = c.key;
      tr.classList.toggle("unheard", Boolean(c.unheard));
      setText(tr.querySelector(".name"), categoryLabel(v, c.key));
      const tag = tr.querySelector(".unheard-tag");
      setText(tag, t("balance.unheard"));
      tag.hidden = !c.unheard;
      setText(tr.querySelector(".speakers"), t("balance.of", { n: c.speakers, of: c.present }));
      setText(tr.querySelector(".speeches"), c.speeches);
      setText(tr.querySelector(".seconds"), mmss(c.seconds));
      setText(tr.querySelector(".waiting"), c.waiting);
    });
  show($("#balance-empty"), categories.length === 0);
  const sides = liveSides(v);
  setText($("#balance-sides"), t("balance.sides", { for: mmss(sides.for), against: mmss(sides.against) }));
  const people = livePeople(v);
  show($("#balance-people-box"), people.length > 0);
  keyed($("#balance-people"), people, (p) => p.id,
    () => h("tr", {},
      h("th", { scope: "row" }, h("span", { class: "name" }), h("span", { class: "unheard-tag" }), h("span", { class: "category" })),
      h("td", { class: "speeches" }), h("td", { class: "seconds" }), h("td", { class: "waiting" })),
    (tr, p) => {
      tr.dataset.person = p.id;
      tr.classList.toggle("unheard", !p.speeches);
      setText(tr.querySelector(".name"), p.name);
      const tag = tr.querySelector(".unheard-tag");
      setText(tag, t("balance.unheard"));
      tag.hidden = Boolean(p.speeches);
      setText(tr.querySelector(".category"), categoryLabel(v, p.category));
      setText(tr.querySelector(".speeches"), p.speeches);
      setText(tr.querySelector(".seconds"), mmss(p.seconds));
      setText(tr.querySelector(".waiting"), p.waiting ? t("balance.is_waiting") : "");
    });
  setText($("#balance-moves"), v.moves ? t("balance.moves", { n: v.moves }) : "");
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
  renderPolicy(v);
  renderBalance(v);
  renderAddSpeaker(v);
}
