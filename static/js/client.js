// What every page shares: the live connection (connect, sync, state/tally/me), the catalogue,
// DOM helpers that never treat user text as HTML, the vocabulary's labels and the countdown.

import { $, h, setText, show } from "./dom.js";
import { currentLang, onLangChange, t } from "./i18n.js";
import { setServerNow } from "./clock.js";

export * from "./dom.js";
export * from "./i18n.js";
export * from "./clock.js";

const ACK_TIMEOUT_MS = 10000;

/** The page's boot data, inlined by the server as JSON. */
export function readBoot() {
  return JSON.parse(document.getElementById("boot").textContent);
}

/**
 * One screen's connection to its meeting. `credentials()` is asked again on every (re)connect,
 * so a phone that has just checked in reconnects with its new token.
 */
export class Live {
  constructor({ meeting, role, credentials = () => ({}), indicator = $("#conn") }) {
    this.meeting = meeting;
    this.role = role;
    this.credentials = credentials;
    this.indicator = indicator;
    this.view = null;
    this.me = null;
    this.seq = null; // the newest moment shown, by view or by tally
    this.viewSeq = -1; // the moment the view was built at
    this.lastTally = null;
    this.handlers = { view: [], me: [], refused: [] };
    this.status = "connecting";
    onLangChange(() => {
      this.showStatus(this.status);
      if (this.socket?.connected) this.socket.disconnect().connect(); // refusals come in the new language
    });
  }

  on(what, fn) {
    this.handlers[what].push(fn);
    return this;
  }

  emit(what, ...args) {
    for (const fn of this.handlers[what]) fn(...args);
  }

  start() {
    const auth = (cb) => cb({ meeting: this.meeting, role: this.role, lang: currentLang(), ...this.credentials() });
    this.socket = io({ transports: ["websocket"], auth });
    this.showStatus("connecting");
    this.socket.on("connect", () => this.synced());
    this.socket.on("disconnect", (reason) => {
      this.showStatus("reconnecting");
      // The server ended the connection: socket.io will not retry by itself.
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), 1000);
    });
    this.socket.on("connect_error", (err) => {
      if (this.socket.active) return this.showStatus("reconnecting"); // network trouble: retrying
      this.showStatus("refused");
      this.emit("refused", err.data || { ok: false, error: String(err.message || err) });
    });
    this.socket.on("state", (msg) => this.received(msg.seq, msg.view, msg.server_now));
    this.socket.on("tally", (msg) => this.tally(msg));
    this.socket.on("me", (msg) => {
      this.me = msg.me;
      this.emit("me", this.me);
    });
    return this;
  }

  async synced() {
    this.seenThisConnection = -1;
    const ack = await this.send("sync", this.viewSeq < 0 ? {} : { last_seq: this.viewSeq });
    if (!ack.ok) {
      this.showStatus("reconnecting");
      if (this.socket.connected) setTimeout(() => this.synced(), 2000); // connected but not answered: ask again
      return;
    }
    this.showStatus("connected");
    setServerNow(ack.server_now);
    // A broadcast may have overtaken the snapshot: keep whichever is newer.
    if (!ack.up_to_date && ack.seq >= this.seenThisConnection) this.received(ack.seq, ack.view);
    else if (this.view) this.emit("view", this.view);
    this.me = ack.me ?? null;
    this.emit("me", this.me);
  }

  received(seq, view, serverNow) {
    setServerNow(serverNow);
    this.seenThisConnection = Math.max(this.seenThisConnection ?? -1, seq);
    // With several workers, a view built before one we already show can still arrive: keep ours.
    if (this.view && seq < this.viewSeq) return;
    this.viewSeq = seq;
    this.seq = Math.max(seq, this.lastTally?.seq ?? -1);
    this.view = view;
    // A tally newer than this view has counts the view lacks.
    if (this.lastTally && this.lastTally.seq > seq) this.merge(this.lastTally);
    this.emit("view", view);
  }

  /** Ballots and hand counts: a few numbers merged into the polls we already show. */
  tally(msg) {
    if (!this.view) return;
    // Counts older than those shown (another worker's, or overtaken by a view) would roll them back.
    if (msg.seq <= this.viewSeq || msg.seq <= (this.lastTally?.seq ?? -1)) return;
    this.lastTally = msg;
    this.merge(msg);
    this.seq = Math.max(this.seq ?? 0, msg.seq);
    this.emit("view", this.view);
  }

  merge(msg) {
    for (const counts of msg.polls) {
      const poll = this.view.polls.find((p) => p.id === counts.id);
      if (poll) Object.assign(poll, counts);
    }
  }

  /** Send a command; resolves to its acknowledgement (a refusal carries `error` to show).
   *  Without a connection it is refused at once rather than left to time out in silence: a
   *  command sent after the room has moved on (a ballot for a poll since closed) would surprise. */
  async send(event, data = {}) {
    if (!this.socket?.connected) return { ok: false, error: t("error.offline"), code: "offline" };
    try {
      return await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, data);
    } catch {
      return { ok: false, error: t("error.no_answer"), code: "timeout" };
    }
  }

  showStatus(status) {
    this.status = status;
    // The page's buttons look off while no command can reach the server (base.css).
    document.body.dataset.conn = status === "connected" ? "online" : "offline";
    if (!this.indicator) return;
    this.indicator.dataset.state = status;
    setText(this.indicator, t(`conn.${status}`));
  }
}

// -- feedback ---------------------------------------------------------------------------

let noticeTimer = null;

/** Say what happened to an action, in the page's #notice box (refusals stay longer). */
export function notify(text, kind = "ok") {
  const box = $("#notice");
  if (!box) return;
  box.dataset.kind = kind;
  setText(box, text);
  box.hidden = false;
  box.onclick = () => { box.hidden = true; }; // a tap puts it away before its time
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 12000 : 3000);
}

/**
 * Send a command on behalf of a button: disabled while waiting, the refusal's text shown.
 * Resolves to the acknowledgement.
 */
export async function act(live, event, data, { button = null, done = null } = {}) {
  if (button) button.disabled = true;
  try {
    const ack = await live.send(event, data);
    if (!ack.ok) notify(ack.error || t("error.refused"), "error");
    else if (done) notify(done, "ok");
    return ack;
  } finally {
    if (button) button.disabled = false;
  }
}

// -- the meeting's vocabulary ---------------------------------------------------------

/** A stakeholder category's name in the page's language (categories come with the view). */
export function categoryLabel(view, key) {
  const c = (view?.categories || []).find((x) => x.key === key);
  if (!c) return key;
  return currentLang() === "en" ? c.en || c.zh : c.zh || c.en;
}

/** Option labels: the fixed kinds' keys are translated; `single` options are shown as typed. */
export function optionLabel(poll, index) {
  const option = poll.options[index];
  return poll.kind === "single" ? option : t(`option.${option}`);
}

export const stanceLabel = (stance) => t(`stance.${stance}`);
export const formLabel = (form) => t(`form.${form}`);
export const outcomeLabel = (outcome) => t(`outcome.${outcome}`);

/** "张三 · 户籍居民" — who someone is, as text. */
export function whoLabel(view, who) {
  return `${who.name} · ${categoryLabel(view, who.category)}`;
}

/** The quorum line in the attendance area ("法定人数：实到 9 / 需 6 人（已达到）"), hidden for forms
 *  without a quorum rule; the element is marked met / not-met for its colour. */
export function renderQuorum(el, view) {
  const q = view.attendance.quorum;
  show(el, Boolean(q));
  if (!q) return;
  const state = q.met ? t("attendance.quorum_met") : t("attendance.quorum_not_met");
  setText(el, t("attendance.quorum", { present: q.present, required: q.required, state }));
  el.classList.toggle("met", q.met);
  el.classList.toggle("not-met", !q.met);
  el.dataset.met = String(q.met);
}

export function itemLabel(view, index) {
  if (index === null || index === undefined || !view.agenda[index]) return t("item.none");
  return t("item.numbered", { n: index + 1, title: view.agenda[index].title });
}

/** Bars for a poll's counts: one row per option, widths relative to the largest count. */
export function pollRows(poll) {
  const total = poll.counts.reduce((a, b) => a + b, 0);
  const most = Math.max(1, ...poll.counts);
  const rows = poll.options.map((_, i) =>
    h("div", { class: "row", dataset: { option: i } },
      h("span", { class: "label", text: optionLabel(poll, i) }),
      h("span", { class: "bar" }, h("span", { class: "fill", style: `width:${(100 * poll.counts[i]) / most}%` })),
      h("span", { class: "count", text: poll.counts[i] })));
  return { rows, total };
}
