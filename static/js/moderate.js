// The moderator's console: runs the agenda, the floor, polls and the record, and acts for
// people without a phone. The meeting's key comes from the link (?key=) and goes in `auth`.
// On the recorder's link (/m/{id}/record?key=) it is the recorder's console: the same page,
// connected as the recorder, without the chair's controls (static/css/record.css).

import {
  $, Live, act, formLabel, h, initialLang, langSwitch, loadLang, onLangChange, readBoot, setText,
  show, t, fill,
} from "./client.js";
import * as agenda from "./moderate-agenda.js";
import * as advance from "./moderate-advance.js";
import * as floor from "./moderate-floor.js";
import * as people from "./moderate-people.js";
import * as record from "./moderate-record.js";
import * as polls from "./moderate-polls.js";
import * as behalf from "./moderate-behalf.js";
import * as notice from "./moderate-notice.js";
import * as hearing from "./moderate-hearing.js";

const PARTS = [agenda, advance, floor, people, record, polls, behalf, notice, hearing];
const MINUTES = ["html", "md", "json", "pdf", "docx"];
const ENDS_WITH_THE_MEETING = ["#checkin-form", "#proxy-form", "#merge-form", "#outcome-form", "#add-speaker"]
  .map((form) => `${form} button`).join(", ");

const boot = readBoot();
const key = new URLSearchParams(location.search).get("key") || "";
const recorder = boot.console === "recorder";
const live = new Live({ meeting: boot.meeting, role: recorder ? "recorder" : "moderator", credentials: () => ({ key }) });
const consoleTitle = () => (recorder ? t("record.title") : t("moderate.title"));

function renderHeader(view) {
  document.title = `${consoleTitle()} · ${view.title}`;
  setText($("#title"), view.title);
  const status = view.status === "closed" ? t("meeting.status_closed") : t("meeting.status_open");
  setText($("#meta"), [formLabel(view.form), view.place, view.starts_at, status].filter(Boolean).join(" · "));
  show($("#closed"), view.status === "closed");
  document.body.classList.toggle("ended", view.status === "closed");
  $("#close-meeting").disabled = view.status === "closed";
  // The desk's and the chair's forms send commands the close refuses: off for good (a meeting never reopens).
  if (view.status === "closed") for (const b of document.querySelectorAll(ENDS_WITH_THE_MEETING)) b.disabled = true;
}

function renderLinks() {
  const id = encodeURIComponent(boot.meeting);
  $("#link-screen").href = `/m/${id}/screen`;
  $("#link-join").href = boot.join_url;
  const k = encodeURIComponent(key);
  $("#link-slips").href = `/m/${id}/slips?key=${k}`;
  $("#link-slips").target = "_blank";
  fill($("#minutes"), MINUTES.map((ext) =>
    h("a", { href: `/meetings/${id}/minutes.${ext}?key=${k}`, target: "_blank", dataset: { format: ext } },
      t(`minutes.${ext}`))),
    h("a", { href: `/meetings/${id}/public`, target: "_blank", dataset: { format: "public" }, text: t("minutes.public") }));
}

function render(view) {
  renderHeader(view);
  for (const part of PARTS) part.render(view);
}

async function main() {
  await loadLang(initialLang(boot, "moderate"));
  setText($("#console-role"), consoleTitle());
  langSwitch($("#lang-switch"));
  renderLinks();
  const ctx = { live, act: (event, data, options) => act(live, event, data, options) };
  for (const part of PARTS) part.setup(ctx);
  $("#close-meeting").addEventListener("click", (e) => {
    if (confirm(t("meeting.confirm_close"))) ctx.act("close_meeting", {}, { button: e.currentTarget, done: t("meeting.closed") });
  });
  live.on("view", render).on("refused", (refusal) => setText($("#title"), refusal.error));
  onLangChange(() => {
    setText($("#console-role"), consoleTitle());
    renderLinks();
    if (live.view) render(live.view);
  });
  live.start();
}

main();
