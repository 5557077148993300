// The forms of consultation as this community's templates (协商形式模板) on the facilitator's page,
// for the community whose register the page shows: whether it is a village or a neighbourhood (its
// meetings then say 村民 or 居民), and for each form the agenda steps a new meeting starts with, the
// speaking time, who may ask for the floor and who votes, the poll kinds offered and the quorum (never
// below the law's), the floor's order and limits; back to the default (live/forms_http.py). A meeting
// keeps what it was given.

import { $, fill, h, notify, setText, show, t } from "./client.js";
import { POLICIES, policyLabel } from "./fair-floor.js";
import { chosenCommunity } from "./facilitator-register.js";

let api;
let data = null;

const at = (path) => {
  const c = chosenCommunity();
  return c ? `${path}${path.includes("?") ? "&" : "?"}community=${encodeURIComponent(c)}` : path;
};
const quorumLabel = (q) => ({
  more_than_half: t("quorum.more_than_half"), two_thirds: t("quorum.two_thirds"),
}[q] || t("quorum.none"));
const whoLabel = (w) => ({ everyone: t("who.everyone"), invitees: t("who.invitees"), categories: t("who.categories") }[w]);

// The limits on speaking as the page asks for them: minutes for the totals, seconds on the wire.
const LIMITS = [
  { name: "person_speeches", label: () => t("limits.person_speeches"), unit: 1, max: 100 },
  { name: "person_seconds", label: () => t("limits.person_minutes"), unit: 60, max: 360 },
  { name: "category_seconds", label: () => t("limits.category_minutes"), unit: 60, max: 360 },
  { name: "side_seconds", label: () => t("limits.side_minutes"), unit: 60, max: 360 },
  { name: "reply_seconds", label: () => t("limits.reply_seconds"), unit: 1, max: 600, min: 1 },
];

/**
 * The limits' inputs (`limit_<name>`), filled with `limits` (seconds); a limit not set is left
 * blank, with `placeholders` (seconds) shown instead when given: the create form's inputs left
 * blank take the form's.
 */
export function limitInputs(limits, placeholders = null) {
  return h("fieldset", { class: "groups limits wide" }, h("legend", { text: t("limits.title") }),
    h("p", { class: "hint", text: t("limits.hint") }),
    LIMITS.map((l) => h("label", {}, h("span", { text: l.label() }), h("input", {
      name: `limit_${l.name}`, type: "number", min: l.min ?? 0, max: l.max, step: l.unit === 60 ? 0.5 : 1,
      value: limits?.[l.name] != null ? String(limits[l.name] / l.unit) : "",
      placeholder: placeholders?.[l.name] ? String(placeholders[l.name] / l.unit) : "",
    }))));
}

/** The limits typed in (seconds), those left blank out: {} when none was. */
export function limitsTyped(form) {
  const out = {};
  for (const l of LIMITS) {
    const value = form.elements[`limit_${l.name}`]?.value.trim();
    if (value) out[l.name] = Math.round(Number(value) * l.unit);
  }
  return out;
}

/** The chosen form's template as this community has it (for the create form's hints). */
export function templateOf(form) {
  return data?.forms.find((f) => f.form === form)?.template ?? null;
}

export async function loadForms() {
  const got = await api("GET", at("/api/forms"));
  if (!got.ok) return;
  data = got;
  $("#forms-wording").value = data.wording;
  $("#forms-petition-base").value = data.petition_base;
  render();
  document.dispatchEvent(new CustomEvent("forms", { detail: data }));
}

function current() {
  return data.forms.find((f) => f.form === $("#forms-form").value);
}

/** Everyone / the invited / chosen categories, with the categories' boxes. */
function whoField(name, value, label) {
  const mode = Array.isArray(value) ? "categories" : value;
  const boxes = h("div", { class: "groups", hidden: mode !== "categories" },
    data.categories.map((c) => h("label", {}, h("input", {
      type: "checkbox", name: `${name}-category`, value: c.key,
      checked: Array.isArray(value) && value.includes(c.key),
    }), document.documentElement.lang === "en" ? c.en : c.zh)));
  const select = h("select", { name, onchange: () => show(boxes, select.value === "categories") },
    ["everyone", "invitees", "categories"].map((w) => h("option", { value: w, text: whoLabel(w), selected: w === mode })));
  // the boxes beside the label, not in it: a label names one control
  return h("div", { class: "who" }, h("label", {}, h("span", { text: label }), select), boxes);
}

function render() {
  if (!data) return;
  const f = current();
  const tp = f.template;
  setText($("#forms-state"), f.edited ? t("forms.edited") : t("forms.builtin"));
  const law = f.law_quorum;
  fill($("#forms-editor"),
    h("label", { class: "wide" }, h("span", { text: t("forms.agenda") }),
      h("textarea", { name: "agenda", rows: Math.max(3, tp.agenda.length), maxlength: 4000, value: tp.agenda.join("\n") })),
    h("label", {}, h("span", { text: t("forms.speaking_seconds") }),
      h("input", { name: "speaking_seconds", type: "number", min: 30, max: 3600, step: 10, value: tp.speaking_seconds })),
    whoField("speakers", tp.speakers, t("forms.speakers")),
    whoField("voters", tp.voters, t("forms.voters")),
    h("fieldset", { class: "groups wide" }, h("legend", { text: t("forms.poll_kinds") }),
      data.poll_kinds.map((k) => h("label", {}, h("input", { type: "checkbox", name: "poll_kind", value: k,
        checked: tp.poll_kinds.includes(k) }), t(`poll.kind.${k}`)))),
    h("label", {}, h("span", { text: t("forms.quorum") }),
      h("select", { name: "quorum" }, ["", ...data.quorums].map((q) => h("option", {
        value: q, text: quorumLabel(q), selected: (tp.quorum || "") === q,
      })))),
    law ? h("p", { class: "hint", text: t("forms.law", { rule: quorumLabel(law) }) }) : null,
    // the order of the floor and the limits its new meetings start with (their creator may change them)
    h("label", {}, h("span", { text: t("policy.label") }),
      h("select", { name: "floor_policy" }, POLICIES.map((p) => h("option", {
        value: p, text: policyLabel(p), selected: (tp.floor_policy || "first_come") === p,
      })))),
    limitInputs(tp.floor_limits || {}));
}

function who(form, name) {
  const mode = form.elements[name].value;
  if (mode !== "categories") return mode;
  return [...form.querySelectorAll(`input[name="${name}-category"]:checked`)].map((i) => i.value);
}

async function save(e) {
  e.preventDefault();
  const form = e.target;
  const body = {
    agenda: form.elements.agenda.value.split("\n").map((s) => s.trim()).filter(Boolean),
    speaking_seconds: Number(form.elements.speaking_seconds.value),
    speakers: who(form, "speakers"), voters: who(form, "voters"),
    poll_kinds: [...form.querySelectorAll('input[name="poll_kind"]:checked')].map((i) => i.value),
    quorum: form.elements.quorum.value || null,
    floor_policy: form.elements.floor_policy.value,
    floor_limits: limitsTyped(form), // those left blank: none (the template's limits are replaced)
  };
  const done = await api("POST", at(`/api/forms/${encodeURIComponent($("#forms-form").value)}`), body);
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  notify(t("forms.saved"));
  loadForms();
}

async function reset() {
  const done = await api("POST", at(`/api/forms/${encodeURIComponent($("#forms-form").value)}/reset`));
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  notify(t("forms.reset_done"));
  loadForms();
}

async function setWording(e) {
  const done = await api("POST", at("/api/forms/wording"), { wording: e.target.value });
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  notify(t("forms.wording_saved"));
  loadForms();
}

/** Whom the community's residents' petitions count from now on (a petition keeps its own). */
async function setPetitionBase(e) {
  const done = await api("POST", at("/api/forms/petition-base"), { base: e.target.value });
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  notify(t("forms.petition_base_saved"));
  loadForms();
}

export function setupForms(deps) {
  api = deps.api;
  $("#forms-form").addEventListener("change", render);
  $("#forms-edit").addEventListener("submit", save);
  $("#forms-reset").addEventListener("click", reset);
  $("#forms-wording").addEventListener("change", setWording);
  $("#forms-petition-base").addEventListener("change", setPetitionBase);
  document.addEventListener("register", loadForms); // another community chosen
}

export function renderForms() {
  render();
}
