// The projector: read-only, big type, readable from the back of the room. It shows what is
// happening now: before the first item the meeting and how to join; during an item the floor
// beside the poll, or beside the item's background and the opinions; after the close the outcomes.
// Lists never show half an entry: as many whole ones as there is room for, the rest counted.

import {
  $, Live, categoryLabel, countdown, fill, formLabel, h, initialLang, itemLabel, keyed, langSwitch, loadLang, mmss,
  evaluationTable, onLangChange, outcomeLabel, pollRows, rankedLines, readBoot, renderQuorum, setText, show, stanceLabel, t,
} from "./client.js";
import { renderBinding } from "./binding.js";
import { liveCategories, liveSides, reasonLabel } from "./fair-floor.js";
import { showLimitsLeft } from "./limits-left.js";
import { partyLine, stageLabel } from "./hearing-words.js";

const QUEUE_SHOWN = 30; // rendered at most; those that fit are shown, the rest counted ("+N")
const ACTIONS_SHOWN = 3; // action items under an outcome; more are in the minutes
const MANY_OPTIONS = 6; // a poll with more options: one line each, the floor narrower
const TWO_COLUMNS = 9; // and with more than this, in two columns
const LONG_AGENDA = 5; // a longer agenda shows its titles only before the first item
const LONG_TITLE = 20; // characters: a longer title is set smaller before the first item
const boot = readBoot();

// -- fitting whole entries into their boxes --------------------------------------------

const fits = new Map(); // what to fit again after each render and resize, by name

/** Show as many whole entries of `box` as it has room for, in order; hide the rest and say how
 *  many in `more` (inside the box after the entries, or just after the box), shown only then.
 *  `extra` entries were never rendered: they are counted as well. Returns how many are hidden. */
function fitWhole(box, entries, more, text, extra = 0) {
  for (const el of entries) el.hidden = false;
  const say = (n) => {
    more.hidden = n === 0;
    setText(more, n ? text(n) : "");
  };
  say(extra);
  if (!box.getClientRects().length) return 0; // not shown in this layout
  let hidden = 0;
  const inside = () => {
    const bottom = box.getBoundingClientRect().bottom + 0.5;
    return entries.every((el) => el.hidden || el.getBoundingClientRect().bottom <= bottom)
      && (more.hidden || !box.contains(more) || more.getBoundingClientRect().bottom <= bottom);
  };
  while (hidden < entries.length && !inside()) {
    hidden += 1;
    entries[entries.length - hidden].hidden = true;
    say(hidden + extra);
  }
  return hidden;
}

/** The background text: as many whole lines as the stage has room for below what comes before
 *  it, leaving the opinions wall (when there are opinions) at least half of the stage, or the
 *  agenda under it a few lines. */
function fitBackground() {
  const p = $("#background");
  if (!p.getClientRects().length) return;
  const stage = $("#stage").getBoundingClientRect();
  const line = parseFloat(getComputedStyle(p).lineHeight) || 1;
  const room = stage.bottom - p.getBoundingClientRect().top;
  let px = room;
  if (!$("#opinions-box").hidden) px = Math.min(room - stage.height / 2, stage.height * 0.4);
  else if (!$("#agenda-box").hidden) px = room - 4 * line;
  p.style.webkitLineClamp = String(Math.max(2, Math.floor(px / line)));
}

function fitAll() {
  fitBackground();
  for (const fit of fits.values()) fit();
}

let frame = 0;
function scheduleFit() {
  if (!frame) frame = requestAnimationFrame(() => {
    frame = 0;
    fitAll();
  });
}

// -- the floor -------------------------------------------------------------------------

function renderSpeaker(view) {
  const s = view.speaker;
  setText($("#speaker-name"), s ? s.who.name : t("floor.nobody"));
  setText($("#speaker-meta"), s ? `${categoryLabel(view, s.who.category)} · ${stanceLabel(s.stance)}` : "");
  $("#speaker").classList.toggle("empty", !s);
  countdown($("#countdown"), s);
  renderLimitsLeft(view);
}

/** Under the timer, what the limits that apply to the speaker leave them (their own time, their
 *  category's, their side's, their speeches), counting down; past one it says so: nothing is cut off. */
function renderLimitsLeft(view) {
  let list = $("#speaker-limits");
  if (!list) {
    list = h("ul", { id: "speaker-limits", class: "limits-left" });
    $("#countdown").after(list);
  }
  showLimitsLeft(list, view.speaker);
}

/** A hearing: its stage above the floor, the party speaking with whom it speaks for and its side,
 *  and the parties still to be heard in this stage, in order. */
function renderHearing(view) {
  const hearing = view.hearing;
  if (!$("#hearing-stage")) {
    $("#floor").prepend(h("p", { id: "hearing-stage", class: "hearing-stage" }));
    $("#floor").append(h("p", { id: "hearing-order", class: "hearing-order" }));
  }
  show($("#hearing-stage"), Boolean(hearing && hearing.stage));
  show($("#hearing-order"), Boolean(hearing && hearing.to_come.length));
  if (!hearing) return;
  setText($("#hearing-stage"), t("hearing.stage_now", { stage: stageLabel(hearing.stage) }));
  const name = (id) => hearing.parties.find((p) => p.id === id)?.name || "";
  setText($("#hearing-order"), t("hearing.to_come", { names: hearing.to_come.map(name).join("、") }));
  const party = hearing.parties.find((p) => p.id === hearing.speaking);
  if (party && view.speaker) {
    const part = view.speaker.kind === "closing" ? t("hearing.closing") : t("hearing.testimony");
    setText($("#speaker-meta"), `${partyLine(party)} · ${part}`);
  }
}

/** The queue in the order heard: the next two large, for the back row ("下一位", "再下一位"), then
 *  one line each, as many as fit and "+N"; each says why it is where it is when the policy or the
 *  moderator put it there. */
function renderQueue(view) {
  const shown = view.queue.slice(0, QUEUE_SHOWN);
  const queue = $("#queue");
  for (const li of [...queue.children]) if (!li.dataset.key) li.remove(); // last render's "+N" and "nobody"
  keyed(queue, shown, (r) => r.id,
    () => h("li", {}, h("span", { class: "place" }), h("span", { class: "who" }), h("span", { class: "meta" })),
    (li, r) => {
      const i = view.queue.indexOf(r);
      li.className = i === 0 ? "next" : i === 1 ? "then" : "";
      setText(li.querySelector(".place"), i === 0 ? t("floor.next_one") : i === 1 ? t("floor.next_two") : `${i + 1}.`);
      setText(li.querySelector(".who"), r.who.name);
      const kind = r.kind === "speech" || r.reason === r.kind ? "" : ` · ${t(`kind.${r.kind}`)}`;
      const why = reasonLabel(r.reason);
      setText(li.querySelector(".meta"),
        `${stanceLabel(r.stance)} · ${categoryLabel(view, r.who.category)}${kind}${why ? ` · ${why}` : ""}`);
    });
  const entries = [...queue.children];
  const more = h("li", { class: "more", hidden: true });
  queue.append(more);
  if (!view.queue.length) queue.append(h("li", { class: "none", text: t("floor.queue_empty") }));
  const extra = view.queue.length - shown.length;
  fits.set("queue", () => fitWhole(queue, entries, more, (n) => t("floor.more", { n }), extra));
}

/** When the moderator shows it: a bar per category present, its time spoken (the running speech
 *  included) with how many of those present have spoken; a category not yet heard says so. */
function renderBalance(view) {
  const shown = Boolean(view.floor?.show_balance) && layoutOf(view) === "item" && !view.polls.some((p) => p.open);
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

// -- the stage -------------------------------------------------------------------------

/** The open poll, or else the current item's latest result (question and bars). */
function currentPoll(view) {
  return view.polls.find((p) => p.open) || view.polls.filter((p) => p.item === view.current_item).at(-1);
}

function renderPoll(poll, view) {
  show($("#poll"), Boolean(poll));
  if (!poll) return;
  $("#poll").dataset.poll = poll.id;
  $("#poll").classList.toggle("closed", !poll.open);
  const question = { question: poll.question };
  setText($("#poll-question"), poll.open ? t("poll.live", question) : t("poll.result", question));
  renderBinding($("#poll-binding"), poll);
  // the room is told how secret its ballots are: kept apart from the voters, or public by name
  const secrecy = poll.secret ? t("poll.secret_wall") : poll.named ? t("poll.named_note") : "";
  show($("#poll-secrecy"), Boolean(secrecy));
  setText($("#poll-secrecy"), secrecy);
  // The moderator keeps the count until they reveal it: the room sees how many have voted, of how many.
  const hidden = poll.counts === null;
  show($("#poll-hidden"), hidden);
  show($("#poll-rows"), !hidden);
  show($("#poll-total"), !hidden);
  $("#poll").classList.toggle("results-hidden", hidden);
  if (hidden) {
    show($("#poll-ranked"), false);
    show($("#poll-evaluated"), false);
    const of = poll.rule ? poll.present : view.attendance.voters;
    setText($("#poll-hidden"), poll.open ? t("poll.voted_of", { voted: poll.voters, of }) : t("poll.awaiting_reveal", { voted: poll.voters }));
    return;
  }
  const { rows, total } = pollRows(poll);
  fill($("#poll-rows"), rows);
  // a ranking: the bars count first preferences; its result by the method stated is said below them
  // an evaluation: its table (each one's ratings and satisfaction rate) instead of bars
  const evaluation = poll.kind === "evaluation";
  show($("#poll-rows"), !evaluation);
  fill($("#poll-evaluated"), evaluation ? evaluationTable(poll) : null);
  show($("#poll-evaluated"), evaluation);
  const ranked = rankedLines(poll);
  show($("#poll-ranked"), ranked.length > 0);
  fill($("#poll-ranked"), ranked.map((line) => h("p", { text: line })));
  $("#poll-rows").classList.toggle("many", poll.options.length > MANY_OPTIONS);
  $("#poll-rows").classList.toggle("two", poll.options.length > TWO_COLUMNS);
  $("#poll").classList.toggle("many", poll.options.length > MANY_OPTIONS);
  setText($("#poll-total"), t("poll.total", { total, phones: poll.voters }));
}

function renderBackground(view, shown) {
  const text = shown ? view.agenda[view.current_item]?.background?.trim() ?? "" : "";
  show($("#background-box"), Boolean(text));
  setText($("#background"), text);
}

/** The opinions wall, newest first: the whole cards that fit, then how many more there are. */
function renderOpinions(view, shown) {
  const latest = shown ? view.opinions.slice().reverse() : [];
  show($("#opinions-box"), latest.length > 0);
  const list = $("#opinions");
  keyed(list, latest, (o) => o.id,
    () => h("li", {}, h("span", { class: "text" }), h("span", { class: "who" })),
    (li, o) => {
      setText(li.querySelector(".text"), o.text);
      setText(li.querySelector(".who"), o.who.name);
    });
  fits.set("opinions", () => fitWhole(list, [...list.children], $("#opinions-more"), (n) => t("opinions.more", { n })));
}

/** The agenda: all of it before the first item, each with its background's first lines; during an
 *  item with room to spare (no poll, no opinions yet), from the item before the current one. */
function renderAgenda(view, shown) {
  show($("#agenda-box"), shown);
  const from = view.current_item === null ? 0 : Math.max(0, view.current_item - 1);
  const items = view.agenda.map((item, i) => ({ ...item, i })).slice(from);
  const list = $("#agenda");
  list.classList.toggle("long", view.agenda.length > LONG_AGENDA);
  fill(list, items.map((item) =>
    h("li", { class: item.i === view.current_item ? "current" : "", dataset: { item: item.i } },
      h("span", { class: "n", text: `${item.i + 1}.` }), h("span", { class: "title", text: item.title }),
      item.background?.trim() ? h("span", { class: "about", text: item.background.trim() }) : null)));
  const more = h("li", { class: "more", hidden: true });
  list.append(more);
  fits.set("agenda", () => fitWhole(list, [...list.children].slice(0, -1), more, (n) => t("screen.more_items", { n })));
}

/** After the close: each item with its outcome, the consultation opinion and its action items. */
function renderOutcomes(view, shown) {
  show($("#outcomes-box"), shown);
  const list = $("#outcomes");
  if (!shown) {
    list.replaceChildren();
    fits.delete("outcomes");
    return;
  }
  fill(list, view.agenda.map((item, i) => {
    const o = item.outcome;
    const actions = o?.actions ?? [];
    return h("li", { dataset: { item: i, outcome: o ? o.outcome : "" } },
      h("p", { class: "title", text: t("item.numbered", { n: i + 1, title: item.title }) }),
      h("p", { class: "verdict", text: o ? outcomeLabel(o.outcome) : t("screen.no_outcome") }),
      o?.opinion ? h("p", { class: "opinion", text: o.opinion }) : null,
      actions.length ? h("ul", { class: "actions", "aria-label": t("outcome.actions") },
        actions.slice(0, ACTIONS_SHOWN).map((a) => h("li", {}, a.what,
          a.owner || a.due ? h("span", { class: "meta", text: ` · ${[a.owner && t("screen.owner", { owner: a.owner }),
            a.due && t("screen.due", { due: a.due })].filter(Boolean).join(" · ")}` }) : null)),
        actions.length > ACTIONS_SHOWN ? h("li", { class: "more", text: t("screen.more_actions", { n: actions.length - ACTIONS_SHOWN }) }) : null)
        : null);
  }));
  fits.set("outcomes", () => fitWhole(list, [...list.children], $("#outcomes-more"), (n) => t("screen.more_outcomes", { n })));
}

function renderStage(view, layout) {
  const poll = layout === "item" ? currentPoll(view) : null;
  renderPoll(poll, view);
  // While a vote is open it has the stage; a result leaves room for the opinions below it.
  const voting = Boolean(poll?.open);
  renderBackground(view, layout === "item" && !poll);
  renderOpinions(view, layout === "item" && !voting);
  const busy = poll || !$("#opinions-box").hidden;
  renderAgenda(view, layout === "start" || (layout === "item" && !busy));
  renderOutcomes(view, layout === "ended");
}

// -- the meeting, joining and who is here ----------------------------------------------

function renderMeeting(view) {
  document.title = view.title;
  setText($("#title"), view.title);
  $("#title").classList.toggle("long", view.title.length > LONG_TITLE);
  setText($("#item"), itemLabel(view, view.current_item));
  const parts = [formLabel(view.form)];
  if (view.place) parts.push(t("screen.place", { place: view.place }));
  if (view.starts_at) parts.push(t("screen.time", { time: view.starts_at }));
  const meta = $("#meeting-meta");
  if (meta.textContent !== parts.join("")) fill(meta, parts.map((text) => h("span", { text })));
}

function renderAttendance(view) {
  const a = view.attendance;
  setText($("#attendance-total"), a.total);
  setText($("#voters"), a.quorum_rule ? t("attendance.voters", { n: a.voters }) : "");
  show($("#voters"), Boolean(a.quorum_rule));
  renderQuorum($("#quorum"), view);
  const present = view.categories.filter((c) => a.by_category[c.key] > 0);
  const list = $("#attendance");
  fill(list, present.map((c) =>
    h("li", { dataset: { category: c.key } }, h("span", { text: categoryLabel(view, c.key) }),
      h("strong", { text: a.by_category[c.key] }))));
  fits.set("attendance", () => fitWhole(list, [...list.children], $("#attendance-more"), (n) => t("screen.more_categories", { n })));
}

/** Which layout the meeting calls for now. */
function layoutOf(view) {
  if (view.status === "closed") return "ended";
  const quiet = view.current_item === null && !view.speaker && !view.queue.length && !view.polls.some((p) => p.open);
  return quiet ? "start" : "item";
}

function render(view) {
  const layout = layoutOf(view);
  document.body.dataset.layout = layout;
  document.body.classList.toggle("floor-idle", layout === "item" && !view.speaker && !view.queue.length);
  const poll = layout === "item" ? currentPoll(view) : null;
  document.body.classList.toggle("poll-many", Boolean(poll && poll.options.length > MANY_OPTIONS));
  show($("#closed"), layout === "ended");
  renderMeeting(view);
  renderSpeaker(view);
  renderHearing(view);
  renderQueue(view);
  renderBalance(view);
  renderStage(view, layout);
  renderAttendance(view);
  fitAll(); // at once, so that no half entry is ever painted; again after any resize
}

async function main() {
  await loadLang(initialLang(boot, "screen"));
  langSwitch($("#lang-switch"));
  // The QR code, the short address with the meeting's code and the whole address come in the page.
  const live = new Live({ meeting: boot.meeting, role: "projector" });
  live.on("view", render).on("refused", (r) => setText($("#item"), r.error));
  onLangChange(() => live.view && render(live.view));
  // A box that changes size (the window, a speaker's name on two lines, the fonts arriving) is fitted again.
  const resized = new ResizeObserver(scheduleFit);
  for (const box of ["#stage", "#queue", "#opinions", "#agenda", "#outcomes", "#attendance"]) resized.observe($(box));
  document.fonts?.ready.then(scheduleFit);
  // The running speech's time grows its category's bar and counts its limits down between broadcasts.
  setInterval(() => {
    if (!live.view?.speaker) return;
    renderLimitsLeft(live.view);
    renderBalance(live.view);
    scheduleFit();
  }, 1000);
  live.start();
}

main();
