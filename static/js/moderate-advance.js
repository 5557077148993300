// The opinions gathered in advance on the topic the current item takes up (征求意见), on the
// console: each opinion with its stances by category, what every category agrees with and what
// divides them, as the meeting's record holds them (TopicLinked, brought up to date by the office).

import { $, fill, h, t } from "./client.js";

const CATEGORY = (key) => ({
  registered: t("advance.cat_registered"), non_registered: t("advance.cat_non_registered"),
  owner: t("advance.cat_owner"), representative: t("advance.cat_representative"),
}[key] || key);
const CHANNEL = (key) => ({
  online: t("advance.channel_online"), paper: t("advance.channel_paper"), phone: t("advance.channel_phone"),
}[key] || key);
let shown = ""; // what is drawn now: drawn again only when it changed

export function setup() {}

export function render(v) {
  const box = $("#advance-opinions");
  const topic = v.current_item === null || v.current_item === undefined ? null : (v.topics || [])[v.current_item];
  const given = topic?.opinions;
  box.hidden = !given;
  const now = given ? JSON.stringify([topic.title, given]) : "";
  if (!given || now === shown) return;
  shown = now;
  fill(box,
    h("h3", { text: t("advance.console_title", { title: topic.title }) }),
    h("p", { class: "meta channels", text: t("advance.channels", given.channels) }),
    given.hidden ? h("p", { class: "meta", text: t("advance.console_hidden", { n: given.hidden }) }) : null,
    given.statements.length ? h("ol", { class: "statements" }, given.statements.map((s) => {
      const tag = given.consensus.includes(s.id) ? t("advance.consensus") : given.divided.includes(s.id) ? t("advance.divided") : "";
      const cats = Object.entries(s.by_category).map(([c, n]) =>
        t("advance.category_counts", { category: CATEGORY(c), agree: n.agree, disagree: n.disagree }));
      return h("li", { class: "statement", dataset: { statement: s.id } },
        h("span", { class: "text", text: s.text }),
        h("span", { class: "meta", text: ` — ${[s.name, CHANNEL(s.channel), t("advance.counts", { agree: s.agree, disagree: s.disagree })].join(" · ")}` }),
        cats.length ? h("span", { class: "meta by-category", text: `（${cats.join("；")}）` }) : null,
        tag ? h("strong", { class: "tag", text: ` ${tag}` }) : null);
    })) : h("p", { class: "hint", text: t("advance.none") }));
}
