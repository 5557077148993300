// Checking in from the phone: pick your name from the invited, or walk in with name and category.

import { $, act, categoryLabel, fill, h, setText, show, t } from "./client.js";

const FILTER_FROM = 8; // a name filter once the list is longer than a phone screen

let ctx;

async function checkIn(data, button) {
  const ack = await act(ctx.live, "check_in", data, { button });
  if (!ack.ok) return;
  ctx.identity.remember(ack);
  // This connection already acts as the new participant; sync fetches our own part (`me`).
  await ctx.live.synced();
}

export function setupCheckIn(c) {
  ctx = c;
  $("#walkin").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    checkIn({
      name: form.elements.name.value.trim(),
      category: form.elements.category.value,
      role: form.elements.role.value,
    }, $("#walkin-submit"));
  });
  $("#roster-filter").addEventListener("input", () => renderCheckIn(ctx.live.view));
}

export function renderCheckIn(view) {
  const select = $("#walkin-category");
  const chosen = select.value;
  fill(select, h("option", { value: "", text: t("checkin.choose_category") }),
    view.categories.map((c) => h("option", { value: c.key, text: categoryLabel(view, c.key) })));
  select.value = chosen;

  const waiting = view.roster.filter((r) => !r.checked_in);
  show($("#roster-box"), waiting.length > 0);
  show($("#roster-filter"), waiting.length > FILTER_FROM);
  const needle = $("#roster-filter").value.trim();
  const shown = needle ? waiting.filter((r) => r.name.includes(needle)) : waiting;
  fill($("#roster"), shown.map((r) => h("li", {},
    h("button", {
      type: "button", class: "big wide", dataset: { invitee: r.index },
      onclick: (e) => {
        if (confirm(t("checkin.confirm", { name: r.name }))) checkIn({ invitee: r.index }, e.currentTarget);
      },
    }, h("strong", { text: r.name }), " ", h("span", { class: "meta", text: categoryLabel(view, r.category) })))));
  setText($("#walkin-submit"), t("checkin.submit"));
}
