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

/** t("floor.your_place", {n: 3}) — the catalogue's text with {placeholders} filled in. */
export function t(key, params = {}) {
  const text = messages[key] ?? key;
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
