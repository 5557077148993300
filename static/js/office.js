// The office's follow-up page (落实跟踪): every meeting's action items after the meeting, the open
// ones by due date with the overdue flagged, each with a form to report progress (status, percent,
// a note, a new due date, photos or PDFs) and the history of its updates.
// The facilitator's token is kept as the facilitator's page keeps it (static/js/facilitator.js):
// it arrives once in the address (?token=), is kept in localStorage under the same name, removed
// from the address bar, and sent as `Authorization: Bearer`. Everything comes by fetch: when the
// server cannot be reached the page says so and keeps what it showed.

import {
  $, currentLang, fill, h, initialLang, keyed, langSwitch, loadLang, markDirty, notify, onLangChange, readBoot,
  setText, show, syncValue, t,
} from "./client.js";

const TOKEN = "yishi:facilitator-token";
const ENDED = ["done", "cancelled"];
const MAX_FILES = 6; // per update (facilitation/followup.py)
const NAME_MAX = 40; // a file's name as the record keeps it
// Written out so that every key appears as itself (the catalogue test looks for them).
const STATUS = {
  open: () => t("office.status_open"),
  in_progress: () => t("office.status_in_progress"),
  done: () => t("office.status_done"),
  blocked: () => t("office.status_blocked"),
  cancelled: () => t("office.status_cancelled"),
};
const STATUS_KEYS = {
  open: "office.status_open", in_progress: "office.status_in_progress", done: "office.status_done",
  blocked: "office.status_blocked", cancelled: "office.status_cancelled",
};
const BY = {
  moderator: () => t("office.by_moderator"),
  recorder: () => t("office.by_recorder"),
  facilitator: () => t("office.by_facilitator"),
};

const boot = readBoot();
let shown = null; // the last list the server sent

function takeTokenFromAddress() {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (!token) return;
  localStorage.setItem(TOKEN, token);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

/** A request with the token; the answer's JSON, or {ok: false, offline: true} when the server
 *  could not be reached. Refusals come in the page's language (`lang=`). */
async function api(method, path, { json, file } = {}) {
  const url = new URL(path, location.origin);
  url.searchParams.set("lang", currentLang());
  const headers = { Authorization: `Bearer ${localStorage.getItem(TOKEN) || ""}` };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (file) {
    headers["Content-Type"] = file.type || "application/octet-stream";
    body = file;
  }
  let r;
  try {
    r = await fetch(url, { method, headers, body });
  } catch {
    return { ok: false, offline: true, error: t("office.unreachable") };
  }
  const data = await r.json().catch(() => ({ ok: false, error: r.statusText || t("error.refused") }));
  if (r.status === 401) show($("#token-box"), true);
  return data;
}

// -- dates ----------------------------------------------------------------------------------

function when(at) {
  if (!at) return "";
  return new Intl.DateTimeFormat(currentLang(), {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(new Date(at * 1000));
}

/** Whole days from `from` to `to`, both "2026-12-31". */
function daysBetween(from, to) {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86400000);
}

function overdueText(a, today) {
  const days = Math.max(1, daysBetween(a.due_date, today));
  return days === 1 ? t("office.overdue_one") : t("office.overdue", { days });
}

function meetingDate(m) {
  if (m.starts_at) return m.starts_at;
  return m.created_at ? new Intl.DateTimeFormat(currentLang()).format(new Date(m.created_at * 1000)) : "";
}

// -- files ----------------------------------------------------------------------------------

function fileUrl(meeting, sha) {
  return `/meetings/${encodeURIComponent(meeting)}/files/${encodeURIComponent(sha)}`;
}

function fileLinks(meeting, files) {
  return files.map((f) => (f.type.startsWith("image/")
    ? h("a", { href: fileUrl(meeting, f.sha256), target: "_blank", class: "thumb", title: f.name },
      h("img", { src: fileUrl(meeting, f.sha256), alt: t("office.photo", { name: f.name }), loading: "lazy", width: 96, height: 72 }))
    : h("a", { href: fileUrl(meeting, f.sha256), class: "file", download: f.name, text: t("office.document", { name: f.name }) })));
}

/** A file's name as the record may keep it (at most 40 characters), its extension kept. */
function shortName(name) {
  const chars = [...(name || "file")];
  if (chars.length <= NAME_MAX) return chars.join("");
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : "";
  return chars.slice(0, NAME_MAX - ext.length - 1).join("") + "…" + ext;
}

// -- one action -----------------------------------------------------------------------------

let made = 0; // ids for the labels' descriptions, one set per row

/** A control in its label, whose text the language switch translates again (data-i18n). */
function labelled(key, text, control) {
  return h("label", {}, h("span", { dataset: { i18n: key }, text }), control);
}

/** A row's skeleton, made once: what it shows is filled in by `update`, and a form being typed in
 *  stays as it is when the list is fetched again. */
function create(a) {
  const n = ++made;
  const status = h("select", { name: "status" },
    Object.keys(STATUS).map((s) => h("option", { value: s, dataset: { i18n: STATUS_KEYS[s] }, text: STATUS[s]() })));
  const percent = h("input", { name: "percent", type: "number", min: 0, max: 100, step: 1, inputmode: "numeric" });
  const note = h("textarea", { name: "note", rows: 3, maxlength: 2000, "aria-describedby": `note-hint-${n}` });
  const due = h("input", { name: "due", type: "date" });
  const files = h("input", { name: "files", type: "file", multiple: true, accept: "image/jpeg,image/png,application/pdf",
    "aria-describedby": `files-hint-${n}` });
  [status, percent, note, due].forEach(markDirty);
  const form = h("form", { class: "update" },
    h("div", { class: "fields" },
      labelled("office.set_status", t("office.set_status"), status),
      labelled("office.percent", t("office.percent"), percent),
      labelled("office.new_due", t("office.new_due"), due)),
    labelled("office.note", t("office.note"), note),
    h("p", { id: `note-hint-${n}`, class: "hint", dataset: { i18n: "office.note_hint" }, text: t("office.note_hint") }),
    labelled("office.attach", t("office.attach"), files),
    h("p", { id: `files-hint-${n}`, class: "hint", dataset: { i18n: "office.attach_hint" }, text: t("office.attach_hint") }),
    h("p", { class: "form-error", role: "alert", hidden: true }),
    h("p", {}, h("button", { type: "submit", class: "primary", dataset: { i18n: "office.submit" }, text: t("office.submit") })));
  form.addEventListener("submit", (e) => submit(e, row));
  const row = h("li", { class: "action" },
    h("div", { class: "head" },
      h("p", { class: "meeting" }, h("span", { class: "meeting-title" }), " ", h("span", { class: "meeting-date" })),
      h("p", { class: "item" }),
      h("h3", { class: "what" })),
    h("dl", { class: "facts" },
      h("div", {}, h("dt", { dataset: { i18n: "office.owner" }, text: t("office.owner") }), h("dd", { class: "owner" })),
      h("div", {}, h("dt", { dataset: { i18n: "office.due" }, text: t("office.due") }), h("dd", { class: "due" })),
      h("div", {}, h("dt", { dataset: { i18n: "office.status" }, text: t("office.status") }), h("dd", { class: "status" })),
      h("div", { class: "progress-row" }, h("dt", { dataset: { i18n: "office.progress" }, text: t("office.progress") }),
        h("dd", { class: "progress" }, h("span", { class: "bar", "aria-hidden": "true" }, h("span", { class: "fill" })), h("span", { class: "percent" })))),
    h("div", { class: "latest" },
      h("p", { class: "last-note" }),
      h("p", { class: "last-at hint" }),
      h("div", { class: "photos" })),
    h("details", { class: "history" }, h("summary"), h("ol", { reversed: true })),
    h("details", { class: "update-box" },
      h("summary", { dataset: { i18n: "office.update" }, text: t("office.update") }), form));
  row.yishiForm = form;
  return row;
}

function historyEntry(a, u) {
  const what = [STATUS[u.status]?.() ?? u.status];
  if (u.percent !== null && u.percent !== undefined) what.push(`${u.percent}%`);
  if (u.due) what.push(t("office.due_now", { due: u.due }));
  return h("li", {},
    h("p", { class: "who" }, h("time", { datetime: new Date(u.at * 1000).toISOString(), text: when(u.at) }), " · ", h("span", { class: "by", text: BY[u.by]?.() ?? u.by })),
    h("p", { class: "change", text: what.join(" · ") }),
    u.note ? h("p", { class: "note", text: u.note }) : null,
    u.attachments.length ? h("div", { class: "photos" }, fileLinks(a.meeting.id, u.attachments)) : null);
}

function update(row, a, today) {
  row.yishiAction = a;
  row.dataset.action = `${a.meeting.id}/${a.id}`;
  row.dataset.status = a.status;
  row.classList.toggle("overdue", a.overdue);
  row.classList.toggle("ended", ENDED.includes(a.status));
  setText($(".meeting-title", row), a.meeting.title);
  setText($(".meeting-date", row), meetingDate(a.meeting));
  setText($(".item", row), t("item.numbered", { n: a.item + 1, title: a.item_title }));
  setText($(".what", row), a.what);
  setText($(".owner", row), a.owner || t("office.no_owner"));
  fill($(".due", row), a.due || t("office.no_due"),
    a.overdue ? [" ", h("strong", { class: "flag", text: overdueText(a, today) })] : []);
  setText($(".status", row), STATUS[a.status]?.() ?? a.status);
  $(".fill", row).style.width = `${a.percent}%`;
  setText($(".percent", row), `${a.percent}%`);
  const last = [...a.updates].reverse().find((u) => u.note);
  setText($(".last-note", row), last ? last.note : a.updates.length ? "" : t("office.no_update"));
  setText($(".last-at", row), a.updated_at ? t("office.updated_at", { when: when(a.updated_at) }) : "");
  const files = a.updates.flatMap((u) => u.attachments).reverse();
  fill($(".latest .photos", row), fileLinks(a.meeting.id, files));
  const history = $(".history", row);
  show(history, a.updates.length > 0);
  setText($("summary", history), t("office.history", { n: a.updates.length }));
  fill($("ol", history), [...a.updates].reverse().map((u) => historyEntry(a, u)));
  syncValue(row.yishiForm.elements.status, a.status);
  row.yishiForm.elements.percent.placeholder = `${a.percent}`;
}

function refuse(form, answer) {
  const text = answer.error || t("error.refused");
  const box = $(".form-error", form);
  setText(box, text);
  show(box, true);
  notify(text, "error");
}

async function submit(e, row) {
  e.preventDefault();
  const form = e.currentTarget;
  const a = row.yishiAction;
  const f = form.elements;
  const button = $("button[type=submit]", form);
  const chosen = [...f.files.files];
  show($(".form-error", form), false);
  if (chosen.length > MAX_FILES) return refuse(form, { error: t("office.too_many_files", { max: MAX_FILES }) });
  button.disabled = true;
  setText(button, t("office.saving"));
  try {
    const meeting = encodeURIComponent(a.meeting.id);
    const attachments = [];
    for (const file of chosen) { // each file first; the update then names them
      const up = await api("POST", `/api/meetings/${meeting}/attachments?name=${encodeURIComponent(file.name)}`, { file });
      if (!up.ok) return refuse(form, up.offline ? { error: t("office.not_saved_offline") } : up);
      attachments.push({ sha256: up.sha256, name: shortName(up.name || file.name) });
    }
    const body = { status: f.status.value, note: f.note.value.trim(), due: f.due.value, attachments };
    if (f.percent.value !== "") body.percent = Number(f.percent.value);
    const done = await api("POST", `/api/meetings/${meeting}/actions/${encodeURIComponent(a.id)}`, { json: body });
    if (!done.ok) return refuse(form, done.offline ? { error: t("office.not_saved_offline") } : done);
    form.reset();
    for (const el of form.elements) delete el.dataset.dirty;
    notify(t("office.saved"));
    await load();
  } finally {
    button.disabled = false;
    setText(button, t("office.submit"));
  }
}

// -- the list -------------------------------------------------------------------------------

function render() {
  if (!shown) return;
  const { actions, today } = shown;
  const open = actions.filter((a) => !ENDED.includes(a.status)).length;
  const overdue = actions.filter((a) => a.overdue).length;
  setText($("#counts"), $("#show-all").checked
    ? t("office.counts_all", { total: actions.length, open, overdue })
    : t("office.counts", { open, overdue }));
  $("#counts").classList.toggle("has-overdue", overdue > 0);
  setText($("#overdue-banner"), overdue ? t("office.banner", { n: overdue }) : "");
  show($("#overdue-banner"), overdue > 0);
  show($("#empty"), actions.length === 0);
  keyed($("#actions"), actions, (a) => `${a.meeting.id}/${a.id}`, create, (row, a) => update(row, a, today));
}

// -- objections waiting on the organisers ----------------------------------------------------

function waited(seconds) {
  const days = Math.floor(seconds / 86400);
  return days >= 1 ? t("office.waited_days", { n: days }) : t("office.waited_hours", { n: Math.max(1, Math.round(seconds / 3600)) });
}

// How an objection came in, when not at the meeting.
const DURING = {
  publicity: () => t("office.in_publicity"),
  request: () => t("office.requested"),
};

function objectionRow(o) {
  const link = h("strong", { text: o.meeting.title });
  return h("li", { class: `objection${o.waited_seconds >= 7 * 86400 ? " long" : ""}`, dataset: { id: `${o.meeting.id}/${o.id}` } },
    h("p", { class: "waited", text: waited(o.waited_seconds) }),
    h("p", {}, link, ` · ${o.item + 1}. ${o.item_title}`),
    h("p", { class: "reason", text: `${o.who}${DURING[o.during] ? ` (${DURING[o.during]()})` : ""}: ${o.reason}` }),
    h("p", { class: "state", text: o.explained ? t("office.still_objects") : t("office.not_explained") }),
    h("form", { class: "explain", onsubmit: (e) => explain(e, o) },
      labelled("office.explanation", t("office.explanation"), h("textarea", { name: "text", rows: 3, maxlength: 2000, required: true })),
      h("button", { type: "submit", class: "primary", text: t("office.explain") })));
}

async function explain(e, o) {
  e.preventDefault();
  const form = e.currentTarget;
  const button = form.querySelector("button");
  button.disabled = true;
  const answer = await api("POST", `/api/meetings/${encodeURIComponent(o.meeting.id)}/objections/${encodeURIComponent(o.id)}/explanations`,
    { json: { text: form.elements.text.value.trim() } });
  button.disabled = false;
  if (!answer.ok) return notify(answer.error || t("error.refused"), "error");
  notify(t("office.explained"), "ok");
  loadObjections();
}

async function loadObjections() {
  const data = await api("GET", "/api/objections");
  if (!data.ok) return;
  const rows = data.objections;
  show($("#objections-empty"), rows.length === 0);
  fill($("#objections"), rows.map(objectionRow));
  shownObjections = rows;
}

let shownObjections = null;

// -- matters entrusted by the township or a department: reported back, and the reply ---------

const MATTER_STATE = {
  to_report: () => t("office.matter_to_report"),
  awaiting_reply: () => t("office.matter_awaiting_reply"),
  replied: () => t("office.matter_replied"),
};

function day(at) {
  return new Intl.DateTimeFormat(currentLang(), { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at * 1000));
}

/** One matter: where it stands, its reports and replies, and the form for its next step (a report
 *  until one awaits its reply, then the reply). */
function matterRow(x) {
  const next = x.state === "awaiting_reply"
    ? h("form", { class: "explain", onsubmit: (e) => sendMatter(e, x, "replies") },
      labelled("office.reply_text", t("office.reply_text"), h("textarea", { name: "text", rows: 3, maxlength: 2000, required: true })),
      h("button", { type: "submit", class: "primary", text: t("office.record_reply") }))
    : h("form", { class: "explain", onsubmit: (e) => sendMatter(e, x, "reports") },
      labelled("office.report_to", t("office.report_to"), h("input", { name: "to", maxlength: 40, value: x.reports.at(-1)?.to || x.entrusted_by || "" })),
      labelled("office.report_text", t("office.report_text"), h("textarea", { name: "text", rows: 3, maxlength: 2000, required: true })),
      h("button", { type: "submit", class: "primary", text: x.reports.length ? t("office.report_again") : t("office.report") }));
  const waitingOnUs = x.state !== "replied";
  return h("li", { class: `objection matter ${x.state}${waitingOnUs && x.waited_seconds >= 7 * 86400 ? " long" : ""}`,
    dataset: { id: `${x.meeting.id}/${x.item}`, state: x.state } },
  h("p", { class: "waited", text: waitingOnUs ? `${MATTER_STATE[x.state]()} · ${waited(x.waited_seconds)}` : MATTER_STATE[x.state]() }),
  h("p", {}, h("strong", { text: x.meeting.title }), ` · ${x.item + 1}. ${x.title}`),
  x.entrusted_by ? h("p", { class: "state", text: t("office.entrusted_by", { body: x.entrusted_by }) }) : null,
  x.reports.map((r) => [
    h("p", { class: "reason", text: t("office.reported", { body: r.to, day: day(r.at), text: r.text }) }),
    r.reply ? h("p", { class: "reason", text: t("office.replied", { body: r.reply.by_body, day: day(r.reply.at), text: r.reply.text }) }) : null,
  ]),
  next);
}

async function sendMatter(e, x, what) {
  e.preventDefault();
  const form = e.currentTarget;
  const button = form.querySelector("button");
  const json = { text: form.elements.text.value.trim() };
  if (form.elements.to) json.to = form.elements.to.value.trim();
  button.disabled = true;
  const answer = await api("POST", `/api/meetings/${encodeURIComponent(x.meeting.id)}/items/${x.item + 1}/${what}`, { json });
  button.disabled = false;
  if (answer.offline) return notify(t("office.not_saved_offline"), "error");
  if (!answer.ok) return notify(answer.error || t("error.refused"), "error");
  notify(what === "reports" ? t("office.reported_done") : t("office.replied_done"), "ok");
  loadMatters();
}

let shownMatters = null;

async function loadMatters() {
  const data = await api("GET", "/api/matters");
  if (!data.ok) return;
  shownMatters = data.matters;
  show($("#matters-empty"), shownMatters.length === 0);
  fill($("#matters"), shownMatters.map(matterRow));
}

async function load() {
  loadObjections();
  loadMatters();
  const all = $("#show-all").checked;
  const data = await api("GET", `/api/actions${all ? "?all=1" : ""}`);
  show($("#loading"), false);
  // Without the server the buttons that send look off (base.css); Refresh stays as it is (data-local).
  document.body.dataset.conn = data.offline ? "offline" : "online";
  if (data.offline) {
    setText($("#offline"), t("office.offline"));
    show($("#offline"), true);
    return;
  }
  show($("#offline"), false);
  if (!data.ok) {
    if (!shown) setText($("#counts"), data.error || t("error.refused"));
    return;
  }
  show($("#token-box"), false);
  shown = data;
  render();
}

async function main() {
  takeTokenFromAddress();
  await loadLang(initialLang(boot, "office"));
  langSwitch($("#lang-switch"));
  $("#token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN, e.target.elements.token.value.trim());
    load();
  });
  show($("#token-box"), !localStorage.getItem(TOKEN));
  $("#show-all").addEventListener("change", load);
  $("#refresh").addEventListener("click", load);
  onLangChange(() => {
    render();
    if (shownObjections) fill($("#objections"), shownObjections.map(objectionRow));
    if (shownMatters) fill($("#matters"), shownMatters.map(matterRow));
    if (!$("#offline").hidden) setText($("#offline"), t("office.offline"));
  });
  await load();
}

main();
