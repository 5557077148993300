// Checking people in on their behalf (from the invited list or by name), and who is here; the
// desk confirms or refuses walk-ins held because their name is someone else's, takes back a wrong
// check-in and merges two check-ins of one person, each with a reason the record keeps.

import { $, categoryLabel, fillSelect, h, keyed, renderQuorum, setText, t } from "./client.js";
import { enteredSlot, showEntered } from "./moderate-entered.js";

let ctx;

function walkIn() {
  return !$("#checkin-invitee").value;
}

function toggleWalkIn() {
  for (const id of ["#checkin-name", "#checkin-category", "#checkin-role"]) $(id).hidden = !walkIn();
}

// Past this many invitees the desk finds people by searching, not in a list rebuilt with every change.
const LISTED_UP_TO = 200;
const FOUND_AT_MOST = 12;

/** A name as the server compares names (facilitation/texts.name_key): full-width folded, no spaces
 * nor middle dots, case folded. */
const nameKey = (name) => name.normalize("NFKC").toLowerCase().replace(/[\s·・.]/g, "");

function renderSearch(v) {
  const needle = nameKey($("#desk-search").value || "");
  // by name, household code (户号) or flat (3号楼1单元101)
  const found = needle ? v.roster.filter((r) => !r.checked_in && [r.name, r.household, r.flat]
    .some((x) => x && nameKey(x).includes(needle))).slice(0, FOUND_AT_MOST) : [];
  keyed($("#desk-results"), found, (r) => r.index, (r) => {
    const button = h("button", { type: "button", class: "found" });
    button.addEventListener("click", async (e) => {
      const ack = await ctx.act("check_in", { invitee: Number(e.currentTarget.dataset.invitee) },
        { button: e.currentTarget, done: t("checkin.done") });
      if (ack.ok) $("#desk-search").value = "";
    });
    return h("li", {}, button);
  }, (li, r) => {
    const button = li.firstChild;
    button.dataset.invitee = String(r.index);
    const where = [r.household, r.flat].filter(Boolean).join(" · ");
    setText(button, `${r.name} · ${where || categoryLabel(v, r.category)}`);
  });
  $("#desk-none").hidden = !needle || found.length > 0;
}

/** Ask for the reason the record will keep; null when the desk cancels. */
function reason(question) {
  const text = prompt(question);
  return text && text.trim() ? text.trim() : null;
}

function heldItem(v, p) {
  const choose = h("select", { class: "as", "aria-label": t("desk.as_invitee") });
  const confirmButton = h("button", { type: "button", class: "confirm", text: t("desk.confirm") });
  const refuseButton = h("button", { type: "button", class: "refuse danger", text: t("desk.refuse") });
  confirmButton.addEventListener("click", (e) => {
    const data = { participant_id: p.id };
    if (choose.value) data.invitee = Number(choose.value);
    ctx.act("confirm_check_in", data, { button: e.currentTarget, done: t("checkin.done") });
  });
  refuseButton.addEventListener("click", (e) => {
    const why = reason(t("desk.refuse_reason", { name: p.name }));
    if (why) ctx.act("refuse_check_in", { participant_id: p.id, reason: why }, { button: e.currentTarget });
  });
  return h("li", {}, h("span", { class: "who" }), h("span", { class: "meta" }),
    h("span", { class: "desk" }, choose, confirmButton, refuseButton));
}

function updateHeld(v, li, p) {
  setText(li.querySelector(".who"), p.name);
  setText(li.querySelector(".meta"), ` ${categoryLabel(v, p.category)}`);
  // Confirm as the walk-in they said they are, or as the invitee the desk recognises.
  const choose = li.querySelector("select.as");
  const chosen = choose.value;
  // Offered: the invitees not yet in whose name is the one given (a held walk-in is held for that).
  fillSelect(choose, [
    { value: "", text: t("desk.as_walk_in") },
    ...v.roster.filter((r) => !r.checked_in && nameKey(r.name) === nameKey(p.name))
      .map((r) => ({ value: String(r.index), text: `${r.name} · ${categoryLabel(v, r.category)}` })),
  ]);
  choose.value = chosen;
}

let latest = null;

/** Written proxies: the lists are built only while the box is open (a village has a thousand invitees). */
function renderProxies(v) {
  const box = $("#proxy-box");
  box.hidden = v.roster.length === 0 || v.proxy_limit === 0;
  const active = v.proxies.filter((x) => x.status === "active");
  keyed($("#proxies"), active, (x) => x.principal, (x) => {
    const withdraw = h("button", { type: "button", class: "withdraw-proxy quiet", text: t("proxy.withdraw") });
    withdraw.addEventListener("click", (e) => {
      const why = reason(t("proxy.withdraw_reason", { name: x.name }));
      if (why) ctx.act("withdraw_proxy", { principal: x.principal, reason: why }, { button: e.currentTarget });
    });
    return h("li", {}, h("span", { class: "who" }), withdraw);
  }, (li, x) => {
    const holder = v.participants.find((p) => p.id === x.holder);
    setText(li.querySelector(".who"), t("proxy.line", { principal: x.name, holder: holder ? holder.name : x.holder })
      + (x.note ? `（${x.note}）` : ""));
  });
  if (!box.open) return;
  const delegated = new Set(active.map((x) => x.principal));
  for (const [id, options] of [
    ["#proxy-principal", v.roster.filter((r) => !r.checked_in && !delegated.has(r.index))
      .map((r) => ({ value: String(r.index), text: `${r.name} · ${r.household || r.flat || categoryLabel(v, r.category)}` }))],
    ["#proxy-holder", v.participants.filter((p) => p.status === "in" && p.role === "attendee")
      .map((p) => ({ value: p.id, text: `${p.name} · ${categoryLabel(v, p.category)}` }))],
  ]) {
    const select = $(id);
    const chosen = select.value;
    fillSelect(select, [{ value: "", text: t("desk.choose") }, ...options]);
    select.value = chosen;
  }
}

export function setup(c) {
  ctx = c;
  $("#proxy-box").addEventListener("toggle", () => latest && renderProxies(latest));
  $("#proxy-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const ack = await ctx.act("record_proxy", { principal: Number(f.principal.value), holder: f.holder.value,
      note: f.note.value.trim() }, { button: e.submitter, done: t("proxy.recorded") });
    if (ack.ok) f.note.value = "";
  });
  $("#desk-search").addEventListener("input", () => latest && renderSearch(latest));
  $("#merge-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const ack = await ctx.act("merge_participants", { keep: f.keep.value, drop: f.drop.value, reason: f.reason.value.trim() },
      { button: e.submitter, done: t("desk.merged") });
    if (ack.ok) f.reason.value = "";
  });
  $("#checkin-invitee").addEventListener("change", toggleWalkIn);
  $("#checkin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const data = walkIn()
      ? { name: f.name.value.trim(), category: f.category.value, role: f.role.value }
      : { invitee: Number(f.invitee.value) };
    const ack = await ctx.act("check_in", data, { button: e.submitter, done: t("checkin.done") });
    if (ack.ok) f.name.value = "";
  });
}

export function render(v) {
  latest = v;
  renderProxies(v);
  const listed = v.roster.length <= LISTED_UP_TO;
  $("#desk-find").hidden = v.roster.length === 0;
  renderSearch(v);
  fillSelect($("#checkin-invitee"), [
    { value: "", text: t("checkin.walk_in") },
    ...(listed ? v.roster.filter((r) => !r.checked_in) : [])
      .map((r) => ({ value: String(r.index), text: `${r.name} · ${categoryLabel(v, r.category)}` })),
  ]);
  fillSelect($("#checkin-category"), [
    { value: "", text: t("checkin.choose_category") },
    ...v.categories.map((c) => ({ value: c.key, text: categoryLabel(v, c.key) })),
  ]);
  toggleWalkIn();

  const a = v.attendance;
  setText($("#attendance-total"), a.total);
  setText($("#voters"), t("attendance.voters", { n: a.voters }) + (a.quorum_rule ? ` · ${t("attendance.quorum_rule")}` : ""));
  renderQuorum($("#quorum"), v);
  const present = v.categories.filter((c) => a.by_category[c.key] > 0);
  keyed($("#attendance"), present, (c) => c.key, () => h("li", {}, h("span"), h("strong")), (li, c) => {
    setText(li.firstChild, categoryLabel(v, c.key));
    setText(li.lastChild, a.by_category[c.key]);
  });
  const held = v.participants.filter((p) => p.status === "held");
  $("#desk-held").hidden = held.length === 0;
  keyed($("#held-list"), held, (p) => p.id, (p) => heldItem(v, p), (li, p) => updateHeld(v, li, p));

  keyed($("#participants"), v.participants, (p) => p.id,
    (p) => {
      const withdraw = h("button", { type: "button", class: "withdraw quiet", text: t("desk.withdraw") });
      withdraw.addEventListener("click", (e) => {
        const why = reason(t("desk.withdraw_reason", { name: p.name }));
        if (why) ctx.act("withdraw_check_in", { participant_id: p.id, reason: why }, { button: e.currentTarget });
      });
      return h("li", {}, h("span", { class: "who" }), h("span", { class: "meta" }), enteredSlot(),
        h("span", { class: "desk" }, withdraw));
    },
    (li, p) => {
      setText(li.querySelector(".who"), p.name);
      const role = p.role === "observer" ? t("role.observer") : t("role.attendee");
      const status = p.status === "in" ? "" : ` · ${t(`desk.status_${p.status}`)}`;
      setText(li.querySelector(".meta"), ` ${categoryLabel(v, p.category)} · ${role}${status}`);
      li.classList.toggle("gone", !["in", "held"].includes(p.status));
      li.querySelector("button.withdraw").hidden = !["in", "held"].includes(p.status) || v.status === "closed";
      showEntered(li.querySelector(".entered"), p);
    });
  const here = v.participants.filter((p) => ["in", "held"].includes(p.status))
    .map((p) => ({ value: p.id, text: `${p.name} · ${categoryLabel(v, p.category)} (${p.id})` }));
  for (const id of ["#merge-keep", "#merge-drop"]) {
    const select = $(id);
    const chosen = select.value;
    fillSelect(select, [{ value: "", text: t("desk.choose") }, ...here]);
    select.value = chosen;
  }
}
