// Speaking-time countdowns. The server sends an end time (ends_at) and its clock (server_now);
// each browser ticks by itself every 250 ms, corrected for the difference between the clocks.

import { h } from "./dom.js";
import { t } from "./i18n.js";

let skew = 0; // server clock minus this browser's clock, in seconds
const ticking = new Set();

export function setServerNow(serverNow) {
  if (typeof serverNow === "number") skew = serverNow - Date.now() / 1000;
}

export function serverNow() {
  return Date.now() / 1000 + skew;
}

/** Whole seconds left in a speech: negative when over time; frozen while the timer is paused. */
export function secondsLeft(speech) {
  if (!speech) return null;
  const left = speech.ends_at == null ? speech.remaining ?? 0 : speech.ends_at - serverNow();
  return Math.ceil(left);
}

export function mmss(seconds) {
  const s = Math.abs(Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function tick(el) {
  if (!el.isConnected) {
    ticking.delete(el);
    return;
  }
  const left = secondsLeft(el.yishiSpeech);
  const over = left !== null && left < 0;
  el.classList.toggle("over", over);
  el.classList.toggle("paused", Boolean(el.yishiSpeech) && el.yishiSpeech.ends_at == null);
  el.dataset.seconds = left === null ? "" : String(left);
  const label = over ? t("timer.over") : "";
  const time = left === null ? "" : mmss(left);
  if (el.dataset.shown === label + time) return; // repaint only when the second changes
  el.dataset.shown = label + time;
  el.replaceChildren(...(over ? [h("span", { class: "over-label", text: label }), " "] : []), time);
}

/** Show `speech`'s time left in `el` and keep it ticking (null clears it). */
export function countdown(el, speech) {
  el.yishiSpeech = speech;
  ticking.add(el);
  tick(el);
}

setInterval(() => ticking.forEach(tick), 250);
