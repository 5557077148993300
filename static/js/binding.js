// A binding poll as every screen shows it: the rule stated before anyone votes, who it counts
// against, and once closed whether it passed, with each check's figures (facilitation/binding.py).

import { fill, h, show, t } from "./client.js";

export const ruleLabel = (rule) => t(`rule.${rule}`);

/** The figures of a check, areas with two decimals and thousands separated. */
const figure = (value) => (typeof value === "number" ? value.toLocaleString("en") : Number(value).toLocaleString("en", {
  minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export function checkLine(check) {
  return t(`binding.check.${check.what}`, {
    have: figure(check.have), base: figure(check.base), need: figure(check.need),
    met: check.met ? t("binding.met") : t("binding.not_met"),
  });
}

/** Fill `el` with the poll's binding part; hidden for a straw poll. */
export function renderBinding(el, poll) {
  show(el, Boolean(poll.rule));
  if (!poll.rule) return;
  const parts = [
    h("p", { class: "rule", text: t("binding.rule_line", { rule: ruleLabel(poll.rule) }) }),
    h("p", { class: "base", text: t("binding.base", { entitled: poll.entitled, present: poll.present }) }),
  ];
  if (poll.quorum_override) parts.push(h("p", { class: "override", text: t("binding.overridden", { reason: poll.quorum_override }) }));
  const result = poll.result;
  if (result) {
    parts.push(h("p", { class: `verdict ${result.passed ? "passed" : "failed"}`,
      dataset: { passed: String(result.passed) }, text: result.passed ? t("binding.passed") : t("binding.not_passed") }));
    parts.push(h("ul", { class: "checks" }, result.checks.map((c) =>
      h("li", { class: c.met ? "met" : "not-met", dataset: { what: c.what }, text: checkLine(c) }))));
  }
  fill(el, parts);
}
