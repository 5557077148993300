// Checking people in on their behalf (from the invited list or by name), and who is here.

import { $, categoryLabel, fillSelect, h, keyed, renderQuorum, setText, t } from "./client.js";
import { enteredSlot, showEntered } from "./moderate-entered.js";

let ctx;

function walkIn() {
  return !$("#checkin-invitee").value;
}

function toggleWalkIn() {
  for (const id of ["#checkin-name", "#checkin-category", "#checkin-role"]) $(id).hidden = !walkIn();
}

export function setup(c) {
  ctx = c;
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
  fillSelect($("#checkin-invitee"), [
    { value: "", text: t("checkin.walk_in") },
    ...v.roster.filter((r) => !r.checked_in).map((r) => ({ value: String(r.index), text: `${r.name} · ${categoryLabel(v, r.category)}` })),
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
  keyed($("#participants"), v.participants, (p) => p.id,
    () => h("li", {}, h("span", { class: "who" }), h("span", { class: "meta" }), enteredSlot()),
    (li, p) => {
      setText(li.querySelector(".who"), p.name);
      const role = p.role === "observer" ? t("role.observer") : t("role.attendee");
      setText(li.querySelector(".meta"), ` ${categoryLabel(v, p.category)} · ${role}`);
      showEntered(li.querySelector(".entered"), p);
    });
}
