// The office's view of a meeting before it is held: the warnings about who is invited (shown as
// soon as a meeting is convened), who was told when and how, who not yet, and the replies
// (GET /api/meetings/{id}/notices). Notices and replies are recorded on the console.

import { $, fill, h, setText, show, t } from "./client.js";
import { howLabel, replyLabel, warningText } from "./moderate-notice.js";

let api;

export function setupNotice(c) {
  api = c.api;
  $("#notice-close").addEventListener("click", () => show($("#notice-box"), false));
}

const when = (at) => new Date(at * 1000).toLocaleString([], { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** The meeting's notice and replies in the office's panel, its warnings first. */
export async function showNotice(meetingId, title = "") {
  const n = await api("GET", `/api/meetings/${encodeURIComponent(meetingId)}/notices`);
  if (!n.ok) return;
  const box = $("#notice-box");
  box.dataset.meeting = meetingId;
  setText($("#notice-meeting"), title);
  $("#notice-public").href = `/meetings/${encodeURIComponent(meetingId)}/notice`;
  fill($("#notice-box-warnings"), n.warnings.map((w) =>
    h("li", { class: "warning", dataset: { code: w.code }, text: warningText(n, w) })));
  show($("#notice-box-warnings"), n.warnings.length > 0);
  const total = n.people.length;
  setText($("#notice-box-told"), total ? t("notice.told_count", { told: total - n.not_told, total, not_told: n.not_told }) : "");
  setText($("#notice-box-replies"), total ? t("notice.replies_count", n.replies) : "");
  setText($("#notice-box-lead"), n.lead ? t("notice.lead", { days: n.lead.days, hours: n.lead.hours }) : "");
  fill($("#notice-box-people"), n.people.map((p) => h("tr", { dataset: { invitee: String(p.index) }, class: p.told ? "" : "not-told" },
    h("td", { text: p.name }),
    h("td", { text: p.told ? `${howLabel(p.told.how)} ${when(p.told.at)}` : t("notice.not_told") }),
    h("td", { text: replyLabel(p.reply) }))));
  show(box, true);
}

export function noticeButton(m) {
  return h("button", {
    type: "button", class: "quiet", dataset: { notice: m.id }, text: t("notice.show"),
    onclick: () => showNotice(m.id, m.title),
  });
}
