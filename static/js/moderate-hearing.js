// A hearing's procedure on the console (听证程序): the parties registered to testify (registered
// here by staff, or by invitees on their phones), each one's time, and the stages the chair steps
// through, calling the parties in order. The view's `hearing` comes from facilitation/hearing.py.

import { $, categoryLabel, fill, fillSelect, h, setText, syncValue, t } from "./client.js";
import { forLabel, partyLine, sideLabel, stageLabel } from "./hearing-words.js";

let ctx;

const minutes = (seconds) => t("hearing.minutes", { minutes: Math.round((seconds / 60) * 10) / 10 });

export function setup(c) {
  ctx = c;
  $("#party-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const data = { for_kind: f.for_kind.value, side: f.side.value, summary: f.summary.value.trim() };
    if (f.speaks_for.value.trim()) data.speaks_for = f.speaks_for.value.trim();
    if (f.invitee.value !== "") data.invitee = Number(f.invitee.value);
    else Object.assign(data, { name: f.name.value.trim(), category: f.category.value });
    const ack = await ctx.act("register_party", data, { button: e.submitter, done: t("hearing.registered") });
    if (ack.ok) for (const field of [f.name, f.speaks_for, f.summary]) field.value = "";
  });
  $("#hearing-times").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    ctx.act("set_hearing_time", {
      testimony_seconds: Math.round(Number(f.testimony.value) * 60), closing_seconds: Math.round(Number(f.closing.value) * 60),
    }, { button: e.submitter, done: t("hearing.times_set") });
  });
  $("#hearing-next-stage").addEventListener("click", (e) => {
    ctx.act("begin_hearing_stage", { stage: e.currentTarget.dataset.stage }, { button: e.currentTarget });
  });
  $("#hearing-call").addEventListener("click", (e) => ctx.act("call_party", {}, { button: e.currentTarget }));
  $("#party-invitee").addEventListener("change", () => {
    const byName = $("#party-invitee").value === "";
    $("#party-name").hidden = !byName;
    $("#party-category").hidden = !byName;
  });
  $("#parties").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    const id = button.closest("li").dataset.party;
    if (button.dataset.action === "withdraw") {
      const reason = prompt(t("hearing.withdraw_reason"));
      if (reason !== null) ctx.act("withdraw_party", { party_id: id, reason: reason.trim() }, { button });
    } else if (button.dataset.action === "call") {
      ctx.act("call_party", { party_id: id }, { button });
    } else if (button.dataset.action === "time") {
      const minutesGiven = prompt(t("hearing.party_time_prompt"));
      if (minutesGiven) ctx.act("set_hearing_time", { party_id: id, testimony_seconds: Math.round(Number(minutesGiven) * 60) }, { button });
    }
  });
}

export function render(v) {
  const hearing = v.hearing;
  const panel = $("#hearing-panel");
  panel.hidden = !hearing;
  if (!hearing) return;
  setText($("#hearing-stage"), t("hearing.stage_now", { stage: stageLabel(hearing.stage) }));
  const next = $("#hearing-next-stage");
  next.hidden = !hearing.next_stage || v.status === "closed";
  next.dataset.stage = hearing.next_stage || "";
  setText(next, hearing.next_stage ? t("hearing.begin", { stage: stageLabel(hearing.next_stage) }) : "");
  const calling = hearing.stage === "testimony" || hearing.stage === "closing";
  $("#hearing-call").hidden = !calling || !hearing.to_come.length || v.status === "closed";
  const upNext = hearing.parties.find((p) => p.id === hearing.to_come[0]);
  setText($("#hearing-call"), upNext ? t("hearing.call", { name: upNext.name }) : "");
  setText($("#hearing-seconds"), t("hearing.seconds_now", {
    testimony: minutes(hearing.seconds.testimony), closing: minutes(hearing.seconds.closing) }));
  const times = $("#hearing-times").elements;
  syncValue(times.testimony, hearing.seconds.testimony / 60);
  syncValue(times.closing, hearing.seconds.closing / 60);
  $("#party-form").hidden = !hearing.registration_open;
  $("#registration-closed").hidden = hearing.registration_open;
  const part = hearing.stage === "closing" ? "closed" : "testified";
  fill($("#parties"), hearing.parties.map((p, i) => h("li", {
    dataset: { party: p.id }, class: [p.id === hearing.speaking ? "speaking" : "", p[part] ? "heard" : ""].join(" ").trim(),
  },
  h("strong", { class: "who", text: `${i + 1}. ${p.name}` }),
  h("span", { class: "meta", text: ` ${categoryLabel(v, p.category)} · ${partyLine(p)} · ${minutes(p.testimony_seconds)}` }),
  h("p", { class: "summary", text: p.summary }),
  calling && hearing.to_come.includes(p.id) && v.status !== "closed"
    ? h("button", { type: "button", class: "quiet", dataset: { action: "call" }, text: t("hearing.call_this") }) : "",
  hearing.registration_open ? h("button", { type: "button", class: "quiet", dataset: { action: "time" }, text: t("hearing.party_time") }) : "",
  !p.testified && v.status !== "closed"
    ? h("button", { type: "button", class: "quiet danger", dataset: { action: "withdraw" }, text: t("hearing.withdraw") }) : "")));
  $("#parties-none").hidden = hearing.parties.length > 0;
  // whom to register: someone invited, or by name
  const invitee = $("#party-invitee");
  const chosen = invitee.value;
  fillSelect(invitee, [{ value: "", text: t("hearing.by_name") },
    ...v.roster.map((r) => ({ value: String(r.index), text: r.name }))]);
  invitee.value = chosen;
  const category = $("#party-category");
  const picked = category.value;
  fillSelect(category, v.categories.map((c) => ({ value: c.key, text: categoryLabel(v, c.key) })));
  category.value = picked || "other";
}
