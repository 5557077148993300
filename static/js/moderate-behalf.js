// What staff enter for someone without a phone: written opinions and objections they said out
// loud or handed in, and in each open poll their ballot (their own, or by written proxy the
// absent member's), said back to them and confirmed before it is sent, as a phone does.

import { $, ballotLabel, categoryLabel, fill, fillSelect, h, notify, optionLabel, ratingButtons, setText, t } from "./client.js";

let ctx;
let latest = null;

async function send(event, field, button) {
  const participant = $("#behalf-participant").value;
  const text = $("#behalf-text").value.trim();
  const done = event === "submit_opinion" ? t("opinion.sent_for") : t("objection.sent");
  const ack = await ctx.act(event, { participant_id: participant, [field]: text }, { button, done });
  if (ack.ok) $("#behalf-text").value = "";
}

export function setup(c) {
  ctx = c;
  $("#behalf").addEventListener("submit", (e) => {
    e.preventDefault();
    send("submit_opinion", "text", $("#behalf-opinion"));
  });
  $("#behalf-objection").addEventListener("click", (e) => send("raise_objection", "reason", e.currentTarget));
}

export function render(v) {
  latest = v;
  fillSelect($("#behalf-participant"), [
    { value: "", text: t("behalf.choose") },
    ...v.participants.map((p) => ({ value: p.id, text: `${p.name} · ${categoryLabel(v, p.category)}` })),
  ]);
  const closed = v.status === "closed";
  $("#behalf-opinion").disabled = closed;
  $("#behalf-objection").disabled = closed;
}

// -- a ballot entered at the desk ---------------------------------------------------------

const LISTED = ["multiple", "ranking", "evaluation"]; // several marks on one ballot, entered together

/** Nothing chosen yet: one-choice kinds none, multiple choice and rankings an empty list (a blank
 *  ballot if entered so), an evaluation nobody rated. */
function nothing(poll) {
  if (poll.kind === "evaluation") return poll.options.map(() => -1);
  return LISTED.includes(poll.kind) ? [] : undefined;
}

/** The form in a poll's card: choose the person (and whose ballot, when they hold a written proxy),
 *  tap what they say; the ballot is said back, and entered once they agree. */
export function ballotForm(poll) {
  const voter = h("select", { class: "voter", "aria-label": t("poll.ballot_for") });
  const whose = h("select", { class: "whose" });
  const choices = h("div", { class: "desk-choices buttons" });
  const enter = h("button", { type: "button", class: "enter-ballot primary" });
  const change = h("button", { type: "button", class: "change" });
  const form = h("details", { class: "desk-ballot" }, h("summary"), voter,
    h("label", { class: "desk-whose", hidden: true }, h("span"), " ", whose),
    h("p", { class: "hint desk-hint" }), choices,
    h("div", { class: "desk-confirm", role: "group", hidden: true },
      h("p", { class: "desk-said", "aria-live": "polite" }), h("div", { class: "buttons" }, enter, change)));
  form.desk = { poll, pick: nothing(poll) };
  const again = () => {
    form.desk.pick = nothing(form.desk.poll);
    showBallotForm(latest, form, form.desk.poll);
  };
  form.addEventListener("toggle", () => latest && showBallotForm(latest, form, form.desk.poll));
  // The marks made were the person's before: another person (or ballot) starts afresh.
  voter.addEventListener("change", () => { whose.value = ""; again(); });
  whose.addEventListener("change", again);
  change.addEventListener("click", again);
  choices.addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !voter.value) return;
    form.desk.pick = marked(form.desk.poll, form.desk.pick, button);
    showBallotForm(latest, form, form.desk.poll);
  });
  enter.addEventListener("click", async () => {
    const { poll, pick } = form.desk;
    if (!voter.value || pick === undefined) return;
    const data = { poll_id: poll.id, participant_id: voter.value };
    if (whose.value !== "") data.for_invitee = Number(whose.value);
    if (Array.isArray(pick)) data.choices = [...pick];
    else data.choice = pick;
    const ack = await ctx.act("cast_ballot", data, { button: enter, done: t("poll.ballot_entered") });
    if (ack.ok) {
      voter.value = "";
      whose.value = "";
      again();
    }
  });
  return form;
}

/** The ballot after a tap: the option chosen; an option ticked or unticked (multiple choice, at
 *  most the poll's limit, as the phone stops it); a ranking's next place, or one taken out; an
 *  evaluation's rating, or taken back (not rated). */
function marked(poll, pick, button) {
  if (poll.kind === "evaluation") {
    const person = Number(button.dataset.person);
    const rating = Number(button.dataset.rating);
    return pick.map((r, i) => (i !== person ? r : r === rating ? -1 : rating));
  }
  const i = Number(button.dataset.option);
  if (!LISTED.includes(poll.kind)) return i;
  if (pick.includes(i)) return pick.filter((x) => x !== i);
  if (poll.kind === "ranking") return [...pick, i]; // in the order said
  if (pick.length >= poll.max_choices) {
    notify(t("poll.at_most", { max: poll.max_choices }), "error");
    return pick;
  }
  return [...pick, i].sort((a, b) => a - b);
}

/** Open the form for one person (from the list of who has not voted yet) and bring it into view. */
export function enterFor(form, participantId) {
  form.open = true;
  fillVoters(latest, form.querySelector("select.voter"));
  form.querySelector("select.voter").value = participantId;
  form.querySelector("select.whose").value = "";
  form.desk.pick = nothing(form.desk.poll);
  showBallotForm(latest, form, form.desk.poll);
  form.scrollIntoView({ block: "nearest" });
  form.querySelector(".desk-choices button")?.focus();
}

/** Those who may be entered: checked in as attendees (the list is built only while it is open). */
function fillVoters(v, select) {
  fillSelect(select, [{ value: "", text: t("behalf.choose") },
    ...v.participants.filter((p) => p.status === "in" && p.role === "attendee")
      .map((p) => ({ value: p.id, text: `${p.name} · ${categoryLabel(v, p.category)}` }))]);
}

export function showBallotForm(v, form, poll) {
  form.desk.poll = poll;
  const voter = form.querySelector("select.voter");
  const whose = form.querySelector("select.whose");
  const choices = form.querySelector(".desk-choices");
  setText(form.querySelector("summary"), t("poll.ballot_for"));
  if (form.open) fillVoters(v, voter);
  if (!voter.value) form.desk.pick = nothing(poll);
  // The absent members whose written proxy the person holds: their ballots are entered here too.
  const held = (v.proxies || []).filter((x) => x.holder === voter.value && x.status === "active");
  fillSelect(whose, [{ value: "", text: t("desk.ballot_own") },
    ...held.map((x) => ({ value: String(x.principal), text: t("desk.ballot_proxy", { name: x.name }) }))]);
  if (whose.value === "" && form.desk.whose) form.desk.pick = nothing(poll); // their proxy withdrawn meanwhile
  form.desk.whose = whose.value;
  const whoseBox = form.querySelector(".desk-whose");
  whoseBox.hidden = held.length === 0;
  setText(whoseBox.querySelector("span"), t("desk.ballot_whose"));
  setText(form.querySelector(".desk-hint"), !voter.value ? t("desk.ballot_pick_voter")
    : poll.kind === "ranking" ? t("desk.ballot_order") : "");
  if (choices.children.length !== poll.options.length || choices.dataset.lang !== document.documentElement.lang) {
    choices.dataset.lang = document.documentElement.lang;
    fill(choices, poll.kind === "evaluation"
      ? poll.options.map((name, i) => h("div", { class: "rate-row", role: "group", "aria-label": name },
        h("span", { class: "who", text: name }), ratingButtons(i)))
      : poll.options.map((_, i) => h("button", { type: "button", dataset: { option: i }, text: optionLabel(poll, i) })));
  }
  const pick = form.desk.pick;
  for (const b of choices.querySelectorAll("button")) {
    b.disabled = !voter.value;
    const on = poll.kind === "evaluation" ? pick[Number(b.dataset.person)] === Number(b.dataset.rating)
      : Array.isArray(pick) ? pick.includes(Number(b.dataset.option)) : pick === Number(b.dataset.option);
    b.setAttribute("aria-pressed", String(on));
    if (poll.kind === "ranking") b.dataset.rank = on ? String(pick.indexOf(Number(b.dataset.option)) + 1) : "";
  }
  // Said back before it is sent: a ballot cannot be changed once entered.
  const confirming = form.querySelector(".desk-confirm");
  confirming.hidden = !voter.value || pick === undefined;
  if (confirming.hidden) return;
  const name = v.participants.find((p) => p.id === voter.value)?.name ?? "";
  const principal = held.find((x) => String(x.principal) === whose.value);
  const choice = poll.kind === "multiple"
    ? t("desk.ballot_many", { choices: ballotLabel(poll, pick), n: pick.length, max: poll.max_choices })
    : ballotLabel(poll, pick);
  setText(form.querySelector(".desk-said"), principal
    ? t("desk.ballot_said_proxy", { principal: principal.name, holder: name, choice })
    : t("desk.ballot_said", { name, choice }));
  setText(form.querySelector(".enter-ballot"), t("poll.enter_ballot"));
  setText(form.querySelector(".change"), t("poll.change_choice"));
}
