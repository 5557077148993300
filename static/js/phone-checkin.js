// Checking in from the phone: with the personal code on one's slip (typed, or in the slip's QR
// link as ?code=), or as a walk-in by name and category. The phone never sees the invited list:
// a walk-in whose name is someone's on it waits for the desk to confirm.

import { $, act, categoryLabel, fill, h, setText, t } from "./client.js";

let ctx;
let codeFromLink = new URLSearchParams(location.search).get("code") || "";

async function checkIn(data, button) {
  const ack = await act(ctx.live, "check_in", data, { button });
  if (!ack.ok) return false;
  ctx.identity.remember(ack);
  // This connection already acts as the new participant; sync fetches our own part (`me`).
  await ctx.live.synced();
  return true;
}

/** The slip's link carries the code: check in with it once connected, then drop it from the address. */
export async function checkInFromLink() {
  if (!codeFromLink || !ctx.live.view || ctx.live.me) return;
  const code = codeFromLink;
  codeFromLink = "";
  const url = new URL(location.href);
  url.searchParams.delete("code");
  history.replaceState(null, "", url);  // a code left in the address bar would check in whoever reloads it
  $("#code-input").value = code;
  await checkIn({ code }, $("#code-submit"));
}

export function setupCheckIn(c) {
  ctx = c;
  // The page's buttons wait for this script: a form sent without it would only reload the page.
  $("#code-submit").disabled = false;
  $("#walkin-submit").disabled = false;
  $("#code-form").addEventListener("submit", (e) => {
    e.preventDefault();
    checkIn({ code: $("#code-input").value.trim() }, $("#code-submit"));
  });
  $("#walkin").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    checkIn({
      name: form.elements.name.value.trim(),
      category: form.elements.category.value,
      role: form.elements.role.value,
    }, $("#walkin-submit"));
  });
}

export function renderCheckIn(view) {
  const select = $("#walkin-category");
  const chosen = select.value;
  fill(select, h("option", { value: "", text: t("checkin.choose_category") }),
    view.categories.map((c) => h("option", { value: c.key, text: categoryLabel(view, c.key) })));
  select.value = chosen;
  setText($("#walkin-submit"), t("checkin.submit"));
}
