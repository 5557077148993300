// Asking for the floor and voting, from the phone.

import { $, $$, act, fill, h, keyed, optionLabel, setText, show, t } from "./client.js";
import { renderBinding } from "./binding.js";
import { reasonLabel } from "./fair-floor.js";

let ctx;
const justVoted = {}; // poll id -> choice, until `me` from the server says so too
const DEFAULT_REPLY_SECONDS = 60;
let replyOpenFor = null; // the speech whose reply stances are open on this phone

function openReply(speechId) {
  replyOpenFor = speechId;
  ctx.render();
}

export function setupFloor(c) {
  ctx = c;
  for (const b of $$("#stances button")) {
    b.addEventListener("click", () => act(ctx.live, "raise_hand", { stance: b.dataset.stance, kind: "speech" }, { button: b }));
  }
  $("#point-of-order").addEventListener("click", (e) =>
    act(ctx.live, "raise_hand", { stance: "other", kind: "point_of_order" }, { button: e.currentTarget }));
  $("#withdraw").addEventListener("click", (e) => act(ctx.live, "withdraw_hand", {}, { button: e.currentTarget }));
  // A direct reply to the speech under way: one tap opens the stances, the second sends it.
  $("#reply").addEventListener("click", () => openReply(replyOpenFor ? null : ctx.live.view?.speaker?.id ?? null));
  $("#reply-cancel").addEventListener("click", () => openReply(null));
  for (const b of $$("#reply-stances button[data-stance]")) {
    b.addEventListener("click", async () => {
      const ack = await act(ctx.live, "raise_hand", { stance: b.dataset.stance, kind: "reply" }, { button: b });
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

export function renderFloor(view, me) {
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

export function renderVote(view, me) {
  // Open polls, and the result of the current item's binding votes once closed.
  const polls = view.polls.filter((p) => (p.open && view.status !== "closed")
    || (!p.open && p.rule && p.item === view.current_item));
  const box = $("#vote");
  show(box, polls.length > 0 && (me.participant.role === "attendee" || polls.some((p) => !p.open)));
  // one block per poll (usually one)
  keyed($("#vote-polls"), polls, (p) => p.id,
    () => h("div", { class: "vote-poll" }, h("p", { class: "question" }), h("div", { class: "binding" }),
      h("div", { class: "choices" }), h("p", { class: "status voted" }), h("p", { class: "status counted" }),
      h("div", { class: "for-proxies" })),
    (block, poll) => {
      block.dataset.poll = poll.id;
      const [question, bindingPart, choices, status, counted, forProxies] = block.children;
      renderProxyBallots(forProxies, poll, me);
      setText(question, poll.question);
      renderBinding(bindingPart, poll);
      show(choices, poll.open && me.participant.role === "attendee");
      const choice = me.voted?.[poll.id] ?? justVoted[poll.id];
      const voted = choice !== undefined;
      if (choices.dataset.lang !== document.documentElement.lang || choices.children.length !== poll.options.length) {
        choices.dataset.lang = document.documentElement.lang;
        fill(choices, poll.options.map((_, i) => h("button", {
          type: "button", class: "big wide", dataset: { option: i }, text: optionLabel(poll, i),
          onclick: (e) => vote(poll.id, i, e.currentTarget),
        })));
      }
      for (const b of choices.children) {
        b.disabled = voted;
        b.classList.toggle("chosen", voted && Number(b.dataset.option) === choice);
      }
      show(status, voted);
      setText(status, voted ? t("poll.voted", { choice: optionLabel(poll, choice) }) : "");
      // The running count, once this phone has voted (not before: it should not sway the vote).
      show(counted, voted);
      const counts = poll.options.map((_, i) => `${optionLabel(poll, i)} ${poll.counts[i]}`).join(" · ");
      const total = poll.counts.reduce((a, b) => a + b, 0);
      setText(counted, voted ? t("poll.counted", { total, counts }) : "");
    });
}

/** A ballot for each absent member whose written proxy this phone holds (recorded at the desk). */
function renderProxyBallots(box, poll, me) {
  const held = poll.open ? me.proxies || [] : [];
  keyed(box, held, (x) => x.principal,
    () => h("div", { class: "proxy-ballot" }, h("p", { class: "for" }), h("div", { class: "choices" }), h("p", { class: "status" })),
    (div, x) => {
      div.dataset.principal = String(x.principal);
      const [label, choices, status] = div.children;
      setText(label, t("proxy.vote_for", { name: x.name }));
      const choice = x.voted?.[poll.id];
      if (choices.children.length !== poll.options.length || choices.dataset.lang !== document.documentElement.lang) {
        choices.dataset.lang = document.documentElement.lang;
        fill(choices, poll.options.map((_, i) => h("button", {
          type: "button", class: "big wide", dataset: { option: i }, text: optionLabel(poll, i),
          onclick: (e) => act(ctx.live, "cast_ballot", { poll_id: poll.id, choice: i, for_invitee: x.principal },
            { button: e.currentTarget }),
        })));
      }
      for (const b of choices.children) {
        b.disabled = choice !== undefined;
        b.classList.toggle("chosen", choice !== undefined && Number(b.dataset.option) === choice);
      }
      show(status, choice !== undefined);
      setText(status, choice !== undefined ? t("proxy.voted_for", { name: x.name, choice: optionLabel(poll, choice) }) : "");
    });
}

async function vote(pollId, choice, button) {
  const ack = await act(ctx.live, "cast_ballot", { poll_id: pollId, choice }, { button });
  if (ack.ok) {
    justVoted[pollId] = choice;
    if (ack.tally) ctx.live.tally(ack.tally); // the count that includes this ballot
    ctx.render();
  }
}
