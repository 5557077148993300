// The small note the console puts next to what staff entered for someone (a request to speak,
// an opinion, an objection, an answer, a check-in), so the moderator sees what came from a
// phone and what was entered on a person's behalf. The note names no one.

import { h, setText, t } from "./client.js";

/** The note's text for an entry of the moderator's view, or "" when the person did it on their own phone. */
export function enteredNote(entry) {
  return entry && entry.entered_by ? t("behalf.entered") : "";
}

/** An empty note, filled by `showEntered`. */
export function enteredSlot() {
  return h("span", { class: "entered" });
}

export function showEntered(el, entry) {
  setText(el, enteredNote(entry));
  el.hidden = !enteredNote(entry);
}
