// Opinions gathered on a topic in advance, on the public topics page (live/opinions_http.py): a
// resident whose code this phone keeps (static/js/topics.js asks for it) agrees or disagrees with
// others' opinions and gives their own while the period runs. Without a code, or without script,
// the page only reads.

import { $, $$, h, initialLang, loadLang, readBoot, setText, show, t } from "./client.js";

const boot = readBoot();
const KEPT = `yishi:resident-code:${boot.community || ""}`; // the key topics.js keeps the code under
const known = () => {
  const box = $("#resident-known");
  return box && !box.hidden ? localStorage.getItem(KEPT) : null;
};

function address(path) {
  const query = new URLSearchParams({ lang: boot.lang });
  if (boot.community) query.set("community", boot.community);
  return `${path}?${query}`;
}

async function call(path, body) {
  try {
    const r = await fetch(address(path), body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return await r.json();
  } catch {
    return { ok: false, error: t("resident.offline") };
  }
}

function say(section, text, ok = false) {
  let line = $(".opinion-message", section);
  if (!line) {
    line = h("p", { class: "opinion-message no-print", role: "status" });
    section.append(line);
  }
  line.classList.toggle("ok", ok);
  setText(line, text || "");
}

async function refresh(section, topic) {
  const data = await call(`/topics/${encodeURIComponent(topic)}/opinions.json`);
  if (!data.ok || !data.summary) return;
  for (const s of data.summary.statements) {
    const counts = $(`li[data-statement="${CSS.escape(s.id)}"] .counts`, section);
    if (counts) setText(counts, t("resident.opinions_counts", { agree: s.agree, disagree: s.disagree }));
  }
}

async function take(section, topic, li, stance, button) {
  const code = known();
  if (!code) return say(section, t("resident.opinions_need_code"));
  button.disabled = true;
  const done = await call(`/topics/${encodeURIComponent(topic)}/opinions/${encodeURIComponent(li.dataset.statement)}/stance`,
    { code, stance });
  button.disabled = false;
  if (!done.ok) return say(section, done.error || t("resident.refused"));
  for (const b of $$(".stance button", li)) b.setAttribute("aria-pressed", String(b === button));
  say(section, t("resident.opinions_stance_taken"), true);
  await refresh(section, topic);
}

async function give(e, section, topic) {
  e.preventDefault();
  const code = known();
  if (!code) return say(section, t("resident.opinions_need_code"));
  const text = e.target.elements.text.value.trim();
  if (!text) return;
  e.submitter.disabled = true;
  const done = await call(`/topics/${encodeURIComponent(topic)}/opinions`, { code, text });
  e.submitter.disabled = false;
  if (!done.ok) return say(section, done.error || t("resident.refused"));
  location.reload(); // the new opinion, in the page's own order and words
}

function render() {
  const code = known();
  for (const section of $$("section.opinions[data-running='yes']")) {
    show($(".give-opinion", section), Boolean(code));
    for (const li of $$("li.statement", section)) {
      const box = $(".stance", li);
      show(box, Boolean(code));
      if (code && !box.childElementCount) {
        const topic = section.closest("article").dataset.topic;
        box.replaceChildren(...["agree", "disagree"].map((stance) => h("button", {
          type: "button", class: `quiet ${stance}`, "aria-pressed": "false",
          text: stance === "agree" ? t("resident.opinions_agree") : t("resident.opinions_disagree"),
          onclick: (e) => take(section, topic, li, stance, e.currentTarget),
        })));
      }
    }
  }
}

async function start() {
  await loadLang(initialLang(boot, "topics"));
  for (const section of $$("section.opinions[data-running='yes']")) {
    const topic = section.closest("article").dataset.topic;
    $(".give-opinion", section).addEventListener("submit", (e) => give(e, section, topic));
  }
  // topics.js shows who the kept code is once the server knows it, and hides it on "not me"
  const who = $("#resident-known");
  if (who) new MutationObserver(render).observe(who, { attributes: true, attributeFilter: ["hidden"] });
  render();
}

start();
