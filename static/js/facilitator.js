// The facilitator's page: create a meeting (its invited typed in, or drawn from the register) and
// hand out its links (the moderator's, the recorder's, the projector's and the phones'); list the
// meetings; keep the community register (static/js/facilitator-register.js) and the topics proposed
// for consultation (static/js/facilitator-topics.js).
// The facilitator's token arrives once in the address (?token=), is kept in localStorage and
// removed from the address bar so it does not end up in screenshots or shared links.

import {
  $, $$, fill, formLabel, h, initialLang, langSwitch, loadLang, notify, onLangChange, readBoot, setText, show, t,
} from "./client.js";
import { loadRegister, renderRegister, setupRegister } from "./facilitator-register.js";
import { loadTopics, setupTopics } from "./facilitator-topics.js";
import { noticeButton, setupNotice, showNotice } from "./facilitator-notice.js";
import { chosenCommunity } from "./facilitator-register.js";
import { limitInputs, limitsTyped, renderForms, setupForms, templateOf } from "./facilitator-forms.js";

const TOKEN = "yishi:facilitator-token";
const boot = readBoot();

function takeTokenFromAddress() {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (!token) return;
  localStorage.setItem(TOKEN, token);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

// -- without the server ----------------------------------------------------------------------

// A request that cannot reach the server (the network, or the server gone; a proxy's 502-504 too):
// the same full-width bar as the other pages, the buttons that send look off and say so when
// tapped (nothing is kept to send later), and the server is asked again until it answers.
const RETRY_MS = 3000;
const UNREACHABLE = [502, 503, 504];
let retrying = null;

function blockOffline(e) {
  const button = e.target.closest?.("button:not([data-local]), input[type=submit]");
  if (!button) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  notify(t("office.unreachable"), "error");
}

function offline(down) {
  if ((document.body.dataset.conn === "offline") === down) return;
  document.body.dataset.conn = down ? "offline" : "online";
  let bar = $("#offline");
  if (!bar) document.body.append(bar = h("p", { id: "offline", class: "offline-bar", role: "alert", hidden: true }));
  setText(bar, t("facilitator.offline"));
  show(bar, down);
  for (const b of $$("main button:not([data-local]), main input[type=submit]")) {
    if (down) b.setAttribute("aria-disabled", "true");
    else b.removeAttribute("aria-disabled");
  }
  const main = $("main");
  if (down) {
    main.addEventListener("click", blockOffline, true);
    retrying = setInterval(async () => {
      const r = await fetch("/api/health", { cache: "no-store" }).catch(() => null);
      if (r && !UNREACHABLE.includes(r.status)) back();
    }, RETRY_MS);
  } else {
    main.removeEventListener("click", blockOffline, true);
    clearInterval(retrying);
    retrying = null;
  }
}

/** The server answers again: the bar goes, and what the page shows is read again. */
function back() {
  offline(false);
  listMeetings();
  loadRegister();
  loadTopics();
  followupLink();
}

async function api(method, path, body) {
  let r;
  try {
    r = await fetch(path, {
      method,
      // refusals come back in the page's language
      headers: { Authorization: `Bearer ${localStorage.getItem(TOKEN) || ""}`, "Accept-Language": document.documentElement.lang,
        "Content-Type": body instanceof Blob ? body.type || "application/octet-stream" : "application/json" },
      body: body instanceof Blob ? body : body ? JSON.stringify(body) : undefined, // a file goes as it is
    });
  } catch {
    offline(true);
    return { ok: false, offline: true, error: t("office.unreachable") };
  }
  if (UNREACHABLE.includes(r.status)) {
    offline(true);
    return { ok: false, offline: true, error: t("office.unreachable") };
  }
  if (document.body.dataset.conn === "offline") back();
  const data = await r.json().catch(() => ({ ok: false, error: r.statusText }));
  if (r.status === 401) show($("#token-box"), true);
  return data;
}

function agendaRow(item = {}) {
  const row = h("div", { class: "agenda-row" },
    h("input", { name: "item-title", maxlength: 200, value: item.title || "", placeholder: t("create.item_title"), "aria-label": t("create.item_title") }),
    h("textarea", { name: "item-background", rows: 2, maxlength: 2000, placeholder: t("create.item_background"), "aria-label": t("create.item_background") }),
    // a matter the township or a department entrusted to the consultation: reported back to it after
    h("input", { name: "item-entrusted", maxlength: 40, value: item.entrusted_by || "", placeholder: t("create.item_entrusted"), "aria-label": t("create.item_entrusted") }),
    h("button", { type: "button", class: "quiet", text: t("create.remove_item"), onclick: () => row.remove() }));
  return row;
}

/** "张桂英, registered" per line (a Chinese comma or a tab works too). */
function parseRoster(text) {
  const roster = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [name, category] = line.split(/[,，\t]/).map((s) => s.trim());
    if (!name || !category) throw new Error(t("create.roster_line", { line }));
    roster.push({ name, category });
  }
  return roster;
}

const LINKS = [["moderator", "links.moderator"], ["recorder", "links.recorder"], ["projector", "links.projector"],
  ["join", "links.join"]];

/** The links written out in full, to copy into a message or print. */
function linkList(links) {
  return LINKS.filter(([k]) => links[k]).map(([k, label]) =>
    [h("dt", { text: t(label) }), h("dd", {}, h("a", { href: links[k], target: "_blank", dataset: { link: k }, text: links[k] }))]);
}

/** The same links as short labels, for the table of meetings. */
function shortLinks(links) {
  return LINKS.filter(([k]) => links[k]).map(([k, label]) =>
    h("a", { href: links[k], target: "_blank", dataset: { link: k }, text: t(label) }));
}

/** The create form's limits, after its order of the floor: blank takes the form's (shown greyed). */
function createLimits(placeholders) {
  const form = $("#create-form");
  const typed = limitsTyped(form);
  const fields = limitInputs(typed, placeholders);
  fields.id = "create-limits";
  const old = $("#create-limits");
  if (old) old.replaceWith(fields);
  else form.elements.floor_policy.closest("label").after(fields);
}

async function create(e) {
  e.preventDefault();
  const f = e.target.elements;
  const who = $("#convene-who").value;
  let roster = [];
  try {
    if (!who) roster = parseRoster(f.roster.value);
  } catch (err) {
    return notify(err.message, "error");
  }
  const agenda = [...$("#agenda-rows").children]
    .map((row) => ({ title: row.children[0].value.trim(), background: row.children[1].value.trim(),
      entrusted_by: row.children[2].value.trim() }))
    .filter((a) => a.title);
  const body = {
    title: f.title.value.trim(), form: f.form.value, place: f.place.value.trim(),
    starts_at: f.starts_at.value.replace("T", " "), language: f.language.value,
    agenda, // none typed: the community's template of the form gives its steps
    moderator: f.moderator.value.trim(), recorder: f.recorder.value.trim(),
    // who issues the public minutes (else the body the place names), and for how many days they are posted
    issuer: f.issuer.value.trim(), notice_days: Number(f.notice_days.value) || 0,
  };
  if (roster.length) body.roster = roster;
  if (f.speaking_seconds.value) body.speaking_seconds = Number(f.speaking_seconds.value); // else the template's
  if (chosenCommunity()) body.community = chosenCommunity(); // whose templates and wording apply
  if (f.floor_policy.value) body.floor_policy = f.floor_policy.value;
  const limits = limitsTyped(e.target); // those left blank: the form's
  if (Object.keys(limits).length) body.floor_limits = limits;
  if (who) {
    // Drawn from the register as it is now; the meeting keeps which register event that was.
    const groups = [...document.querySelectorAll("#convene-group-list input:checked")].map((i) => i.value);
    body.convene = groups.length ? { who, groups } : { who };
    if (conveneCommunity) body.convene.community = conveneCommunity; // that community's register
  }
  e.submitter.disabled = true;
  const made = await api("POST", "/api/meetings", body).finally(() => { e.submitter.disabled = false; });
  if (!made.ok) return notify(made.error || t("error.refused"), "error");
  fill($("#created-links"), linkList(made.links));
  // The join QR code, drawn by the server (no outside service), to show or print for the room.
  $("#created-qr")?.remove();
  $("#join-qr").prepend(h("img", { id: "created-qr", src: `/m/${encodeURIComponent(made.id)}/qr.svg`, alt: t("links.qr"),
    width: 200, height: 200 }));
  show($("#created"), true);
  showNotice(made.id, body.title); // the warnings about who was invited, at once
  notify(t("create.done"));
  listMeetings();
}

/** A new moderator or recorder link for a meeting (the keys are stored hashed: a lost link cannot be
 * shown again); the old one stops working, so the facilitator confirms first. */
function reissueButton(m, role) {
  return h("button", {
    type: "button", class: "quiet", dataset: { reissue: role }, text: role === "moderator" ? t("links.reissue_moderator") : t("links.reissue_recorder"),
    onclick: async (e) => {
      if (!confirm(t("links.reissue_confirm"))) return;
      const button = e.currentTarget;
      button.disabled = true;
      const made = await api("POST", `/api/meetings/${encodeURIComponent(m.id)}/keys`, { role }).finally(() => { button.disabled = false; });
      if (!made.ok) return notify(made.error || t("error.refused"), "error");
      button.replaceWith(h("a", { href: made.link, target: "_blank", dataset: { link: role }, text: made.link }));
      notify(t("links.reissued"));
    },
  });
}

async function listMeetings() {
  const data = await api("GET", "/api/meetings");
  const body = $("#meetings tbody");
  if (!data.ok) return fill(body, h("tr", {}, h("td", { colspan: 5, text: data.error || "" })));
  show($("#token-box"), false);
  fill(body, data.meetings.slice().reverse().map((m) => h("tr", { dataset: { meeting: m.id } },
    h("td", { text: m.title }), h("td", { text: formLabel(m.form) }), h("td", { text: m.starts_at }),
    h("td", { text: m.status === "closed" ? t("meeting.status_closed") : t("meeting.status_open") }),
    h("td", { class: "links" }, shortLinks(m.links),
      h("a", { href: `/m/${encodeURIComponent(m.id)}/qr.svg`, target: "_blank", dataset: { link: "qr" }, text: t("links.qr") }),
      reissueButton(m, "moderator"), reissueButton(m, "recorder"), noticeButton(m)))));
  if (!data.meetings.length) fill(body, h("tr", {}, h("td", { colspan: 5, text: t("facilitator.no_meetings") })));
}

function conveneChanged() {
  const who = $("#convene-who").value;
  show($("#typed-roster"), !who);
  show($("#convene-groups"), Boolean(who) && $("#convene-group-list").children.length > 0);
}

/** The register's groups as choices, once the register is loaded. */
let conveneCommunity = "";
function registerLoaded(e) {
  conveneCommunity = e.detail.community || "";
  const chosen = new Set([...document.querySelectorAll("#convene-group-list input:checked")].map((i) => i.value));
  fill($("#convene-group-list"), e.detail.groups.map((g) =>
    h("label", {}, h("input", { type: "checkbox", value: g, checked: chosen.has(g) }), g)));
  conveneChanged();
}

/** The link to the office's follow-up page (落实跟踪), with how many action items are overdue. */
async function followupLink() {
  const data = await api("GET", "/api/actions").catch(() => ({}));
  const n = data.ok ? data.overdue : 0;
  $("#followup-link").textContent = n ? t("facilitator.followup_overdue", { n }) : t("facilitator.followup");
}

async function main() {
  takeTokenFromAddress();
  await loadLang(initialLang(boot, "facilitator"));
  langSwitch($("#lang-switch"));
  $("#agenda-rows").append(agendaRow());
  $("#add-item").addEventListener("click", () => $("#agenda-rows").append(agendaRow()));
  $("#create-form").addEventListener("submit", create);
  $("#token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN, e.target.elements.token.value.trim());
    listMeetings();
    loadRegister();
  });
  show($("#token-box"), !localStorage.getItem(TOKEN));
  setupRegister({ api, token: () => localStorage.getItem(TOKEN) || "" });
  setupTopics({ api });
  setupNotice({ api });
  setupForms({ api });
  // the speaking time and the limits the chosen form's template gives, unless others are typed
  const templateHint = () => {
    const tp = templateOf($("#create-form-kind").value);
    $("#create-form").elements.speaking_seconds.placeholder = tp ? t("create.speaking_template_n", { n: tp.speaking_seconds })
      : t("create.speaking_template");
    createLimits(tp?.floor_limits);
  };
  $("#create-form-kind").addEventListener("change", templateHint);
  document.addEventListener("forms", templateHint);
  $("#convene-who").addEventListener("change", conveneChanged);
  document.addEventListener("register", registerLoaded);
  templateHint();
  onLangChange(() => { listMeetings(); renderRegister(); loadTopics(); renderForms(); templateHint(); });
  listMeetings();
  loadRegister();
  followupLink();
  onLangChange(followupLink);
  onLangChange(() => { if ($("#offline")) setText($("#offline"), t("facilitator.offline")); });
}

main();
