// Before the meeting (会前通知与参会回复): warnings about who is invited, who was told when and how,
// who was not told yet, and the replies; staff record a notice and enter a reply given by telephone.
// The view's `notice` comes from facilitation/views.py (notice_view).

import { $, categoryLabel, fill, fillSelect, formLabel, h, keyed, setText, t } from "./client.js";

let ctx;
const LISTED_UP_TO = 300; // past this, the console lists only those not told or not replied

export const howLabel = (how) => ({
  slip: t("notice.how_slip"), call: t("notice.how_call"), message_group: t("notice.how_message_group"),
  posted: t("notice.how_posted"),
})[how] || how;

export function replyLabel(reply) {
  if (!reply) return t("notice.no_reply");
  if (reply.answer === "coming") return t("notice.reply_coming");
  if (reply.answer === "not_coming") return t("notice.reply_not_coming");
  return t("notice.reply_proxy", { holder: reply.holder });
}

/** A warning about who is invited, in words (facilitation/participant_warnings.py). */
export function warningText(view, w) {
  if (w.code === "groups_not_invited") {
    return t("warning.groups_not_invited", { item: w.item + 1, title: w.title, groups: w.groups.join("、") });
  }
  if (w.code === "category_missing") {
    return t("warning.category_missing", { form: formLabel(w.form), category: categoryLabel(view, w.category) });
  }
  return t("warning.officials_outnumber", { officials: w.officials, residents: w.residents });
}

const when = (at) => new Date(at * 1000).toLocaleString([], { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function setup(c) {
  ctx = c;
  $("#notice-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const data = { how: f.how.value };
    if (f.whom.value.startsWith("category:")) data.category = f.whom.value.slice(9);
    else if (f.whom.value !== "all") data.invitees = [Number(f.whom.value)];
    if (f.note.value.trim()) data.note = f.note.value.trim();
    const ack = await ctx.act("record_notice", data, { button: e.submitter, done: t("notice.recorded") });
    if (ack.ok) f.note.value = "";
  });
  $("#reply-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const data = { invitee: Number(f.invitee.value), answer: f.answer.value };
    if (f.answer.value === "proxy") data.holder = f.holder.value.trim();
    const ack = await ctx.act("reply", data, { button: e.submitter, done: t("notice.reply_recorded") });
    if (ack.ok) f.holder.value = "";
  });
  $("#reply-answer").addEventListener("change", () => { $("#reply-holder").hidden = $("#reply-answer").value !== "proxy"; });
}

export function render(v) {
  const n = v.notice;
  const panel = $("#notice-panel");
  if (!n || !v.roster.length) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const id = encodeURIComponent(v.id);
  const key = encodeURIComponent(new URLSearchParams(location.search).get("key") || "");
  $("#notice-print").href = `/m/${id}/notice?key=${key}`;
  fill($("#notice-warnings"), n.warnings.map((w) => h("li", { class: "warning", dataset: { code: w.code }, text: warningText(v, w) })));
  $("#notice-warnings").hidden = n.warnings.length === 0;
  const total = v.roster.length;
  setText($("#notice-told"), t("notice.told_count", { told: total - n.not_told, total, not_told: n.not_told }));
  setText($("#notice-replies"), t("notice.replies_count", n.replies));
  setText($("#notice-lead"), n.lead ? t("notice.lead", { days: n.lead.days, hours: n.lead.hours }) : "");
  // whom to record a notice for: everyone, a category, or one person
  const whom = $("#notice-whom");
  const chosen = whom.value;
  const categories = [...new Set(v.roster.map((r) => r.category))];
  fillSelect(whom, [
    { value: "all", text: t("notice.whom_all") },
    ...categories.map((c) => ({ value: `category:${c}`, text: t("notice.whom_category", { category: categoryLabel(v, c) }) })),
    ...v.roster.map((r) => ({ value: String(r.index), text: r.name })),
  ]);
  if (chosen) whom.value = chosen;
  const person = $("#reply-invitee");
  const picked = person.value;
  fillSelect(person, v.roster.map((r) => ({ value: String(r.index), text: r.name })));
  if (picked) person.value = picked;
  for (const b of $("#reply-form").querySelectorAll("button, select, input")) b.disabled = !n.open_for_replies;
  $("#replies-closed").hidden = n.open_for_replies;
  const people = n.people.length > LISTED_UP_TO ? n.people.filter((p) => !p.told || !p.reply) : n.people;
  keyed($("#notice-people"), people.slice(0, LISTED_UP_TO), (p) => p.index,
    () => h("li", {}, h("span", { class: "who" }), h("span", { class: "told" }), h("span", { class: "reply" })),
    (li, p) => {
      li.dataset.invitee = String(p.index);
      li.classList.toggle("not-told", !p.told);
      setText(li.querySelector(".who"), v.roster[p.index].name);
      setText(li.querySelector(".told"), ` · ${p.told ? `${howLabel(p.told.how)} ${when(p.told.at)}` : t("notice.not_told")}`);
      setText(li.querySelector(".reply"), ` · ${replyLabel(p.reply)}`);
    });
}
