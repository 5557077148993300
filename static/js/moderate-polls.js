// Polls: open one for the current item (a straw poll, or a binding one under a stated rule),
// watch the live counts, enter the ballots of people without a phone (moderate-behalf.js), add and
// correct the hands counted in the room, close it.

import {
  $, categoryLabel, evaluationTable, fillSelect, h, itemLabel, keyed, markDirty, optionLabel, pollRows, fill, rankedLines,
  setText, syncValue, t,
} from "./client.js";
import { renderBinding, ruleLabel } from "./binding.js";
import { ballotForm, enterFor, showBallotForm } from "./moderate-behalf.js";

const RULES = ["cast", "present", "entitled", "two_thirds_cast", "two_thirds_present", "two_thirds_entitled",
  "owners", "owners_special"];
const AREA_RULES = ["owners", "owners_special"]; // each ballot weighs the owner's area: hands carry none

let ctx;

export function setup(c) {
  ctx = c;
  const kind = $("#poll-kind");
  kind.addEventListener("change", () => {
    $("#poll-options").hidden = !["single", "multiple", "ranking", "evaluation"].includes(kind.value);
    $("#poll-max-box").hidden = kind.value !== "multiple";
    $("#poll-method-box").hidden = kind.value !== "ranking";
  });
  $("#poll-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = { question: $("#poll-question").value.trim(), kind: kind.value };
    if (["single", "multiple", "ranking", "evaluation"].includes(kind.value)) data.options = $("#poll-options").value.split("\n").map((o) => o.trim()).filter(Boolean);
    if (kind.value === "multiple") data.max_choices = Number.parseInt($("#poll-max").value, 10) || 0;
    if (kind.value === "ranking") data.method = $("#poll-method").value;
    if ($("#poll-rule").value) data.rule = $("#poll-rule").value;
    if ($("#poll-hide").checked) data.hide_results = true;
    // "secret" or "named", sent only when chosen: an ordinary poll's payload stays as it was
    const secrecy = $("#poll-form input[name=secrecy]:checked")?.value;
    if (secrecy) data[secrecy] = true;
    if ($("#poll-changeable").checked) data.changeable = true; // voters may vote again until it closes
    let ack = await ctx.act("open_poll", data, { button: e.submitter, done: t("poll.opened") });
    if (ack.code === "no_quorum") {
      // A binding vote without quorum needs the chair's reason, which the minutes state.
      const reason = (prompt(t("binding.override_prompt", { error: ack.error })) || "").trim();
      if (reason) ack = await ctx.act("open_poll", { ...data, quorum_override: reason }, { button: e.submitter, done: t("poll.opened") });
    }
    if (ack.ok) {
      $("#poll-question").value = "";
      $("#poll-options").value = "";
      // secrecy is chosen for each poll, never carried over to the next by accident
      $("#poll-secrecy-plain").checked = true;
      $("#poll-changeable").checked = false;
    }
  });
}

/** Whether a poll takes hands: not a ranking or an evaluation (an order, or ratings, cannot be
 *  shown by hands), not an owners' vote (hands carry no area), not a roll call (each by name). */
function takesHands(poll) {
  return !["ranking", "evaluation"].includes(poll.kind) && !AREA_RULES.includes(poll.rule) && !poll.named;
}

function pollNode(poll) {
  const hands = h("div", { class: "hands" });
  const add = h("button", { type: "button", class: "add-hands" });
  add.addEventListener("click", async () => {
    const inputs = [...hands.querySelectorAll("input")];
    const counts = inputs.map((i) => Math.max(0, Number.parseInt(i.value, 10) || 0));
    const ack = await ctx.act("add_hand_count", { poll_id: poll.id, counts }, { button: add, done: t("poll.hands_added") });
    if (ack.ok) inputs.forEach((i) => { i.value = ""; });
  });
  const deskBallot = ballotForm(poll);
  // Who has not voted yet, each with a button that opens the desk's ballot for them.
  const names = h("ul", { class: "names" });
  names.addEventListener("click", (e) => {
    const button = e.target.closest("button.enter-for");
    if (button) enterFor(deskBallot, button.dataset.participant);
  });
  // The room sees the count once the moderator says so (during the vote, or after it closes).
  const reveal = h("button", { type: "button", class: "reveal primary" });
  reveal.addEventListener("click", () => ctx.act("reveal_results", { poll_id: poll.id }, { button: reveal, done: t("poll.revealed") }));
  const close = h("button", { type: "button", class: "close-poll danger" });
  close.addEventListener("click", () => {
    // Closing ends the vote for everyone: asked once more, as the result is read out next.
    if (confirm(t("poll.confirm_close", { question: poll.question }))) ctx.act("close_poll", { poll_id: poll.id }, { button: close });
  });
  return h("div", { class: "poll", dataset: { poll: poll.id } },
    h("p", { class: "question" }), h("p", { class: "meta" }), h("div", { class: "binding" }),
    h("div", { class: "rows" }), h("div", { class: "ranked" }), h("div", { class: "evaluated" }), h("p", { class: "total" }), h("p", { class: "progress" }),
    h("p", { class: "kept" }), h("table", { class: "by-category" }),
    h("details", { class: "not-voted" }, h("summary"), names, h("p", { class: "more" })),
    h("details", { class: "hand-count" }, h("summary"), hands, add), deskBallot, correctionForm(poll),
    reveal, close);
}

/** Corrected totals of the hands (replacing every count so far, not the ballots), with the reason
 *  the minutes print: while the poll runs or after it closed, as long as the meeting is open. */
function correctionForm(poll) {
  const counts = h("div", { class: "corrected" });
  const reason = h("input", { class: "correct-reason", maxlength: 200 });
  const save = h("button", { type: "button", class: "correct-hands" });
  save.addEventListener("click", async () => {
    const inputs = [...counts.querySelectorAll("input")];
    const corrected = inputs.map((i) => Math.max(0, Number.parseInt(i.value, 10) || 0));
    const ack = await ctx.act("correct_hand_count", { poll_id: poll.id, counts: corrected, reason: reason.value.trim() },
      { button: save, done: t("desk.corrected") });
    if (ack.ok) {
      reason.value = "";
      inputs.forEach((input, i) => {
        delete input.dataset.dirty;
        input.value = String(corrected[i]);
      });
    }
  });
  return h("details", { class: "hand-correct" }, h("summary"), h("p", { class: "hint now" }), counts,
    h("label", { class: "reason" }, h("span"), reason), save);
}

function updateCorrection(v, node, poll) {
  const box = node.querySelector(".hand-correct");
  box.hidden = v.status === "closed" || !takesHands(poll) || !poll.hands;
  if (box.hidden) return;
  setText(box.querySelector("summary"), t("desk.correct"));
  const now = poll.options.map((_, i) => `${optionLabel(poll, i)} ${poll.hands[i]}`).join(" · ");
  setText(box.querySelector(".now"), t("desk.correct_hint", { counts: now }));
  const counts = box.querySelector(".corrected");
  if (counts.children.length !== poll.options.length || counts.dataset.lang !== document.documentElement.lang) {
    counts.dataset.lang = document.documentElement.lang;
    fill(counts, poll.options.map((_, i) => {
      const input = h("input", { type: "number", min: 0, step: 1, inputmode: "numeric", dataset: { option: i } });
      markDirty(input);
      return h("label", {}, h("span", { text: optionLabel(poll, i) }), input);
    }));
  }
  // the hands counted so far, until someone types a correction over them
  counts.querySelectorAll("input").forEach((input, i) => syncValue(input, String(poll.hands[i])));
  setText(box.querySelector("label.reason > span"), t("desk.correct_reason"));
  setText(box.querySelector(".correct-hands"), t("desk.correct_save"));
}

function updatePoll(v, node, poll) {
  setText(node.querySelector(".question"), poll.question);
  const state = poll.open ? t("poll.is_open") : t("poll.is_closed");
  const kindText = poll.kind === "multiple" ? t("poll.kind_multiple_at_most", { max: poll.max_choices })
    : poll.kind === "ranking" ? t("poll.kind_ranking", { method: t(`poll.method.${poll.method}`) }) : t(`poll.kind.${poll.kind}`);
  fill(node.querySelector(".evaluated"), poll.kind === "evaluation" ? evaluationTable(poll) : null);
  setText(node.querySelector(".meta"), `${itemLabel(v, poll.item)} · ${kindText} · ${state}`);
  node.classList.toggle("closed", !poll.open);
  renderBinding(node.querySelector(".binding"), poll);
  // a secret poll still open has no count, for the moderator either: its box is counted at the close
  const sealed = poll.secret && poll.open;
  const { rows, total } = sealed ? { rows: [], total: poll.voters } : pollRows(poll);
  fill(node.querySelector(".rows"), rows);
  const handTotal = (poll.hands || []).reduce((a, b) => a + b, 0);
  setText(node.querySelector(".total"), sealed ? t("poll.sealed", { voters: poll.voters })
    : t("poll.total_hands", { total, phones: poll.voters, hands: handTotal }));
  // How far the vote has come: of those who may vote now (a binding vote's base, else the attendees
  // and the absent members whose written proxy a holder here votes).
  const of = poll.rule ? poll.present : v.attendance.voters + (v.attendance.proxies || 0);
  // in multiple choice, a ranking or an evaluation one ballot marks several options: count ballots
  const voted = ["multiple", "ranking", "evaluation"].includes(poll.kind) ? poll.voters : total;
  setText(node.querySelector(".progress"), poll.open ? t("poll.progress", { voted, of }) : "");
  const hands = node.querySelector(".hands");
  if (hands.children.length !== poll.options.length || hands.dataset.lang !== document.documentElement.lang) {
    hands.dataset.lang = document.documentElement.lang;
    fill(hands, poll.options.map((_, i) =>
      h("label", {}, h("span", { text: optionLabel(poll, i) }),
        h("input", { type: "number", min: 0, step: 1, inputmode: "numeric", dataset: { option: i } }))));
  }
  setText(node.querySelector(".hand-count summary"), t("poll.hand_count"));
  setText(node.querySelector(".add-hands"), t("poll.add_hands"));
  setText(node.querySelector(".close-poll"), t("poll.close"));
  const deskBallot = node.querySelector(".desk-ballot");
  // a secret ballot is the voter's own: staff who entered it would know it (the server refuses)
  deskBallot.hidden = !poll.open || v.status === "closed" || Boolean(poll.secret);
  showBallotForm(v, deskBallot, poll);
  node.querySelector(".hand-count").hidden = !poll.open || v.status === "closed" || !takesHands(poll);
  updateCorrection(v, node, poll);
  node.querySelector(".close-poll").hidden = !poll.open;
  renderBreakdown(v, node, poll);
  fill(node.querySelector(".ranked"), rankedLines(poll).map((line) => h("p", { text: line })));
  const kept = poll.hide_results && !poll.revealed && v.status !== "closed" && !poll.secret;
  setText(node.querySelector(".kept"), kept ? t("poll.results_kept") : "");
  node.querySelector(".kept").hidden = !kept;
  setText(node.querySelector(".reveal"), t("poll.reveal"));
  node.querySelector(".reveal").hidden = !kept;
}

export function render(v) {
  // A straw poll unless the chair states the rule the vote decides by (kept across renders).
  fillSelect($("#poll-rule"), [{ value: "", text: t("rule.none") }, ...RULES.map((r) => ({ value: r, text: ruleLabel(r) }))]);
  keyed($("#polls"), v.polls.slice().reverse(), (p) => p.id, pollNode, (node, poll) => updatePoll(v, node, poll));
  $("#poll-form").querySelector("button[type=submit]").disabled = v.status === "closed";
  offeredKinds(v.template?.poll_kinds);
}

/** Only the poll kinds the template of the meeting's form offers (all of them in meetings made before templates). */
function offeredKinds(offered) {
  const kind = $("#poll-kind");
  for (const option of kind.options) option.hidden = Boolean(offered) && !offered.includes(option.value);
  if (kind.selectedOptions[0]?.hidden) {
    kind.value = [...kind.options].find((o) => !o.hidden)?.value ?? kind.value;
    kind.dispatchEvent(new Event("change"));
  }
}

/** The phones' ballots per category, and who may vote and has not yet (named polls only: the
 *  server leaves both out of a secret poll, and out of every view but the moderator's). */
function renderBreakdown(v, node, poll) {
  const table = node.querySelector(".by-category");
  const rows = poll.by_category || [];
  table.hidden = rows.length === 0;
  fill(table, rows.length ? [
    h("caption", { text: t("poll.by_category") }),
    h("tr", {}, h("th", { scope: "col", text: t("field.category") }), poll.options.map((_, i) => h("th", { scope: "col", text: optionLabel(poll, i) }))),
    rows.map((r) => h("tr", {}, h("th", { scope: "row", text: categoryLabel(v, r.category) }), r.counts.map((n) => h("td", { text: n })))),
  ] : []);
  const waiting = node.querySelector(".not-voted");
  const count = poll.not_voted_count ?? 0;
  const listed = poll.not_voted || [];
  waiting.hidden = !poll.open || v.status === "closed" || poll.not_voted === undefined || count === 0;
  setText(waiting.querySelector("summary"), t("poll.not_voted", { n: count }));
  keyed(waiting.querySelector(".names"), listed, (w) => w.id,
    (w) => h("li", {}, h("span", { class: "name" }), " ",
      h("button", { type: "button", class: "enter-for quiet", dataset: { participant: w.id } })),
    (li, w) => {
      const who = t("poll.voter", { name: w.name, category: categoryLabel(v, w.category) });
      setText(li.querySelector(".name"), who);
      const button = li.querySelector(".enter-for");
      setText(button, t("desk.enter_for"));
      button.setAttribute("aria-label", t("desk.enter_for_label", { name: w.name }));
    });
  const more = waiting.querySelector(".more");
  more.hidden = count <= listed.length;
  setText(more, more.hidden ? "" : t("desk.not_voted_more", { n: count - listed.length }));
}
