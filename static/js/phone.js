// The attendee's phone: check in, ask for the floor, vote, write opinions, object, and be told
// when something is now theirs to do. One file (with client.js, binding.js and fair-floor.js, shared
// with the other pages) so that a phone on a slow network fetches all its scripts in one round
// (docs/performance.md). Identity is the token issued at check-in, kept in localStorage: a reload
// keeps it.

import {
  $, $$, Live, act, ballotLabel, categoryLabel, ratingButtons, countdown, currentLang, fill, formLabel, h, initialLang, itemLabel, keyed, langSwitch,
  loadLang, notify, onLangChange, optionLabel, outcomeLabel, readBoot, serverNow, setText, show, t,
} from "./client.js";
import { renderBinding } from "./binding.js";
import { reasonLabel } from "./fair-floor.js";

const boot = readBoot();
const TOKEN = `yishi:${boot.meeting}:token`;
const PARTICIPANT = `yishi:${boot.meeting}:participant`;

const identity = {
  token: () => localStorage.getItem(TOKEN),
  remember(ack) {
    localStorage.setItem(TOKEN, ack.token);
    localStorage.setItem(PARTICIPANT, ack.participant_id);
  },
  forget() {
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(PARTICIPANT);
  },
};

const live = new Live({ meeting: boot.meeting, role: "phone", credentials: () => ({ token: identity.token() }) });

// -- checking in ---------------------------------------------------------------------------

// With the personal code on one's slip (typed, or in the slip's QR link as ?code=), or as a
// walk-in by name and category. The phone never sees the invited list: a walk-in whose name is
// someone's on it waits for the desk to confirm.

let codeFromLink = new URLSearchParams(location.search).get("code") || "";

async function checkIn(data, button) {
  const ack = await act(live, "check_in", data, { button });
  if (!ack.ok) return false;
  identity.remember(ack);
  // This connection already acts as the new participant; sync fetches our own part (`me`).
  await live.synced();
  return true;
}

/** The slip's link carries the code: check in with it once connected, then drop it from the address. */
async function checkInFromLink() {
  if (!codeFromLink || !live.view || live.me) return;
  const code = codeFromLink;
  codeFromLink = "";
  const url = new URL(location.href);
  url.searchParams.delete("code");
  history.replaceState(null, "", url);  // a code left in the address bar would check in whoever reloads it
  $("#code-input").value = code;
  // Days before the meeting, the slip's link asks whether they will come (参会回复), without checking in;
  // at the door it checks them in.
  if (beforeTheDay(live.view) && await openAnswer(code)) return;
  await checkIn({ code }, $("#code-submit"));
}

// -- the reply before the meeting (参会回复) -------------------------------------------------

const AT_THE_DOOR_S = 2 * 3600; // this close to the scheduled start (Beijing time), the slip's link checks in

/** Not opened yet, and its scheduled start (when it reads as a time) more than AT_THE_DOOR_S away. */
function beforeTheDay(view) {
  if (view.current_item !== null || view.status === "closed") return false;
  const at = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(view.starts_at || "");
  return !at || Date.parse(`${at[1]}T${at[2]}:00+08:00`) / 1000 - serverNow() > AT_THE_DOOR_S;
}

let answerCode = ""; // the slip's code, held in this page only while its holder replies
const answerUrl = () => `/api/meetings/${encodeURIComponent(boot.meeting)}/reply?lang=${encodeURIComponent(currentLang())}`;

async function sendAnswer(body) {
  const r = await fetch(answerUrl(), { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: answerCode, ...body }), cache: "no-store" });
  return r.json().catch(() => ({ ok: false, error: t("error.refused") }));
}

function showAnswer(said) {
  setText($("#answer-hello"), t("reply.hello", { name: said.name }));
  const answer = said.reply?.answer;
  for (const b of $$("#answer-card [data-answer]")) b.setAttribute("aria-pressed", String(b.dataset.answer === answer));
  if (said.reply?.holder) $("#answer-holder").value = said.reply.holder;
  const words = { coming: t("reply.coming"), not_coming: t("reply.not_coming"), proxy: t("reply.proxy") }[answer];
  setText($("#answer-saved"), words ? t("reply.saved", { answer: answer === "proxy" ? `${words}（${said.reply.holder}）` : words }) : "");
}

/** The holder of this code, and their reply so far: shown with the choices, when replies are still taken. */
async function openAnswer(code) {
  answerCode = code;
  const said = await sendAnswer({});
  if (!said.ok || !said.open) {
    answerCode = "";
    return false;
  }
  showAnswer(said);
  render();
  return true;
}

function setupAnswer() {
  for (const b of $$("#answer-card [data-answer]")) {
    b.addEventListener("click", async () => {
      const body = { answer: b.dataset.answer };
      if (b.dataset.answer === "proxy") body.holder = $("#answer-holder").value.trim();
      b.disabled = true;
      const said = await sendAnswer(body).finally(() => { b.disabled = false; });
      if (!said.ok) return notify(said.error || t("error.refused"), "error");
      showAnswer(said);
      notify(t("reply.saved", { answer: b.textContent }));
    });
  }
  $("#answer-check-in").addEventListener("click", async (e) => {
    const code = answerCode;
    answerCode = "";
    if (!await checkIn({ code }, e.currentTarget)) answerCode = code;
    render();
  });
}

function setupCheckIn() {
  // The page's buttons wait for this script: a form sent without it would only reload the page.
  $("#code-submit").disabled = false;
  $("#walkin-submit").disabled = false;
  $("#code-form").addEventListener("submit", (e) => {
    e.preventDefault();
    checkIn({ code: $("#code-input").value.trim() }, $("#code-submit"));
  });
  $("#walkin").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    checkIn({
      name: form.elements.name.value.trim(),
      category: form.elements.category.value,
      role: form.elements.role.value,
    }, $("#walkin-submit"));
  });
}

function renderCheckIn(view) {
  const select = $("#walkin-category");
  const chosen = select.value;
  fill(select, h("option", { value: "", text: t("checkin.choose_category") }),
    view.categories.map((c) => h("option", { value: c.key, text: categoryLabel(view, c.key) })));
  select.value = chosen;
  setText($("#walkin-submit"), t("checkin.submit"));
}

// -- the floor and the vote ---------------------------------------------------------------

const justVoted = {}; // poll id -> choice, until `me` from the server says so too
// A secret ballot's receipt and choice, kept on this phone alone: the server keeps neither beside it.
const RECEIPTS = `yishi:${boot.meeting}:receipts`;
const receipts = () => JSON.parse(localStorage.getItem(RECEIPTS) || "{}");
const shownReceipt = (r) => `${r.slice(0, 4)}-${r.slice(4)}`;
function keepReceipt(key, receipt, choice) {
  localStorage.setItem(RECEIPTS, JSON.stringify({ ...receipts(), [key]: { receipt, choice } }));
}
/** This phone's ballot in a poll: its choice; null when it voted in secret and this phone does not
 *  keep what (another browser); undefined when it has not voted. */
function myBallot(poll, me) {
  const said = me.voted?.[poll.id];
  // what this page just sent first: in a poll whose vote may be changed, `me` may still say the last one
  return justVoted[poll.id] ?? said ?? receipts()[poll.id]?.choice ?? (said === null ? null : undefined);
}
const DEFAULT_REPLY_SECONDS = 60;
let replyOpenFor = null; // the speech whose reply stances are open on this phone

function openReply(speechId) {
  replyOpenFor = speechId;
  render();
}

function setupFloor() {
  for (const b of $$("#stances button")) {
    b.addEventListener("click", () => act(live, "raise_hand", { stance: b.dataset.stance, kind: "speech" }, { button: b }));
  }
  $("#point-of-order").addEventListener("click", (e) =>
    act(live, "raise_hand", { stance: "other", kind: "point_of_order" }, { button: e.currentTarget }));
  $("#withdraw").addEventListener("click", (e) => act(live, "withdraw_hand", {}, { button: e.currentTarget }));
  // A direct reply to the speech under way: one tap opens the stances, the second sends it.
  $("#reply").addEventListener("click", () => openReply(replyOpenFor ? null : live.view?.speaker?.id ?? null));
  $("#reply-cancel").addEventListener("click", () => openReply(null));
  for (const b of $$("#reply-stances button[data-stance]")) {
    b.addEventListener("click", async () => {
      const ack = await act(live, "raise_hand", { stance: b.dataset.stance, kind: "reply" }, { button: b });
      if (ack.ok) openReply(null);
    });
  }
}

/** While someone else has the floor: reply to their speech (heard right after it), one reply at a
 *  time. Says whether the reply's stances are open. */
function renderReply(view, me, asking) {
  const s = view.speaker;
  const canReply = asking && Boolean(s) && s.who.id !== me.participant.id;
  show($("#reply-box"), canReply);
  if (!canReply) {
    replyOpenFor = null;
    return false;
  }
  if (replyOpenFor && replyOpenFor !== s.id) replyOpenFor = null; // another speech now: start again
  const taken = view.queue.some((r) => r.kind === "reply" && r.replies_to === s.id);
  show($("#reply-taken"), taken);
  show($("#reply"), !taken);
  const open = !taken && replyOpenFor === s.id;
  show($("#reply-stances"), open);
  $("#reply").setAttribute("aria-expanded", String(open));
  const seconds = view.floor?.limits?.reply_seconds || DEFAULT_REPLY_SECONDS;
  setText($("#reply-hint"), t("floor.reply_hint", { name: s.who.name, seconds }));
  return open;
}

function renderFloor(view, me) {
  const pid = me.participant.id;
  const open = view.status !== "closed";
  const speaking = view.speaker?.who.id === pid;
  // The room's queue is in the order the policy hears it (the same order as `me.queue_place`, and
  // sent with every change, so it is never behind).
  const index = view.queue.findIndex((r) => r.who.id === pid);
  const place = index + 1;
  const mine = index >= 0 ? view.queue[index] : null;
  show($("#floor"), open && me.participant.role === "attendee");
  // No item open yet: nothing to ask the floor for, so no buttons that would only be refused.
  const asking = !speaking && !place && view.current_item !== null;
  // Choosing a reply's stance: the ordinary request's buttons step aside, so no tap goes astray.
  const replying = renderReply(view, me, asking && open && me.participant.role === "attendee");
  show($("#stances"), asking && !replying);
  show($("#point-of-order"), asking && !replying);
  show($("#withdraw"), place > 0);
  const status = $("#queue-place");
  show(status, !replying); // the reply's own line asks for the stance
  status.classList.toggle("speaking", speaking);
  status.classList.toggle("next", place === 1);
  if (speaking) setText(status, t("floor.you_speak"));
  else if (place === 1) setText(status, t("floor.your_place_next", { n: place }));
  else if (place) setText(status, t("floor.your_place", { n: place }));
  else setText(status, view.current_item === null ? t("floor.no_item") : t("floor.choose_stance"));
  const why = mine ? reasonLabel(mine.reason) : "";
  show($("#queue-why"), Boolean(why));
  setText($("#queue-why"), why ? t("floor.why", { why }) : "");
}

function renderVote(view, me) {
  // Open polls, and the result of the current item's binding votes once closed.
  const polls = view.polls.filter((p) => (p.open && view.status !== "closed")
    || (!p.open && p.rule && p.item === view.current_item));
  const box = $("#vote");
  show(box, polls.length > 0 && (me.participant.role === "attendee" || polls.some((p) => !p.open)));
  // 表决 only for a binding vote (one with a rule); a straw poll asks a preference (意向投票)
  const binding = polls.filter((p) => p.rule).length;
  const title = $("#vote-title");
  title.dataset.i18n = binding === polls.length ? "poll.vote" : binding ? "poll.vote_and_preference" : "poll.preference";
  setText(title, binding === polls.length ? t("poll.vote") : binding ? t("poll.vote_and_preference") : t("poll.preference"));
  // one block per poll (usually one)
  keyed($("#vote-polls"), polls, (p) => p.id,
    () => h("div", { class: "vote-poll" }, h("p", { class: "question" }), h("div", { class: "binding" }),
      h("div", { class: "choices" }), confirmRow(), h("p", { class: "status voted" }), h("p", { class: "status counted" }),
      h("div", { class: "for-proxies" }), h("p", { class: "status secrecy" }),
      h("button", { type: "button", class: "big change-vote", hidden: true })),
    (block, poll) => {
      block.dataset.poll = poll.id;
      const [question, bindingPart, choices, confirming, status, counted, forProxies, secrecy, change] = block.children;
      renderProxyBallots(forProxies, poll, me);
      setText(question, poll.question);
      // said before anyone votes: a secret ballot nobody can link to its voter, or a roll call's public vote
      show(secrecy, poll.open && (poll.secret || poll.named));
      setText(secrecy, poll.secret ? t("poll.secret_note") : poll.named ? t("poll.named_note") : "");
      renderBinding(bindingPart, poll);
      show(choices, poll.open && me.participant.role === "attendee");
      const choice = myBallot(poll, me);
      // a poll that allows it: the vote may be changed until the close (the last one counts)
      show(change, choice !== undefined && poll.open && poll.changeable && !changing[poll.id]);
      setText(change, t("poll.change_vote"));
      change.onclick = () => { changing[poll.id] = true; choosing[poll.id] = structuredClone(choice); render(); };
      const voted = choice !== undefined && !changing[poll.id];
      if (poll.kind === "evaluation") return renderEvaluation(block, poll, me, voted);
      if (choices.dataset.lang !== document.documentElement.lang || choices.children.length !== poll.options.length) {
        choices.dataset.lang = document.documentElement.lang;
        fill(choices, poll.options.map((_, i) => h("button", {
          // choosing sends nothing (data-local: it works offline); the confirmation sends
          type: "button", class: "big wide", dataset: { option: i, local: "" }, text: optionLabel(poll, i),
          onclick: () => { choose(poll, i); render(); },
        })));
      }
      // A ballot cannot be taken back: the choice is said once more and confirmed before it is sent.
      // Multiple choice: options are ticked (up to the poll's limit) and the ticked ones confirmed.
      const many = poll.kind === "multiple" || poll.kind === "ranking";
      const pending = voted || !poll.open ? undefined : (choosing[poll.id] ?? (many ? [] : undefined));
      const sent = choice ?? (many ? [] : -1); // null: voted in secret, what not kept on this phone
      const picked = (i) => (many ? (voted ? sent : pending || []).includes(i) : i === (voted ? sent : pending));
      for (const b of choices.children) {
        const i = Number(b.dataset.option);
        b.disabled = voted;
        b.classList.toggle("chosen", picked(i));
        if (many) b.setAttribute("aria-pressed", String(picked(i)));
        // a ranking: each option tapped shows its place in the order
        if (poll.kind === "ranking") b.dataset.rank = picked(i) ? String((voted ? sent : pending).indexOf(i) + 1) : "";
      }
      show(confirming, pending !== undefined && (!many || me.participant.role === "attendee"));
      if (pending !== undefined) {
        const said = poll.kind === "ranking" ? t("poll.confirm_ranking", { order: ballotLabel(poll, pending) })
          : many ? t("poll.confirm_many", { choices: ballotLabel(poll, pending), n: pending.length, max: poll.max_choices })
            : t("poll.confirm", { choice: optionLabel(poll, pending) });
        setText(confirming.querySelector(".confirm-text"), said + finality(poll));
        setText(confirming.querySelector(".confirm"), t("poll.confirm_send"));
        setText(confirming.querySelector(".change"), t("poll.change_choice"));
        confirming.querySelector(".confirm").onclick = (e) => vote(poll.id, pending, e.currentTarget);
        confirming.querySelector(".change").onclick = () => { delete choosing[poll.id]; render(); };
      }
      showSent(status, poll, voted ? choice : undefined);
      // The running count, once this phone has voted (not before: it should not sway the vote), unless
      // the moderator keeps the results for later: then that it was counted, and how many have voted.
      show(counted, voted);
      if (!voted) return setText(counted, "");
      if (poll.counts === null) return setText(counted, hiddenCount(poll));
      const counts = poll.options.map((_, i) => `${optionLabel(poll, i)} ${poll.counts[i]}`).join(" · ");
      const total = poll.counts.reduce((a, b) => a + b, 0);
      setText(counted, t("poll.counted", { total, counts }));
    });
}

const choosing = {}; // poll id -> the option tapped (multiple choice: those ticked), waiting for the confirmation
const changing = {}; // poll id -> true while this phone changes its vote (a poll that allows it)
const finality = (poll) => (poll.changeable ? t("poll.changeable") : t("poll.final"));

/** An evaluation: one row per official or service, each rated 满意 / 基本满意 / 不满意 or left
 *  unrated (tapping the rating again takes it back); the ratings are said back and confirmed. */
function renderEvaluation(block, poll, me, voted) {
  const [, , choices, confirming, status, counted] = block.children;
  const mine = myBallot(poll, me);
  if (choices.dataset.lang !== document.documentElement.lang || choices.children.length !== poll.options.length) {
    choices.dataset.lang = document.documentElement.lang;
    fill(choices, poll.options.map((name, i) => h("div", { class: "rate-row", role: "group", "aria-label": name },
      h("p", { class: "who", text: name }), h("div", { class: "rates" }, ratingButtons(i)))));
    choices.onclick = (e) => {
      const b = e.target.closest("button.rate");
      if (!b) return;
      const ratings = choosing[poll.id] || poll.options.map(() => -1);
      const rating = Number(b.dataset.rating);
      ratings[Number(b.dataset.person)] = ratings[Number(b.dataset.person)] === rating ? -1 : rating;
      choosing[poll.id] = ratings;
      render();
    };
  }
  const ratings = (voted ? mine : choosing[poll.id]) || poll.options.map(() => -1);
  for (const b of choices.querySelectorAll("button.rate")) {
    const on = ratings[Number(b.dataset.person)] === Number(b.dataset.rating);
    b.disabled = voted;
    b.classList.toggle("chosen", on);
    b.setAttribute("aria-pressed", String(on));
  }
  show(confirming, !voted && poll.open);
  if (!voted && poll.open) {
    setText(confirming.querySelector(".confirm-text"), t("poll.confirm_evaluation", { ratings: ballotLabel(poll, ratings) })
      + finality(poll));
    setText(confirming.querySelector(".confirm"), t("poll.confirm_send"));
    setText(confirming.querySelector(".change"), t("poll.change_choice"));
    confirming.querySelector(".confirm").onclick = (e) => vote(poll.id, [...ratings], e.currentTarget);
    confirming.querySelector(".change").onclick = () => { delete choosing[poll.id]; render(); };
  }
  showSent(status, poll, voted ? mine : undefined);
  show(counted, voted);
  setText(counted, !voted ? "" : poll.evaluated === null ? hiddenCount(poll)
    : t("poll.counted_evaluation", { voters: poll.voters }));
}

/** What this phone sent; in a secret poll without it on this phone, only that it voted. */
function showSent(status, poll, choice) {
  show(status, choice !== undefined);
  setText(status, choice === undefined ? "" : choice === null ? t("poll.voted_secret")
    : t("poll.voted", { choice: ballotLabel(poll, choice) }));
}

/** Counted, the result not yet shown: a secret ballot's receipt, to find in the list at the close. */
function hiddenCount(poll) {
  const kept = poll.secret && receipts()[poll.id];
  return kept ? t("poll.receipt", { receipt: shownReceipt(kept.receipt), voters: poll.voters })
    : t("poll.counted_hidden", { voters: poll.voters });
}

function choose(poll, i) {
  if (poll.kind !== "multiple" && poll.kind !== "ranking") {
    choosing[poll.id] = i;
    return;
  }
  const ticked = choosing[poll.id] || [];
  if (ticked.includes(i)) choosing[poll.id] = ticked.filter((x) => x !== i);
  else if (poll.kind === "ranking") choosing[poll.id] = [...ticked, i]; // in the order tapped
  else if (ticked.length < poll.max_choices) choosing[poll.id] = [...ticked, i].sort((a, b) => a - b);
  else notify(t("poll.at_most", { max: poll.max_choices }), "error");
}

function confirmRow() {
  return h("div", { class: "confirm-row", role: "group", hidden: true },
    h("p", { class: "confirm-text" }),
    h("div", { class: "grid2" },
      h("button", { type: "button", class: "big primary confirm" }),
      h("button", { type: "button", class: "big change" })));
}

/** A ballot for each absent member whose written proxy this phone holds (recorded at the desk). */
function renderProxyBallots(box, poll, me) {
  // a proxy's ballot here is one choice: multiple choice, rankings and evaluations are entered at the desk
  const held = poll.open && ["yes_no_abstain", "rating", "single"].includes(poll.kind) ? me.proxies || [] : [];
  keyed(box, held, (x) => x.principal,
    () => h("div", { class: "proxy-ballot" }, h("p", { class: "for" }), h("div", { class: "choices" }), confirmRow(),
      h("p", { class: "status" })),
    (div, x) => {
      div.dataset.principal = String(x.principal);
      const [label, choices, confirming, status] = div.children;
      const key = `${poll.id}:${x.principal}`;
      setText(label, t("proxy.vote_for", { name: x.name }));
      const said = x.voted?.[poll.id];
      const choice = said === null ? receipts()[key]?.choice ?? null : said;
      if (choices.children.length !== poll.options.length || choices.dataset.lang !== document.documentElement.lang) {
        choices.dataset.lang = document.documentElement.lang;
        fill(choices, poll.options.map((_, i) => h("button", {
          // as one's own ballot: choosing sends nothing, the confirmation does
          type: "button", class: "big wide", dataset: { option: i, local: "" }, text: optionLabel(poll, i),
          onclick: () => { choosing[key] = i; render(); },
        })));
      }
      const pending = choice === undefined ? choosing[key] : undefined;
      for (const b of choices.children) {
        b.disabled = choice !== undefined;
        b.classList.toggle("chosen", Number(b.dataset.option) === (choice ?? pending));
      }
      show(confirming, pending !== undefined);
      if (pending !== undefined) {
        setText(confirming.querySelector(".confirm-text"), t("proxy.confirm", { name: x.name, choice: optionLabel(poll, pending) })
          + finality(poll));
        setText(confirming.querySelector(".confirm"), t("poll.confirm_send"));
        setText(confirming.querySelector(".change"), t("poll.change_choice"));
        confirming.querySelector(".confirm").onclick = async (e) => {
          const ack = await act(live, "cast_ballot", { poll_id: poll.id, choice: pending, for_invitee: x.principal },
            { button: e.currentTarget });
          if (ack.ok && ack.receipt) keepReceipt(key, ack.receipt, pending);
          if (ack.ok) delete choosing[key];
          render();
        };
        confirming.querySelector(".change").onclick = () => { delete choosing[key]; render(); };
      }
      show(status, choice !== undefined);
      setText(status, choice === undefined ? "" : t("proxy.voted_for", { name: x.name,
        choice: choice === null ? t("poll.secret_kept") : optionLabel(poll, choice) }));
    });
}

async function vote(pollId, choice, button) {
  const ballot = Array.isArray(choice) ? { poll_id: pollId, choices: choice } : { poll_id: pollId, choice };
  const ack = await act(live, "cast_ballot", ballot, { button });
  if (ack.ok) {
    if (ack.receipt) keepReceipt(pollId, ack.receipt, choice);
    justVoted[pollId] = choice;
    delete choosing[pollId];
    delete changing[pollId];
    if (ack.tally) live.tally(ack.tally); // the count that includes this ballot
    render();
  }
}

// -- secret ballots' receipts, checked in the public list once their poll has closed -------

const checked = {}; // receipt key (poll id, or poll id:principal) -> asking | found | differs | missing

function renderReceipts(view) {
  const pollOf = (key) => view.polls.find((p) => p.id === key.split(":")[0] && !p.open);
  const closed = Object.entries(receipts()).filter(([key]) => pollOf(key));
  show($("#receipts"), closed.length > 0);
  keyed($("#receipt-list"), closed, ([key]) => key, () => h("p", { class: "receipt" }), (line, [key, mine]) => {
    const poll = pollOf(key);
    if (!checked[key]) checkReceipt(poll, key, mine);
    const args = { question: poll.question, receipt: shownReceipt(mine.receipt), choice: ballotLabel(poll, mine.choice) };
    setText(line, checked[key] === "found" ? t("receipt.found", args) : checked[key] === "differs" ? t("receipt.differs", args)
      : checked[key] === "missing" ? t("receipt.missing", args) : t("receipt.asking", args));
    line.classList.toggle("error", checked[key] === "missing" || checked[key] === "differs");
  });
}

/** The whole list is fetched and searched here: asking for one receipt would tell the server whose it is. */
async function checkReceipt(poll, key, mine) {
  checked[key] = "asking";
  try {
    const r = await fetch(`/meetings/${boot.meeting}/polls/${poll.id}/receipts`);
    if (!r.ok) throw new Error(String(r.status));
    const found = (await r.json()).ballots.find((b) => b.receipt === mine.receipt);
    checked[key] = !found ? "missing"
      : JSON.stringify(found.choices ?? found.choice) === JSON.stringify(mine.choice) ? "found" : "differs";
  } catch {
    setTimeout(() => { delete checked[key]; render(); }, 10000); // offline, or the server busy: ask again later
  }
  render();
}

// -- one's own opinions and objections ----------------------------------------------------

// With the organisers' explanations and the objector's answer. Answering stays possible after
// the meeting has closed.

function setupOwn() {
  $("#opinion-send").addEventListener("click", async (e) => {
    const text = $("#opinion-text");
    const ack = await act(live, "submit_opinion", { text: text.value.trim() },
      { button: e.currentTarget, done: t("opinion.sent") });
    if (ack.ok) text.value = "";
  });
  // One who voted or spoke against asks the organisers why (request_explanation): it joins their
  // objections below, where the explanation comes and they answer it.
  $("#ask-send").addEventListener("click", async (e) => {
    const reason = $("#ask-reason");
    const ack = await act(live, "request_explanation", { item: Number($("#ask-item").value), reason: reason.value.trim() },
      { button: e.currentTarget, done: t("ask.sent") });
    if (ack.ok) reason.value = "";
  });
  $("#objection-send").addEventListener("click", async (e) => {
    const reason = $("#objection-reason");
    const ack = await act(live, "raise_objection", { reason: reason.value.trim() },
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
    const ack = await act(live, "answer_objection",
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
  setText(li.querySelector(".reason"), o.during === "request" ? `${t("ask.asked")}${o.reason}` : o.reason);
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

function renderOwn(view, me) {
  const open = view.status !== "closed";
  // Both are about the item under discussion: before one is open, a line says when they come.
  const writing = open && view.current_item !== null;
  show($("#own-later"), open && !writing);
  show($("#opinion-form"), writing);
  show($("#opinion"), writing || me.opinions.length > 0);
  show($("#objection-form"), writing);
  show($("#objection"), writing || me.objections.length > 0);
  keyed($("#my-opinions"), me.opinions.slice().reverse(), (o) => o.id,
    () => h("li", {}, h("span", { class: "text" }), h("span", { class: "status" })),
    (li, o) => {
      setText(li.firstChild, o.text);
      li.lastChild.dataset.visible = String(o.visible);
      setText(li.lastChild, opinionStatus(o.visible));
    });
  keyed($("#my-objections"), me.objections.slice().reverse(), (o) => o.id, objectionNode,
    (li, o) => updateObjection(view, li, o));
  // After the close, until the publicity period's last day (Beijing's date, as the server counts it).
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  const asking = (me.may_request || []).length > 0 && (open || !me.request_until || today <= me.request_until);
  show($("#ask"), asking);
  if (asking) {
    const select = $("#ask-item");
    const chosen = select.value;
    select.replaceChildren(...me.may_request.map((i) => h("option", { value: String(i), text: itemLabel(view, i) })));
    if (me.may_request.includes(Number(chosen)) && chosen !== "") select.value = chosen;
  }
}

// -- what is now the person's to do ---------------------------------------------------------

// Wherever the person has scrolled: they are heard next, the floor is theirs, a vote has opened,
// an explanation of their objection has come. A full-width banner at the top, a short vibration
// where the phone can, and the card scrolled into view. Each thing is announced once.

let seen = null; // what was already there: {speaking, next, polls: Set, explanations: Map}
let showing = null; // what the banner says now ("next", "floor" …), null when it is away

function announce(what, text, target) {
  showing = what;
  const banner = $("#alert");
  setText($("#alert-text"), text);
  show(banner, true);
  banner.classList.remove("flash");
  void banner.offsetWidth; // restart the flash for a second alert
  banner.classList.add("flash");
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  // The banner stays at the top: the card comes to rest below it, not under it.
  document.documentElement.style.scrollPaddingTop = `${banner.offsetHeight + 12}px`;
  target?.scrollIntoView({ behavior: "smooth", block: "start" });
}

function setupAlerts() {
  $("#alert-close").addEventListener("click", () => {
    show($("#alert"), false);
    showing = null;
  });
}

function watchForAlerts(view, me) {
  if (!view || !me || me.participant.status !== "in") return;
  const speaking = view.speaker?.who.id === me.participant.id; // from the room's view: it moves first
  // Heard next (`me.next`): the room's queue is in the order heard and comes with every change,
  // while `me` comes only when this phone's own things change.
  const next = !speaking && view.status !== "closed" && view.queue[0]?.who.id === me.participant.id;
  const open = view.status === "closed" ? [] : view.polls.filter((p) => p.open);
  const explanations = new Map(me.objections.map((o) => [o.id, o.explanations.length]));
  if (seen === null) {
    // What was already there when the page opened is on the screen: only the floor is announced.
    seen = { speaking: false, next: false, polls: new Set(open.map((p) => p.id)), explanations };
  }
  if (next && !seen.next) announce("next", t("alert.next"), $("#floor"));
  if (!next && showing === "next") {
    // No longer next (a point of order or a reply came first, or the request went): the banner
    // would say what is no longer true.
    show($("#alert"), false);
    showing = null;
  }
  if (speaking && !seen.speaking) announce("floor", t("alert.floor"), $("#now"));
  const fresh = open.find((p) => !seen.polls.has(p.id));
  if (fresh && me.participant.role === "attendee") {
    // a straw poll is not called a vote (表决): it asks a preference
    announce("poll", fresh.rule ? t("alert.poll", { question: fresh.question }) : t("alert.preference", { question: fresh.question }),
      $("#vote"));
  }
  const answered = me.objections.find((o) => o.explanations.length > (seen.explanations.get(o.id) ?? 0));
  if (answered) announce("explained", t("alert.explained"), $("#objection"));
  seen = { speaking, next, polls: new Set([...seen.polls, ...open.map((p) => p.id)]), explanations };
}

// -- what became of the decisions (落实进展): static/js/phone-progress.js, once the meeting has closed

let progressPart = null;
let progressAsked = false;
function readProgress() {
  if (progressPart) return progressPart.readProgress();
  if (live.view?.status !== "closed" || progressAsked) return;
  progressAsked = true;
  import("./phone-progress.js").then((m) => {
    progressPart = m;
    m.setup({ live, meeting: boot.meeting });
    m.readProgress();
  }, () => { progressAsked = false; });
}
const renderProgress = () => progressPart?.renderProgress();

// -- the page ------------------------------------------------------------------------------

/** The agenda with each item's background (议程与材料): readable before the meeting and during it,
 *  the item under discussion marked. */
function renderMaterial(view, closed) {
  show($("#material"), !closed && view.agenda.length > 0);
  fill($("#material-list"), view.agenda.map((item, i) => h("li", { class: i === view.current_item ? "current" : "" },
    h("strong", { text: item.title }), i === view.current_item ? ` ${t("material.now")}` : "",
    item.background ? h("p", { text: item.background }) : null)));
}

/** At a hearing, the card to register to testify (static/js/phone-hearing.js): fetched the first
 *  time a hearing's view comes, so that no other meeting's phone waits for it. */
let hearingCard = null;
let hearingAsked = false;
function renderTestify(view, me) {
  if (hearingCard) return hearingCard.renderTestify(view, me);
  if (!view.hearing || hearingAsked) return;
  hearingAsked = true;
  import("./phone-hearing.js").then((m) => {
    hearingCard = m;
    m.setup({ live, code: () => answerCode, rerender: render });
    render();
  }, () => { hearingAsked = false; }); // offline: asked again with the next view
}

function render() {
  const { view, me } = live;
  if (!view) return;
  document.title = view.title;
  setText($("#title"), view.title);
  const closed = view.status === "closed";
  show($("#closed"), closed);
  if (me && ["refused", "withdrawn"].includes(me.participant.status)) {
    // The desk said this check-in is not who it claims: the phone starts again, and says why.
    notify(t("checkin.not_confirmed", { reason: me.participant.reason }), "error");
    identity.forget();
    live.me = null;
    live.socket.disconnect().connect();
    return;
  }
  if (me && me.participant.status === "merged") {
    // The desk found this phone's person under another check-in: the token now stands for that one.
    live.me = null;
    live.socket.disconnect().connect();
    return;
  }
  renderMaterial(view, closed);
  // A walk-in whose name is someone else's waits for the desk before it may act.
  const held = Boolean(me) && me.participant.status === "held";
  show($("#checkin"), !me && !closed && !answerCode);
  show($("#answer-card"), !me && !closed && Boolean(answerCode));
  show($("#held"), held && !closed);
  show($("#member"), Boolean(me) && !held);
  if (!me) {
    renderTestify(view, null);
    renderCheckIn(view);
    if (!closed) checkInFromLink();
    return;
  }
  const p = me.participant;
  if (held) return setText($("#held-name"), p.name);
  setText($("#me-name"), p.name);
  const role = p.role === "observer" ? ` · ${t("role.observer")}` : "";
  setText($("#me-meta"), `${categoryLabel(view, p.category)}${role}`);
  show($("#now"), !closed);
  setText($("#item"), itemLabel(view, view.current_item));
  setText($("#speaker-name"), view.speaker ? view.speaker.who.name : t("floor.nobody"));
  countdown($("#countdown"), view.speaker);
  renderFloor(view, me);
  renderTestify(view, me);
  renderVote(view, me);
  renderReceipts(view);
  renderOwn(view, me);
  watchForAlerts(view, me);
}

async function main() {
  // The page came with the check-in form showing; a phone that has checked in waits for its own part.
  if (identity.token()) show($("#checkin"), false);
  await loadLang(initialLang(boot, "join"));
  langSwitch($("#lang-switch"));
  setupCheckIn();
  setupAnswer();
  setupFloor();
  setupOwn();
  setupAlerts();
  live.on("view", render).on("me", render).on("view", readProgress);
  live.on("refused", (refusal) => {
    // A token this meeting does not know (say, the record was reset): start again as a guest.
    if (refusal.code === "bad_credentials" && identity.token()) {
      identity.forget();
      live.socket.connect();
    } else setText($("#title"), refusal.error);
  });
  onLangChange(render);
  onLangChange(renderProgress);
  live.start();
}

main();
