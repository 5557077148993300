// What became of the decisions (落实进展) on the phone, once the meeting has closed: fetched by
// static/js/phone.js then, so that a phone in the meeting never waits for it.
//
// Once the meeting has closed: each item's outcome as it stands (corrected, or decided by the
// meeting it was sent on to) and how far each action item has got, from the public board's entry
// for this meeting (masked as the public minutes are). Read again whenever a newer state comes (an
// action's update is one); offline, what was shown stays (the connection line says it is offline).

import { $, currentLang, fill, formLabel, h, outcomeLabel, setText, show, t } from "./client.js";

let ctx; // { live, meeting }

export function setup(c) {
  ctx = c;
}

let progress = null; // the board's entry, once read
let progressSeq = -1; // the state it was read at
let reading = false;

/** "2026年12月31日" / "December 31, 2026", from the board's ISO dates (days in Beijing). */
const day = (iso) => (iso ? new Date(`${iso}T00:00:00Z`).toLocaleDateString(currentLang(),
  { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" }) : "");

export async function readProgress() {
  const seq = ctx.live.viewSeq;
  if (reading || ctx.live.view?.status !== "closed" || seq <= progressSeq) return;
  reading = true;
  let read = false;
  try {
    const r = await fetch(`/board.json?meeting=${encodeURIComponent(ctx.meeting)}`, { cache: "no-store" });
    if (r.ok) {
      progress = (await r.json()).meetings[0] ?? null;
      progressSeq = seq;
      read = true;
      renderProgress();
    }
  } catch {
    // offline: keep what is shown; the next state reads it again
  } finally {
    reading = false;
  }
  if (read) readProgress(); // a newer state came meanwhile
}

function actionNode(a) {
  return h("li", { class: `action ${a.status}`, dataset: { action: a.id } },
    h("p", { class: "what", text: a.what }),
    a.owner ? h("p", { text: t("screen.owner", { owner: a.owner }) }) : null,
    a.due ? h("p", { text: t("screen.due", { due: a.due }) }) : null,
    h("p", { class: "state" }, h("strong", { class: "status", text: t(`office.status_${a.status}`) }),
      h("span", { class: "percent", text: t("progress.percent", { n: a.percent }) }),
      a.overdue ? h("strong", { class: "overdue", text: t("progress.overdue") }) : null),
    h("span", { class: "meter", "aria-hidden": "true" }, h("span", { style: `width:${Number(a.percent) || 0}%` })),
    a.note ? [h("p", { class: "label", text: t("progress.latest", { date: day(a.note_on) }) }), h("p", { class: "note", text: a.note })]
      : h("p", { class: "label", text: t("progress.no_update") }),
    a.photos.length ? h("ul", { class: "photos" }, a.photos.map((f, i) => h("li", {}, h("a", { href: f.url },
      h("img", { loading: "lazy", alt: t("progress.photo", { n: i + 1, name: f.name }), width: 64, height: 64, src: f.url })))))
      : null);
}

export function renderProgress() {
  const e = progress;
  show($("#progress"), Boolean(e) && ctx.live.view?.status === "closed");
  if (!e) return;
  fill($("#progress-items"), e.items.map((item) => h("div", { class: "decided", dataset: { item: item.number } },
    h("h3", { text: t("item.numbered", { n: item.number, title: item.title }) }),
    h("p", { class: "label", text: t("outcome.title") }),
    h("p", { class: "outcome", text: item.outcome ? outcomeLabel(item.outcome) : t("screen.no_outcome") }),
    item.corrections.map((c) => h("p", { text: t("progress.corrected", { date: day(c.day), reason: c.reason }) })),
    item.escalations.map((x) => h("p", {}, t("progress.sent_on", { form: formLabel(x.to_form) }), x.decided
      ? [" ", h("strong", { text: t("progress.decided", { outcome: outcomeLabel(x.decided.outcome) }) }), " ", x.decided.opinion]
      : null)),
    // a matter the township entrusted: the report back to it, and its reply once in
    (item.reports || []).map((r) => [h("p", { class: "reported", text: t("progress.reported", { date: day(r.day), body: r.to }) }),
      r.reply ? h("p", { class: "replied", text: t("progress.replied", { date: day(r.reply.day), body: r.reply.by_body, text: r.reply.text }) }) : null]),
    item.opinion ? [h("p", { class: "label", text: t("outcome.opinion") }), h("p", { class: "opinion", text: item.opinion })] : null,
    item.actions.length ? h("ul", { class: "actions" }, item.actions.map(actionNode)) : null)));
  const period = e.links.object ? e.publicity : null; // while the decisions are posted
  show($("#progress-object"), Boolean(period));
  if (!period) return;
  setText($("#progress-object span"), t("object.period", { start: day(period[0]), end: day(period[1]) }));
  $("#progress-object a").setAttribute("href", e.links.object);
}

