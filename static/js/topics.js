// The public topics page for a resident (live/resident_topics_http.py): they type their resident
// code (居民码) once, this phone keeps it (localStorage, per community) until they say "not me";
// then they propose a topic and co-sign petitions, seeing which they signed. The page reads the
// same without this script; who signed is never shown to anyone else.

import { $, $$, h, initialLang, loadLang, readBoot, setText, show, t } from "./client.js";

const boot = readBoot();
const KEPT = `yishi:resident-code:${boot.community || ""}`;
let me = null;

/** A request with the kept code; the answer's body (refusals come in the page's language). */
async function post(path, body) {
  const query = new URLSearchParams({ lang: boot.lang });
  if (boot.community) query.set("community", boot.community);
  try {
    const r = await fetch(`${path}?${query}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return await r.json();
  } catch {
    return { ok: false, error: t("resident.offline") };
  }
}

function say(text) {
  setText($("#resident-message"), text || "");
  show($("#resident-message"), Boolean(text));
}

/** Who the kept code is; a code that no longer works is forgotten (not when only the tries ran out). */
async function recognise(code) {
  const found = await post("/topics/me", { code });
  if (!found.ok) {
    if (found.code !== "too_many_tries") localStorage.removeItem(KEPT);
    me = null;
    render();
    say(found.error || t("resident.refused"));
    return false;
  }
  me = { ...found, code };
  localStorage.setItem(KEPT, code);
  render();
  return true;
}

function render() {
  show($("#resident-code-form"), !me);
  show($("#resident-known"), Boolean(me));
  if (me) setText($("#resident-name"), t("resident.known", { name: me.name }));
  const representatives = $("#resident-propose-form option.representatives");
  if (representatives) representatives.hidden = representatives.disabled = !me?.representative;
  for (const article of $$("article.topic[data-petition]")) {
    const box = $(".sign", article);
    if (!box) continue;
    const signed = me && me.signed.includes(article.dataset.topic);
    const open = article.dataset.status === "proposed";
    show(box, Boolean(me) && (signed || open));
    box.replaceChildren(signed
      ? h("span", { class: "signed", text: t("resident.signed") })
      : h("button", { type: "button", class: "primary sign-button", text: t("resident.sign"), onclick: (e) => sign(article, e.currentTarget) }));
  }
}

async function sign(article, button) {
  button.disabled = true;
  say("");
  const done = await post(`/topics/${encodeURIComponent(article.dataset.topic)}/sign`, { code: me.code });
  button.disabled = false;
  if (!done.ok) {
    if (["wrong_resident_code", "resident_code_replaced", "resident_code_withdrawn"].includes(done.code)) {
      localStorage.removeItem(KEPT);
      me = null;
      render();
    }
    return say(done.error || t("resident.refused"));
  }
  me.signed.push(done.topic);
  article.dataset.status = done.status;
  setText($(".petition", article), done.text);
  setText($(".topic-status", article), done.status_text);
  const fill = $(".progress .fill", article);
  if (fill && done.petition) fill.style.width = `${Math.min(100, Math.round((100 * done.petition.signatures) / done.petition.needed))}%`;
  render();
}

async function propose(e) {
  e.preventDefault();
  const f = e.target.elements;
  const body = {
    code: me.code, title: f.title.value.trim(), kind: f.kind.value, background: f.background.value.trim(),
    groups: f.groups.value.split(/[,，、]/).map((g) => g.trim()).filter(Boolean), petition: f.petition.value,
  };
  e.submitter.disabled = true;
  const done = await post("/topics/propose", body);
  e.submitter.disabled = false;
  if (!done.ok) return say(done.error || t("resident.refused"));
  location.reload(); // the new topic, in the page's own order and words
}

async function start() {
  await loadLang(initialLang(boot, "topics"));
  show($("#resident"), true);
  $("#resident-code-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    say("");
    const code = $("#resident-code").value.trim();
    if (code && await recognise(code)) $("#resident-code").value = "";
  });
  $("#resident-forget").addEventListener("click", () => {
    localStorage.removeItem(KEPT);
    me = null;
    say("");
    render();
  });
  $("#resident-propose-form").addEventListener("submit", propose);
  // A slip's QR opens this page with the code after "#" (never sent to the server in the address).
  const scanned = new URLSearchParams(location.hash.slice(1)).get("code");
  if (scanned) history.replaceState(null, "", location.pathname + location.search);
  const kept = scanned || localStorage.getItem(KEPT);
  if (kept) await recognise(kept);
  else render();
}

start();
