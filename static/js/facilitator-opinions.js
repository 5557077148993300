// Opinions gathered on a topic in advance (征求意见), in the facilitator's topics panel: open the
// period and close it early, enter an opinion from paper or a phone call by the name on the register,
// hide an abusive one with the reason, and read the summary: each opinion's stances by category,
// what every category agrees with and what divides them (live/opinions_http.py).

import { currentLang, fill, h, notify, t } from "./client.js";

const CATEGORY = (key) => ({
  registered: t("advance.cat_registered"), non_registered: t("advance.cat_non_registered"),
  owner: t("advance.cat_owner"), representative: t("advance.cat_representative"),
}[key] || key);
const CHANNEL = (key) => ({
  online: t("advance.channel_online"), paper: t("advance.channel_paper"), phone: t("advance.channel_phone"),
}[key] || key);
const day = (at) => new Date(at * 1000).toLocaleDateString(currentLang());

/** The box under a topic; its contents are loaded when it is opened. */
export function opinionsBox(tp, api, at) {
  const body = h("div", { class: "opinions-body" });
  const box = h("details", { class: "opinions-box", dataset: { topic: tp.id } },
    h("summary", { text: t("advance.title") }), body);
  const path = (rest = "") => at(`/api/topics/${encodeURIComponent(tp.id)}/opinions${rest}`);
  const reload = async () => {
    const data = await api("GET", path());
    if (!data.ok) return notify(data.error || t("error.refused"), "error");
    fill(body, ...render(data, api, path, reload));
  };
  box.addEventListener("toggle", () => { if (box.open) reload(); });
  return box;
}

async function send(api, method, path, payload, done, reload) {
  const r = await api(method, path, payload);
  if (!r.ok) return notify(r.error || t("error.refused"), "error");
  notify(done);
  await reload();
  return r;
}

function render(data, api, path, reload) {
  const s = data.summary;
  const days = s && { opens: day(s.opens), until: day((s.closed_at && s.closed_at < s.until ? s.closed_at : s.until) - 1) };
  const period = !s ? t("advance.not_yet") : data.running ? t("advance.period_running", days) : t("advance.period_ended", days);
  const out = [h("p", { class: "period", text: period })];
  if (data.running) {
    out.push(h("p", { class: "actions" }, h("button", { type: "button", class: "quiet close-opinions",
      text: t("advance.close"), onclick: () => send(api, "POST", path("/close"), {}, t("advance.closed"), reload) })));
    out.push(entryForm(api, path, reload));
  } else {
    out.push(periodForm(api, path, reload));
  }
  if (s) {
    out.push(h("p", { class: "channels", text: t("advance.channels", s.channels) }));
    out.push(s.statements.length ? h("ol", { class: "statements" }, s.statements.map((st) => statement(st, s, api, path, reload)))
      : h("p", { class: "hint", text: t("advance.none") }));
  }
  if (data.hidden.length) {
    out.push(h("p", { class: "hidden-title" }, h("strong", { text: t("advance.hidden_title") })),
      h("ul", { class: "hidden-statements" }, data.hidden.map((x) => h("li", {
        text: t("advance.hidden_line", { name: x.name, text: x.text, reason: x.reason }) }))));
  }
  return out;
}

function statement(st, s, api, path, reload) {
  const cats = Object.entries(st.by_category).map(([c, n]) =>
    t("advance.category_counts", { category: CATEGORY(c), agree: n.agree, disagree: n.disagree }));
  const tag = s.consensus.includes(st.id) ? t("advance.consensus") : s.divided.includes(st.id) ? t("advance.divided") : "";
  return h("li", { class: "statement", dataset: { statement: st.id } },
    h("p", { class: "text", text: st.text }),
    h("p", { class: "meta", text: [st.name, st.categories.map(CATEGORY).join("、"), CHANNEL(st.channel),
      t("advance.counts", { agree: st.agree, disagree: st.disagree })].join(" · ") }),
    cats.length ? h("p", { class: "by-category", text: cats.join("；") }) : null,
    tag ? h("p", { class: `tag ${s.consensus.includes(st.id) ? "consensus" : "divided"}`, text: tag }) : null,
    h("button", { type: "button", class: "quiet hide-opinion", text: t("advance.hide"), onclick: () => {
      const reason = prompt(t("advance.hide_prompt"));
      if (reason) send(api, "POST", path(`/${encodeURIComponent(st.id)}/hide`), { reason }, t("advance.hidden"), reload);
    } }));
}

function periodForm(api, path, reload) {
  const until = h("input", { type: "date", name: "until", required: true, class: "until" });
  const opens = h("input", { type: "date", name: "opens", class: "opens" });
  return h("form", { class: "open-opinions", onsubmit: (e) => {
    e.preventDefault();
    const body = { until: until.value };
    if (opens.value) body.opens = opens.value;
    send(api, "POST", path("/open"), body, t("advance.opened"), reload);
  } },
  h("label", {}, t("advance.opens"), " ", opens), " ", h("label", {}, t("advance.until"), " ", until), " ",
  h("button", { type: "submit", class: "primary", text: t("advance.open") }));
}

/** An opinion from paper or a phone call: the name as the register has it (household or birth year after it when needed). */
function entryForm(api, path, reload) {
  const who = h("input", { name: "who", required: true, class: "who", placeholder: t("advance.who_placeholder"),
    "aria-label": t("advance.who") });
  const channel = h("select", { name: "channel", class: "channel", "aria-label": t("advance.channel") },
    h("option", { value: "paper", text: t("advance.channel_paper") }),
    h("option", { value: "phone", text: t("advance.channel_phone") }));
  const text = h("textarea", { name: "text", rows: 3, maxlength: 1000, required: true, class: "text",
    "aria-label": t("advance.text") });
  return h("form", { class: "enter-opinion", onsubmit: async (e) => {
    e.preventDefault();
    const [name, extra] = who.value.trim().split(/[\s,，]+/);
    const body = { name, text: text.value.trim(), channel: channel.value };
    if (extra) body[/^\d{4}$/.test(extra) ? "birth_year" : "household"] = extra;
    await send(api, "POST", path(), body, t("advance.entered"), reload);
  } },
  h("p", { class: "hint", text: t("advance.enter_hint") }), who, " ", channel, text,
  h("button", { type: "submit", class: "primary enter", text: t("advance.enter") }));
}
