// The community register on the facilitator's page: import the office's file (its bad rows listed
// by Excel row), export it, find people, add one, mark who moved away or died. A few thousand
// people: the list shows at most SHOWN rows of what the search finds, never the whole register.

import { $, fill, h, notify, setText, show, t } from "./client.js";

const SHOWN = 50;
const statusLabel = (status) => ({
  active: t("register.active"), moved_away: t("register.moved_away"), deceased: t("register.deceased"),
}[status] || status);
let api;
let token;
let register = { summary: null, people: [] };
// An install serving a street office keeps a register per community ("": the install's first);
// the one chosen is remembered on this computer.
const COMMUNITY_KEY = "yishi:register-community";
let community = localStorage.getItem(COMMUNITY_KEY) || "";
/** `path` for the register of the community chosen. */
const at = (path) => (community ? `${path}${path.includes("?") ? "&" : "?"}community=${encodeURIComponent(community)}` : path);

/** The community whose register the page shows (and meetings are convened from). */
export const chosenCommunity = () => community;

/** What the facilitator typed, as the server compares names: full width folded, no spaces. */
const fold = (text) => String(text ?? "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");

let asked = 0; // the latest load: an earlier one answering late (another community's register) is dropped
let shown = ""; // the community the field was last set to

export async function loadRegister() {
  const mine = ++asked;
  const data = await api("GET", at("/api/register"));
  if (mine !== asked) return;
  if (!data.ok) return notify(data.error || t("error.refused"), "error");
  register = data;
  // the community shown, unless the facilitator has typed another meanwhile (a load answering
  // while they type must not take it back)
  const typed = $("#register-community-id");
  if (typed.value.trim() === shown) typed.value = community;
  shown = community;
  fill($("#register-communities"), (data.communities || []).filter(Boolean).map((c) => h("option", { value: c })));
  renderSummary();
  renderSlipsControl();
  renderPeople();
  document.dispatchEvent(new CustomEvent("register", { detail: { ...data.summary, community } }));
}

function renderSummary() {
  const s = register.summary;
  setText($("#register-summary"), s.people
    ? t("register.summary", { active: s.active, people: s.people, households: s.households, groups: s.groups.length,
      owners: s.owners, area: s.area })
    : t("register.empty"));
}

function renderPeople() {
  const needle = fold($("#register-search").value);
  const found = needle
    ? register.people.filter((p) => [p.name, p.household, p.group, p.phone, ...(p.flats || []).map((f) => f.room)]
      .some((x) => fold(x).includes(needle)))
    : register.people;
  setText($("#register-count"), t("register.found", { n: found.length, shown: Math.min(found.length, SHOWN) }));
  fill($("#register-table tbody"), found.slice(0, SHOWN).map(personRow));
}

function personRow(p) {
  const left = p.status !== "active";
  const actions = left
    ? [action(p, "active", t("register.back"))]
    : [moveAction(p), action(p, "moved_away", t("register.mark_moved")), action(p, "deceased", t("register.mark_deceased")),
      reissueAction(p)];
  return h("tr", { class: left ? "left" : "", dataset: { person: p.id } },
    h("td", { text: p.name }), h("td", { text: p.household || (p.flats || []).map((f) => `${f.building}${f.unit}${f.room}`).join("、") }),
    h("td", { text: p.group || "" }), h("td", { text: p.birth_year ?? "" }),
    h("td", { class: "status", text: statusLabel(p.status) + (p.note ? `（${p.note}）` : "") }),
    h("td", { class: "actions" }, actions));
}

function action(p, status, label) {
  return h("button", { type: "button", class: `quiet status-${status}`, text: label, onclick: async (e) => {
    const note = status === "active" ? "" : prompt(t("register.note_prompt", { name: p.name }));
    if (note === null) return;
    e.currentTarget.disabled = true;
    const done = await api("POST", at(`/api/register/people/${encodeURIComponent(p.id)}/status`), { status, note: note || "" });
    if (!done.ok) return notify(done.error || t("error.refused"), "error");
    notify(t("register.saved"));
    loadRegister();
  } });
}

const EDITABLE = ["name", "sex", "birth_year", "household", "relation", "group", "registered", "representative",
  "party_member", "phone"];

/** The person's fields as the register form takes them (their flats are kept by the server). */
function fieldsOf(p) {
  const yes = (x) => (x ? "yes" : "no");
  const fields = {};
  for (const k of EDITABLE) {
    const v = p[k];
    if (v === null || v === undefined || v === "") continue;
    fields[k] = typeof v === "boolean" ? (k === "registered" ? (v ? "registered" : "not registered") : yes(v)) : String(v);
  }
  return fields;
}

/** Into another household (and, if asked, another group): a marriage, a split household. */
function moveAction(p) {
  return h("button", { type: "button", class: "quiet move", text: t("register.move"), onclick: async (e) => {
    const household = prompt(t("register.move_prompt", { name: p.name }), p.household || "");
    if (household === null || !household.trim() || household.trim() === p.household) return;
    const relation = prompt(t("register.relation_prompt", { name: p.name }), p.relation || "");
    if (relation === null) return;
    e.currentTarget.disabled = true;
    const fields = { ...fieldsOf(p), household: household.trim() };
    if (relation.trim()) fields.relation = relation.trim();
    else delete fields.relation;
    const done = await api("POST", at(`/api/register/people/${encodeURIComponent(p.id)}`), { fields });
    if (!done.ok) {
      e.currentTarget.disabled = false;
      return notify(done.error || t("error.refused"), "error");
    }
    notify(t("register.saved"));
    loadRegister();
  } });
}

/** A resident's slip (居民码条) opened for printing, with the token: the page is as secret as the codes. */
function openSlips(params) {
  const query = new URLSearchParams({ ...params, token: token(), lang: document.documentElement.lang });
  if (community) query.set("community", community);
  window.open(`/register/slips?${query}`, "_blank", "noopener");
}

/** A lost slip: the person's next resident code (the old one stops working), then their new slip. */
function reissueAction(p) {
  return h("button", { type: "button", class: "quiet reissue", text: t("register.reissue"), onclick: async (e) => {
    if (!confirm(t("register.reissue_confirm", { name: p.name }))) return;
    e.currentTarget.disabled = true;
    const done = await api("POST", at(`/api/register/people/${encodeURIComponent(p.id)}/code`), {});
    if (!done.ok) return notify(done.error || t("error.refused"), "error");
    notify(t("register.reissued"));
    openSlips({ person: p.id });
  } });
}

/** Print every code holder's slip, or one group's (a building or 村民小组). */
function slipsControl() {
  const group = h("select", { id: "resident-slips-group", "aria-label": t("resident.slips_group") });
  const box = h("p", { id: "resident-slips", class: "inline wrap" }, group,
    h("button", { type: "button", class: "quiet", text: t("resident.slips"),
      onclick: () => openSlips(group.value ? { group: group.value } : {}) }));
  return box;
}

function renderSlipsControl() {
  const chosen = $("#resident-slips-group")?.value || "";
  $("#resident-slips")?.remove();
  $("#register-summary").after(slipsControl());
  const select = $("#resident-slips-group");
  fill(select, h("option", { value: "", text: t("resident.slips_everyone") }),
    (register.summary?.groups || []).map((g) => h("option", { value: g, text: g })));
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : "";
  show($("#resident-slips"), Boolean(register.summary?.active));
}

async function importFile(e) {
  e.preventDefault();
  const file = $("#register-file").files[0];
  if (!file) return;
  const params = new URLSearchParams({ name: file.name, lang: document.documentElement.lang });
  if ($("#register-good-rows").checked) params.set("good_rows", "1");
  e.submitter.disabled = true;
  const r = await fetch(at(`/api/register/import?${params}`), {
    method: "POST", headers: { Authorization: `Bearer ${token()}` }, body: file,
  }).catch(() => null).finally(() => { e.submitter.disabled = false; });
  if (!r) return notify(t("office.unreachable"), "error"); // the server is gone: nothing was imported
  const data = await r.json().catch(() => ({ ok: false, error: r.statusText }));
  const box = $("#register-result");
  show(box, true);
  box.classList.toggle("ok", Boolean(data.ok));
  const bad = data.found?.bad || [];
  fill($("#register-bad"), bad.map((b) => h("li", { text: t("register.bad_row", { row: b.row, reason: b.reason }) })));
  if (!data.ok) return setText($("#register-outcome"), data.error || t("error.refused"));
  const c = data.changes;
  setText($("#register-outcome"), t("register.imported", { added: c.added, updated: c.updated, unchanged: c.unchanged,
    absent: c.absent, skipped: bad.length }));
  loadRegister();
}

async function exportAs(fmt) {
  const r = await fetch(at(`/api/register/export.${fmt}?lang=${document.documentElement.lang}`),
    { headers: { Authorization: `Bearer ${token()}` } }).catch(() => null);
  if (!r) return notify(t("office.unreachable"), "error");
  if (!r.ok) return notify(t("error.refused"), "error");
  const link = h("a", { href: URL.createObjectURL(await r.blob()), download: `register.${fmt}` });
  document.body.append(link);
  link.click();
  link.remove();
}

async function addPerson(e) {
  e.preventDefault();
  const fields = Object.fromEntries([...new FormData(e.target)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
  const done = await api("POST", at("/api/register/people"), { fields });
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  e.target.reset();
  notify(t("register.saved"));
  loadRegister();
}

export function setupRegister(ctx) {
  ({ api, token } = ctx);
  $("#register-import").addEventListener("submit", importFile);
  $("#register-community").addEventListener("submit", (e) => {
    e.preventDefault();
    community = $("#register-community-id").value.trim();
    if (community) localStorage.setItem(COMMUNITY_KEY, community);
    else localStorage.removeItem(COMMUNITY_KEY);
    show($("#register-result"), false);
    loadRegister();
  });
  $("#register-export-xlsx").addEventListener("click", () => exportAs("xlsx"));
  $("#register-export-csv").addEventListener("click", () => exportAs("csv"));
  $("#register-search").addEventListener("input", renderPeople);
  $("#register-add").addEventListener("submit", addPerson);
}

export function renderRegister() {
  if (register.summary) {
    renderSummary();
    renderSlipsControl();
    renderPeople();
  }
}
