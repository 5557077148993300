// What the limits leave the speaker, as the projector and the console show it under the timer
// (apart from fair-floor.js, which the phone loads too and does not need this).

import { h, keyed, setText, show } from "./client.js";
import { limitsLeft } from "./fair-floor.js";

/** `list` shows what each limit leaves the speaker, counting down; a line past its limit is marked
 *  (nothing is cut off). */
export function showLimitsLeft(list, speaker) {
  const lines = limitsLeft(speaker);
  show(list, lines.length > 0);
  keyed(list, lines, (l) => l.limit, () => h("li"), (li, l) => {
    setText(li, l.text);
    li.classList.toggle("over", l.over);
    li.dataset.limit = l.limit;
    li.dataset.over = String(l.over);
  });
}
