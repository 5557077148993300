// Topics for consultation (协商议题) on the facilitator's page, for the community whose register
// the page shows: propose one (typed in from a paper request or for a body), accept it, decline it
// with the reason, put it on a meeting's agenda, and enter a petition's paper sheet name by name,
// each line signed or refused with the reason (live/topics_http.py).

import { $, fill, h, notify, setText, t } from "./client.js";
import { chosenCommunity } from "./facilitator-register.js";
import { opinionsBox } from "./facilitator-opinions.js";

let api;
let meetings = [];
const statusLabel = (status) => ({
  proposed: t("topics.status_proposed"), accepted: t("topics.status_accepted"), declined: t("topics.status_declined"),
  scheduled: t("topics.status_scheduled"), consulted: t("topics.status_consulted"), decided: t("topics.status_decided"),
}[status] || status);
const doneLabel = (what) => ({
  accept: t("topics.done_accept"), decline: t("topics.done_decline"), schedule: t("topics.done_schedule"),
}[what]);

const at = (path) => {
  const c = chosenCommunity();
  return c ? `${path}${path.includes("?") ? "&" : "?"}community=${encodeURIComponent(c)}` : path;
};

let asked = 0; // the latest load: an earlier one answering late (another community's list) is dropped

export async function loadTopics() {
  const mine = ++asked;
  const [data, listed] = await Promise.all([api("GET", at("/api/topics")), api("GET", "/api/meetings")]);
  if (!data.ok || mine !== asked) return;
  meetings = listed.ok ? listed.meetings : [];
  $("#topics-public").href = at("/topics");
  fill($("#topic-list"), data.topics.length
    ? [...data.topics].reverse().map(topicItem) : h("li", { class: "hint", text: t("topics.none") }));
}

function progress(tp) {
  if (!tp.petition) return "";
  return t("topics.progress", { signatures: tp.petition.signatures, needed: tp.petition.needed });
}

function topicItem(tp) {
  const meta = [t(`topics.kind_${tp.kind}`), t(`topics.source_${tp.source}`), tp.proposer].join(" · ");
  const open = tp.status === "proposed";
  return h("li", { class: `topic status-${tp.status}`, dataset: { topic: tp.id } },
    h("p", { class: "title" }, h("strong", { text: tp.title }), " ",
      h("span", { class: "badge status", text: statusLabel(tp.status) })),
    h("p", { class: "meta", text: meta }),
    tp.petition ? h("p", { class: "progress-text", text: progress(tp) }) : null,
    tp.status === "declined" ? h("p", { class: "reason", text: t("topics.declined_reason", { reason: tp.reason }) }) : null,
    h("p", { class: "actions" },
      open ? h("button", { type: "button", class: "quiet accept", text: t("topics.accept"),
        onclick: () => decide(tp, "accept", {}) }) : null,
      open ? h("button", { type: "button", class: "quiet decline", text: t("topics.decline"), onclick: () => {
        const reason = prompt(t("topics.decline_prompt", { title: tp.title }));
        if (reason) decide(tp, "decline", { reason });
      } }) : null,
      ["accepted", "scheduled"].includes(tp.status) ? scheduleForm(tp) : null),
    tp.petition && open ? sheetForm(tp) : null,
    materialsBox(tp),
    tp.status !== "declined" ? opinionsBox(tp, api, at) : null);
}

function scheduleForm(tp) {
  const select = h("select", { class: "meeting", "aria-label": t("topics.schedule_meeting") },
    meetings.filter((m) => m.status === "open").map((m) => h("option", { value: m.id, text: m.title })));
  const item = h("input", { class: "item", type: "number", min: 1, max: 50, value: 1, "aria-label": t("topics.schedule_item") });
  return h("span", { class: "schedule" }, select, item,
    h("button", { type: "button", class: "quiet schedule", text: t("topics.schedule"), disabled: !select.options.length,
      onclick: () => decide(tp, "schedule", { meeting: select.value, item: Number(item.value) - 1 }) }));
}

/** The topic's photos and PDFs: each opens as the public sees it; the office adds and removes them. */
function materialsBox(tp) {
  const topic = `/api/topics/${encodeURIComponent(tp.id)}/materials`;
  const input = h("input", { type: "file", class: "material-file", multiple: true, accept: "image/jpeg,image/png,application/pdf",
    "aria-label": t("topics.materials_add") });
  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.disabled = true;
    try {
      for (const file of files) {
        const done = await api("POST", at(`${topic}?name=${encodeURIComponent(file.name)}`), file);
        if (!done.ok) return notify(`${file.name}：${done.error || t("error.refused")}`, "error");
      }
      notify(t("topics.materials_added", { n: files.length }));
    } finally {
      input.disabled = false;
      loadTopics();
    }
  });
  const listed = (tp.materials || []).map((m) => h("li", { class: "material" },
    h("a", { href: m.href, target: "_blank", rel: "noopener", text: m.name }), " ",
    h("button", { type: "button", class: "quiet remove-material", text: t("topics.material_remove"), onclick: async () => {
      if (!confirm(t("topics.material_remove_confirm", { name: m.name }))) return;
      const done = await api("POST", at(`${topic}/${m.sha256}/remove`), {});
      if (!done.ok) return notify(done.error || t("error.refused"), "error");
      loadTopics();
    } })));
  return h("details", { class: "materials-box", open: listed.length > 0 },
    h("summary", { text: t("topics.materials", { n: listed.length }) }),
    h("ul", { class: "materials" }, listed), h("label", { class: "add-material" }, t("topics.materials_add"), " ", input));
}

/** A paper sheet: one name per line, with the household or the birth year after it when the name is not enough. */
function sheetForm(tp) {
  const text = h("textarea", { rows: 4, class: "sheet", placeholder: t("topics.sheet_placeholder"), "aria-label": t("topics.sheet") });
  const out = h("ol", { class: "sheet-results" });
  return h("details", { class: "sheet-box" }, h("summary", { text: t("topics.sheet") }), text,
    h("button", { type: "button", class: "primary enter-sheet", text: t("topics.sheet_submit"), onclick: async (e) => {
      const sheet = text.value.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
        const [name, extra] = line.split(/[\s,，]+/);
        if (!extra) return { name };
        return /^\d{4}$/.test(extra) ? { name, birth_year: extra } : { name, household: extra };
      });
      if (!sheet.length) return;
      const button = e.currentTarget; // gone from the event once it awaits
      button.disabled = true;
      const done = await api("POST", at(`/api/topics/${encodeURIComponent(tp.id)}/signatures`), { sheet })
        .finally(() => { button.disabled = false; });
      if (!done.ok) return notify(done.error || t("error.refused"), "error");
      const refused = done.results.filter((r) => !r.ok);
      notify(t("topics.sheet_done", { signed: done.results.length - refused.length, refused: refused.length }),
        refused.length ? "error" : "ok");
      await loadTopics();
      // the refused lines stay on the page with their reasons, to be checked against the paper
      const box = $(`#topic-list li[data-topic="${tp.id}"] .sheet-results`);
      if (box) {
        fill(box, refused.map((r) => h("li", { text: t("topics.sheet_refused", { line: r.line, reason: r.error }) })));
        box.closest("details").open = true;
      }
    } }), out);
}

async function decide(tp, what, body) {
  const done = await api("POST", at(`/api/topics/${encodeURIComponent(tp.id)}/${what}`), body);
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  notify(doneLabel(what));
  loadTopics();
}

async function propose(e) {
  e.preventDefault();
  const f = e.target.elements;
  const groups = f.groups.value.split(/[,，、]/).map((g) => g.trim()).filter(Boolean);
  const body = { title: f.title.value.trim(), kind: f.kind.value, source: f.source.value, proposer: f.proposer.value.trim(),
    background: f.background.value.trim(), groups };
  if (f.petition.value) body.petition = f.petition.value;
  const done = await api("POST", at("/api/topics"), body);
  if (!done.ok) return notify(done.error || t("error.refused"), "error");
  e.target.reset();
  $("#topic-new").open = false;
  notify(t("topics.proposed"));
  loadTopics();
}

export function setupTopics(ctx) {
  ({ api } = ctx);
  $("#topic-form").addEventListener("submit", propose);
  document.addEventListener("register", () => loadTopics());
}
