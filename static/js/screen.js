// The projector: read-only, big type, readable from the back of the room.

import {
  $, Live, categoryLabel, countdown, fill, h, initialLang, itemLabel, keyed, langSwitch, loadLang, mmss,
  onLangChange, pollRows, readBoot, renderQuorum, setText, show, stanceLabel, t,
} from "./client.js";
import { renderBinding } from "./binding.js";
import { liveCategories, liveSides, reasonLabel } from "./fair-floor.js";

const NEXT_SPEAKERS = 5;
const boot = readBoot();

function renderSpeaker(view) {
  const s = view.speaker;
  setText($("#speaker-name"), s ? s.who.name : t("floor.nobody"));
  setText($("#speaker-meta"), s ? `${categoryLabel(view, s.who.category)} · ${stanceLabel(s.stance)}` : "");
  $("#speaker").classList.toggle("empty", !s);
  countdown($("#countdown"), s);
}

/** The queue in the order heard: the next two large, for the back row ("下一位", "再下一位"), then
 *  the rest; each says why it is where it is when the policy or the moderator put it there. */
function renderQueue(view) {
  const next = view.queue.slice(0, NEXT_SPEAKERS);
  keyed($("#queue"), next, (r) => r.id,
    () => h("li", {}, h("span", { class: "place" }), h("span", { class: "who" }), h("span", { class: "meta" })),
    (li, r) => {
      const i = view.queue.indexOf(r);
      li.className = i === 0 ? "next" : i === 1 ? "then" : "";
      const place = li.querySelector(".place");
      setText(place, i === 0 ? t("floor.next_one") : i === 1 ? t("floor.next_two") : "");
      place.hidden = i > 1;
      setText(li.querySelector(".who"), r.who.name);
      const kind = r.kind === "speech" || r.reason === r.kind ? "" : ` · ${t(`kind.${r.kind}`)}`;
      const why = reasonLabel(r.reason);
      setText(li.querySelector(".meta"),
        `${categoryLabel(view, r.who.category)} · ${stanceLabel(r.stance)}${kind}${why ? ` · ${why}` : ""}`);
    });
  if (view.queue.length > NEXT_SPEAKERS) {
    $("#queue").append(h("li", { class: "more", text: t("floor.more", { n: view.queue.length - NEXT_SPEAKERS }) }));
  }
  if (!view.queue.length) $("#queue").append(h("li", { class: "none", text: t("floor.queue_empty") }));
}

/** When the moderator shows it: a bar per category present, its time spoken (the running speech
 *  included) with how many of those present have spoken; a category not yet heard says so. */
function renderBalance(view) {
  const shown = Boolean(view.floor?.show_balance) && view.status !== "closed";
  show($("#balance-box"), shown);
  if (!shown) return;
  const categories = liveCategories(view);
  const most = Math.max(1, ...categories.map((c) => c.seconds));
  keyed($("#balance-rows"), categories, (c) => c.key,
    () => h("div", { class: "row" },
      h("span", { class: "label" }, h("span", { class: "name" }), h("span", { class: "unheard-tag" })),
      h("span", { class: "bar" }, h("span", { class: "fill" })),
      h("span", { class: "count" })),
    (row, c) => {
      row.dataset.category = c.key;
      row.classList.toggle("unheard", Boolean(c.unheard));
      setText(row.querySelector(".name"), categoryLabel(view, c.key));
      const tag = row.querySelector(".unheard-tag");
      setText(tag, t("screen.unheard"));
      tag.hidden = !c.unheard;
      row.querySelector(".fill").style.width = `${(100 * c.seconds) / most}%`;
      setText(row.querySelector(".count"), t("screen.balance_row", { time: mmss(c.seconds), n: c.speakers, of: c.present }));
    });
  const sides = liveSides(view);
  setText($("#balance-sides"), t("balance.sides", { for: mmss(sides.for), against: mmss(sides.against) }));
}

/** The open poll, or else the current item's latest result. */
function renderPoll(view) {
  const poll = view.polls.find((p) => p.open) || view.polls.filter((p) => p.item === view.current_item).at(-1);
  show($("#poll"), Boolean(poll));
  show($("#agenda-box"), !poll);
  if (!poll) return;
  $("#poll").dataset.poll = poll.id;
  $("#poll").classList.toggle("closed", !poll.open);
  const question = { question: poll.question };
  setText($("#poll-question"), poll.open ? t("poll.live", question) : t("poll.result", question));
  renderBinding($("#poll-binding"), poll);
  const { rows, total } = pollRows(poll);
  fill($("#poll-rows"), rows);
  setText($("#poll-total"), t("poll.total", { total, phones: poll.voters }));
}

function renderAgenda(view) {
  fill($("#agenda"), view.agenda.map((item, i) =>
    h("li", { class: i === view.current_item ? "current" : "" }, item.title)));
}

function renderOpinions(view) {
  const latest = view.opinions.slice(-4).reverse();
  show($("#opinions-box"), latest.length > 0);
  fill($("#opinions"), latest.map((o) =>
    h("li", {}, h("span", { class: "text", text: o.text }), h("span", { class: "who", text: o.who.name }))));
}

function renderAttendance(view) {
  const a = view.attendance;
  setText($("#attendance-total"), a.total);
  setText($("#voters"), a.quorum_rule ? t("attendance.voters", { n: a.voters }) : "");
  renderQuorum($("#quorum"), view);
  const present = view.categories.filter((c) => a.by_category[c.key] > 0);
  fill($("#attendance"), present.map((c) =>
    h("li", { dataset: { category: c.key } }, h("span", { text: categoryLabel(view, c.key) }),
      h("strong", { text: a.by_category[c.key] }))));
}

function render(view) {
  document.title = view.title;
  setText($("#title"), view.title);
  setText($("#item"), itemLabel(view, view.current_item));
  show($("#closed"), view.status === "closed");
  document.body.classList.toggle("ended", view.status === "closed");
  renderSpeaker(view);
  renderQueue(view);
  renderBalance(view);
  renderPoll(view);
  renderAgenda(view);
  renderOpinions(view);
  renderAttendance(view);
}

async function main() {
  await loadLang(initialLang(boot, "screen"));
  langSwitch($("#lang-switch"));
  // The QR code, the short address with the meeting's code and the whole address come in the page.
  const live = new Live({ meeting: boot.meeting, role: "projector" });
  live.on("view", render).on("refused", (r) => setText($("#item"), r.error));
  onLangChange(() => live.view && render(live.view));
  // The running speech's time grows its category's bar between broadcasts.
  setInterval(() => live.view?.speaker && renderBalance(live.view), 1000);
  live.start();
}

main();
