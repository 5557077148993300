// Telling the person holding the phone that something is now theirs to do, wherever they have
// scrolled: they are heard next, the floor is theirs, a vote has opened, an explanation of their
// objection has come.
// A full-width banner at the top, a short vibration where the phone can, and the card scrolled
// into view. Each thing is announced once.

import { $, setText, show, t } from "./client.js";

let seen = null; // what was already there: {speaking, next, polls: Set, explanations: Map}
let showing = null; // what the banner says now ("next", "floor" …), null when it is away

function alert(what, text, target) {
  showing = what;
  const banner = $("#alert");
  setText($("#alert-text"), text);
  show(banner, true);
  banner.classList.remove("flash");
  void banner.offsetWidth; // restart the flash for a second alert
  banner.classList.add("flash");
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  target?.scrollIntoView({ behavior: "smooth", block: "start" });
}

export function setupAlerts() {
  $("#alert-close").addEventListener("click", () => {
    show($("#alert"), false);
    showing = null;
  });
}

export function watchForAlerts(view, me) {
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
  if (next && !seen.next) alert("next", t("alert.next"), $("#floor"));
  if (!next && showing === "next") {
    // No longer next (a point of order or a reply came first, or the request went): the banner
    // would say what is no longer true.
    show($("#alert"), false);
    showing = null;
  }
  if (speaking && !seen.speaking) alert("floor", t("alert.floor"), $("#now"));
  const fresh = open.find((p) => !seen.polls.has(p.id));
  if (fresh && me.participant.role === "attendee") alert("poll", t("alert.poll", { question: fresh.question }), $("#vote"));
  const answered = me.objections.find((o) => o.explanations.length > (seen.explanations.get(o.id) ?? 0));
  if (answered) alert("explained", t("alert.explained"), $("#objection"));
  seen = { speaking, next, polls: new Set([...seen.polls, ...open.map((p) => p.id)]), explanations };
}
