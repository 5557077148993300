// What every page shares, in one file so that a phone on a slow network fetches it in one
// request: DOM helpers that never treat user text as HTML, the catalogue, the countdown, the live
// connection (connect, sync, state/tally/me), the feedback to an action and the vocabulary's labels.

// -- the page: DOM helpers ---------------------------------------------------------------

// Building pages from meeting data. People's names, reasons and opinions are user text:
// they only ever go into the page as text nodes (textContent), never through innerHTML.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden", "type", "rows"]);

/** h("li", {class: "x", dataset: {id}, onclick: f}, "text", child…) — an element, text escaped by construction. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = String(value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Set text only when it changed, so a ticking screen does not relayout for nothing. */
export function setText(el, text) {
  const s = String(text ?? "");
  if (el && el.textContent !== s) el.textContent = s;
}

export function show(el, visible) {
  if (el) el.hidden = !visible;
}

/** For the rare place where a string must become HTML source (none of the pages need it today). */
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Keep one node per key across renders: a summary or explanation being typed survives the
 * next broadcast. `create(item)` makes a node once, `update(node, item)` refreshes it.
 */
export function keyed(container, items, keyOf, create, update) {
  const old = new Map([...container.children].map((n) => [n.dataset.key, n]));
  const nodes = items.map((item) => {
    const key = String(keyOf(item));
    let node = old.get(key);
    if (!node) {
      node = create(item);
      node.dataset.key = key;
    }
    old.delete(key);
    update(node, item);
    return node;
  });
  old.forEach((n) => n.remove());
  nodes.forEach((n, i) => {
    if (container.children[i] !== n) container.insertBefore(n, container.children[i] || null);
  });
}

/** An input's value, unless the person is typing in it: then leave it alone. */
export function syncValue(input, value) {
  if (document.activeElement !== input && !input.dataset.dirty) input.value = value ?? "";
}

export function markDirty(input) {
  input.addEventListener("input", () => { input.dataset.dirty = "1"; });
}

/** Refill a <select> with [{value, text}], keeping the current choice when it is still there. */
export function fillSelect(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options.map((o) => {
    const option = document.createElement("option");
    option.value = o.value;
    option.textContent = o.text;
    return option;
  }));
  if (options.some((o) => o.value === chosen)) select.value = chosen;
}

// -- the catalogue -----------------------------------------------------------------------

// The pages' own catalogues (static/i18n/{lang}.json). The meeting's language is the default;
// a choice made with the language switch is remembered per page in localStorage. The page's own
// language comes in its boot data (`messages`); another is fetched, next to this module, when needed.

export const LANGS = ["zh-CN", "en"];
const NAMES = { "zh-CN": "中文", en: "English" };

let lang = "zh-CN";
let messages = {};
let page = "page";
const catalogues = {}; // lang -> messages
const listeners = [];

function storeKey() {
  return `yishi:lang:${page}`;
}

/** The language to start in: ?lang=, else the remembered choice, else the page's boot.lang. */
export function initialLang(boot, pageName) {
  page = pageName;
  if (boot.messages && LANGS.includes(boot.lang)) catalogues[boot.lang] = boot.messages;
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(asked)) return asked;
  const stored = localStorage.getItem(storeKey());
  if (LANGS.includes(stored)) return stored;
  return LANGS.includes(boot.lang) ? boot.lang : "zh-CN";
}

export async function loadLang(wanted) {
  if (!catalogues[wanted]) {
    // The catalogues sit beside the scripts, under the same versioned address (../i18n/).
    const r = await fetch(new URL(`../i18n/${wanted}.json`, import.meta.url));
    catalogues[wanted] = await r.json();
  }
  messages = catalogues[wanted];
  lang = wanted;
  document.documentElement.lang = wanted;
  translatePage();
}

export function currentLang() {
  return lang;
}

// The meeting's community is a village or a neighbourhood (view.wording): where the catalogue has
// a village's own words for a key ("form.assembly@village": 村民会议), a village's meeting says them.
let wording = "";

export function useWording(w) {
  wording = w || "";
}

/** t("floor.your_place", {n: 3}) — the catalogue's text with {placeholders} filled in. */
export function t(key, params = {}) {
  const text = (wording ? messages[`${key}@${wording}`] : undefined) ?? messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Fill every data-i18n* element in the static page skeleton. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

export async function switchLang(wanted) {
  localStorage.setItem(storeKey(), wanted);
  await loadLang(wanted);
  for (const fn of listeners) fn(wanted);
}

/** A button that switches to the other language, labelled in that language. */
export function langSwitch(button) {
  const label = () => {
    const other = LANGS.find((l) => l !== lang);
    button.textContent = NAMES[other];
    button.lang = other;
  };
  label();
  button.addEventListener("click", async () => {
    await switchLang(LANGS.find((l) => l !== lang));
    label();
  });
}

// -- the countdown -----------------------------------------------------------------------

// Speaking-time countdowns. The server sends an end time (ends_at) and its clock (server_now);
// each browser ticks by itself every 250 ms, corrected for the difference between the clocks.

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

// -- the live connection -----------------------------------------------------------------

const ACK_TIMEOUT_MS = 10000;
const SYNCED_WAIT_MS = 5000; // the first view comes with the connection; without it by then, it is asked for

/**
 * A view with a `changes` message applied (docs/protocol.md), by the rules of
 * facilitation/view_changes.py: replaced and removed top-level entries; in a keyed list, dropped
 * keys go, a changed entry keeps its place, a new one is appended, then `order` if given; an
 * object in `dicts` has its own change applied, by the same rules.
 * Neither argument is modified: the view shown stays as the server sent it.
 */
export function applyChanges(old, changes) {
  const view = { ...old };
  for (const key of changes.unset) delete view[key];
  Object.assign(view, changes.set);
  for (const [key, change] of Object.entries(changes.lists)) {
    const entries = new Map(old[key].map((e) => [e[change.by], e]));
    for (const k of change.drop) entries.delete(k);
    for (const e of change.put) entries.set(e[change.by], e);
    view[key] = change.order ? change.order.map((k) => entries.get(k)) : [...entries.values()];
  }
  for (const [key, part] of Object.entries(changes.dicts ?? {})) view[key] = applyChanges(old[key], part);
  return view;
}

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
    this.sent = null; // the view as the server sent it, without the tallies merged since: changes apply to it
    this.resyncing = false; // the whole view asked for again; the changes that come meanwhile wait
    this.waiting = [];
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
    if (what === "view") useWording(args[0]?.wording);
    for (const fn of this.handlers[what]) fn(...args);
  }

  start() {
    // `sync` asks the server to send what this page lacks with the connection itself (`synced`),
    // sparing a round trip of its own (docs/protocol.md).
    const auth = (cb) => cb({ meeting: this.meeting, role: this.role, lang: currentLang(), ...this.credentials(),
      sync: this.holding() });
    this.socket = io({ transports: ["websocket"], auth });
    this.showStatus("connecting");
    this.socket.on("connect", () => this.connected());
    this.socket.on("synced", (ack) => this.caughtUp(ack));
    this.socket.on("disconnect", (reason) => {
      clearTimeout(this.syncTimer);
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
    this.socket.on("changes", (msg) => this.changed(msg));
    this.socket.on("tally", (msg) => this.tally(msg));
    this.socket.on("me", (msg) => {
      this.me = msg.me;
      this.emit("me", this.me);
    });
    return this;
  }

  /** The moment of the last whole view held (never a tally's): the server sends what came after. */
  holding() {
    return this.viewSeq < 0 ? {} : { last_seq: this.viewSeq };
  }

  connected() {
    this.seenThisConnection = -1;
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => this.synced(), SYNCED_WAIT_MS);
  }

  async synced() {
    const ack = await this.send("sync", this.holding());
    if (!ack.ok) {
      this.showStatus("reconnecting");
      if (this.socket.connected) setTimeout(() => this.synced(), 2000); // connected but not answered: ask again
      return;
    }
    this.caughtUp(ack);
  }

  /** The answer to `sync`, or `synced` sent with the connection. */
  caughtUp(ack) {
    clearTimeout(this.syncTimer);
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
    this.view = this.sent = view;
    // A tally newer than this view has counts the view lacks.
    if (this.lastTally && this.lastTally.seq > seq) this.merge(this.lastTally);
    this.emit("view", this.view);
  }

  /** The view's changes since the seq `base`: applied to the view held at that seq; a view of
   *  another seq (this page connected or reconnected in between) is asked for whole again. */
  changed(msg) {
    if (this.resyncing) { // kept until the whole view comes: the ones after it apply to it
      this.waiting.push(msg);
      return;
    }
    if (this.view && msg.seq <= this.viewSeq) return; // already shown (a sync overtook it)
    if (!this.sent || msg.base !== this.viewSeq) {
      if (this.socket.connected) {
        this.resyncing = true;
        this.waiting = [];
        this.synced().finally(() => {
          this.resyncing = false;
          for (const next of this.waiting.splice(0)) this.changed(next);
        });
      }
      return;
    }
    this.received(msg.seq, applyChanges(this.sent, msg.changes), msg.server_now);
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
    // New objects: the view the server sent stays as it was, for its changes to apply to.
    const counts = new Map(msg.polls.map((c) => [c.id, c]));
    this.view = { ...this.view, polls: this.view.polls.map((p) => (counts.has(p.id) ? { ...p, ...counts.get(p.id) } : p)) };
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

/** Option labels: the fixed kinds' keys are translated; single and multiple choice's options are
 *  shown as typed. */
export function optionLabel(poll, index) {
  const option = poll.options[index];
  return ["single", "multiple", "ranking", "evaluation"].includes(poll.kind) ? option : t(`option.${option}`);
}

const RATINGS = ["satisfied", "basically_satisfied", "dissatisfied"]; // an evaluation's ratings, by index

/** An evaluation's table: each one evaluated with their ratings and satisfaction rate. */
export function evaluationTable(poll) {
  const e = poll.evaluated;
  if (!e) return null;
  return h("table", { class: "evaluation" },
    h("tr", {}, h("th", { scope: "col", text: t("poll.evaluated") }), RATINGS.map((r) => h("th", { scope: "col", text: t(`option.${r}`) })),
      h("th", { scope: "col", text: t("poll.not_rated") }), h("th", { scope: "col", text: t("poll.satisfaction_rate") })),
    e.evaluated.map((r, i) => h("tr", {}, h("th", { scope: "row", text: poll.options[i] }),
      RATINGS.map((k) => h("td", { text: r[k] })), h("td", { text: r.not_rated }),
      h("td", { text: r.satisfaction_percent === null ? "—" : `${r.satisfaction_percent}%` }))));
}

/** The rating buttons of one evaluated person (a phone's ballot, or the desk's). */
export function ratingButtons(person) {
  return RATINGS.map((r, rating) => h("button", { type: "button", class: "rate", dataset: { person, rating, local: "" },
    "aria-pressed": "false", text: t(`option.${r}`) }));
}

/** A ballot as said back to the voter: the option, a multiple-choice ballot's options, or a
 *  ranking's options in order of preference. */
export function ballotLabel(poll, ballot) {
  if (!Array.isArray(ballot)) return optionLabel(poll, ballot);
  if (poll.kind === "evaluation") {
    return ballot.map((r, i) => t("poll.rating_of", { name: poll.options[i], rating: r < 0 ? t("poll.not_rated") : t(`option.${RATINGS[r]}`) }))
      .join(t("limit.separator"));
  }
  if (!ballot.length) return t("poll.blank");
  return ballot.map((i) => optionLabel(poll, i)).join(poll.kind === "ranking" ? " > " : t("limit.separator"));
}

/** A ranking's result as lines: Borda points, or each round of the runoff; then who came first. */
export function rankedLines(poll) {
  const r = poll.ranked;
  if (!r) return [];
  const name = (i) => optionLabel(poll, i);
  const sep = t("limit.separator");
  const lines = r.method === "borda"
    ? [t("poll.ranked_borda", { points: r.order.map((i) => t("poll.points", { option: name(i), n: r.points[i] })).join(sep) })]
    : r.rounds.map((rd) => t("poll.round", {
      n: rd.round,
      counts: rd.counts.map((n, i) => (n === null ? null : t("poll.votes_of", { option: name(i), n }))).filter(Boolean).join(sep),
    }) + (rd.eliminated.length ? t("poll.round_out", { options: rd.eliminated.map(name).join(sep) }) : ""));
  if (r.winners.length === 1) lines.push(t("poll.ranked_first", { option: name(r.winners[0]) }));
  else if (r.winners.length > 1) lines.push(t("poll.ranked_tie", { options: r.winners.map(name).join(sep) }));
  return lines;
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
