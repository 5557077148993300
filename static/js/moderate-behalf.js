// Written opinions and objections recorded by the moderator or recorder for someone without a
// phone (who said it out loud or handed in a note).

import { $, categoryLabel, fillSelect, t } from "./client.js";

let ctx;

async function send(event, field, button) {
  const participant = $("#behalf-participant").value;
  const text = $("#behalf-text").value.trim();
  const done = event === "submit_opinion" ? t("opinion.sent_for") : t("objection.sent");
  const ack = await ctx.act(event, { participant_id: participant, [field]: text }, { button, done });
  if (ack.ok) $("#behalf-text").value = "";
}

export function setup(c) {
  ctx = c;
  $("#behalf").addEventListener("submit", (e) => {
    e.preventDefault();
    send("submit_opinion", "text", $("#behalf-opinion"));
  });
  $("#behalf-objection").addEventListener("click", (e) => send("raise_objection", "reason", e.currentTarget));
}

export function render(v) {
  fillSelect($("#behalf-participant"), [
    { value: "", text: t("behalf.choose") },
    ...v.participants.map((p) => ({ value: p.id, text: `${p.name} · ${categoryLabel(v, p.category)}` })),
  ]);
  const closed = v.status === "closed";
  $("#behalf-opinion").disabled = closed;
  $("#behalf-objection").disabled = closed;
}
