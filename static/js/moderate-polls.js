// Polls: open one for the current item (a straw poll, or a binding one under a stated rule),
// watch the live counts, add the hands counted in the room for people without a phone, close it.

import { $, fillSelect, h, itemLabel, keyed, optionLabel, pollRows, fill, setText, t } from "./client.js";
import { renderBinding, ruleLabel } from "./binding.js";

const RULES = ["cast", "present", "entitled", "two_thirds_cast", "two_thirds_present", "two_thirds_entitled",
  "owners", "owners_special"];

let ctx;

export function setup(c) {
  ctx = c;
  const kind = $("#poll-kind");
  kind.addEventListener("change", () => { $("#poll-options").hidden = kind.value !== "single"; });
  $("#poll-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = { question: $("#poll-question").value.trim(), kind: kind.value };
    if (kind.value === "single") data.options = $("#poll-options").value.split("\n").map((o) => o.trim()).filter(Boolean);
    if ($("#poll-rule").value) data.rule = $("#poll-rule").value;
    let ack = await ctx.act("open_poll", data, { button: e.submitter, done: t("poll.opened") });
    if (ack.code === "no_quorum") {
      // A binding vote without quorum needs the chair's reason, which the minutes state.
      const reason = (prompt(t("binding.override_prompt", { error: ack.error })) || "").trim();
      if (reason) ack = await ctx.act("open_poll", { ...data, quorum_override: reason }, { button: e.submitter, done: t("poll.opened") });
    }
    if (ack.ok) {
      $("#poll-question").value = "";
      $("#poll-options").value = "";
    }
  });
}

function pollNode(poll) {
  const hands = h("div", { class: "hands" });
  const add = h("button", { type: "button", class: "add-hands" });
  add.addEventListener("click", async () => {
    const inputs = [...hands.querySelectorAll("input")];
    const counts = inputs.map((i) => Math.max(0, Number.parseInt(i.value, 10) || 0));
    const ack = await ctx.act("add_hand_count", { poll_id: poll.id, counts }, { button: add, done: t("poll.hands_added") });
    if (ack.ok) inputs.forEach((i) => { i.value = ""; });
  });
  const close = h("button", { type: "button", class: "close-poll danger" });
  close.addEventListener("click", () => ctx.act("close_poll", { poll_id: poll.id }, { button: close }));
  return h("div", { class: "poll", dataset: { poll: poll.id } },
    h("p", { class: "question" }), h("p", { class: "meta" }), h("div", { class: "binding" }),
    h("div", { class: "rows" }), h("p", { class: "total" }),
    h("details", { class: "hand-count" }, h("summary"), hands, add),
    close);
}

function updatePoll(v, node, poll) {
  setText(node.querySelector(".question"), poll.question);
  const state = poll.open ? t("poll.is_open") : t("poll.is_closed");
  setText(node.querySelector(".meta"), `${itemLabel(v, poll.item)} · ${t(`poll.kind.${poll.kind}`)} · ${state}`);
  node.classList.toggle("closed", !poll.open);
  renderBinding(node.querySelector(".binding"), poll);
  const { rows, total } = pollRows(poll);
  fill(node.querySelector(".rows"), rows);
  const handTotal = poll.hands.reduce((a, b) => a + b, 0);
  setText(node.querySelector(".total"), t("poll.total_hands", { total, phones: poll.voters, hands: handTotal }));
  const hands = node.querySelector(".hands");
  if (hands.children.length !== poll.options.length || hands.dataset.lang !== document.documentElement.lang) {
    hands.dataset.lang = document.documentElement.lang;
    fill(hands, poll.options.map((_, i) =>
      h("label", {}, h("span", { text: optionLabel(poll, i) }),
        h("input", { type: "number", min: 0, step: 1, inputmode: "numeric", dataset: { option: i } }))));
  }
  setText(node.querySelector(".hand-count summary"), t("poll.hand_count"));
  setText(node.querySelector(".add-hands"), t("poll.add_hands"));
  setText(node.querySelector(".close-poll"), t("poll.close"));
  node.querySelector(".hand-count").hidden = !poll.open;
  node.querySelector(".close-poll").hidden = !poll.open;
}

export function render(v) {
  // A straw poll unless the chair states the rule the vote decides by (kept across renders).
  fillSelect($("#poll-rule"), [{ value: "", text: t("rule.none") }, ...RULES.map((r) => ({ value: r, text: ruleLabel(r) }))]);
  keyed($("#polls"), v.polls.slice().reverse(), (p) => p.id, pollNode, (node, poll) => updatePoll(v, node, poll));
  $("#poll-form").querySelector("button[type=submit]").disabled = v.status === "closed";
}
