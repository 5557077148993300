// The attendee's phone: check in, ask for the floor, vote, write opinions, object.
// Identity is the token issued at check-in, kept in localStorage: a reload keeps it.

import {
  $, Live, categoryLabel, countdown, initialLang, itemLabel, langSwitch, loadLang, notify, onLangChange,
  readBoot, setText, show, t,
} from "./client.js";
import { checkInFromLink, renderCheckIn, setupCheckIn } from "./phone-checkin.js";
import { renderFloor, renderVote, setupFloor } from "./phone-floor.js";
import { renderOwn, setupOwn } from "./phone-own.js";
import { setupAlerts, watchForAlerts } from "./phone-alerts.js";

const boot = readBoot();
const TOKEN = `yishi:${boot.meeting}:token`;
const PARTICIPANT = `yishi:${boot.meeting}:participant`;

export const identity = {
  token: () => localStorage.getItem(TOKEN),
  remember(ack) {
    localStorage.setItem(TOKEN, ack.token);
    localStorage.setItem(PARTICIPANT, ack.participant_id);
  },
  forget() {
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(PARTICIPANT);
  },
};

const live = new Live({ meeting: boot.meeting, role: "phone", credentials: () => ({ token: identity.token() }) });

function render() {
  const { view, me } = live;
  if (!view) return;
  document.title = view.title;
  setText($("#title"), view.title);
  const closed = view.status === "closed";
  show($("#closed"), closed);
  if (me && ["refused", "withdrawn"].includes(me.participant.status)) {
    // The desk said this check-in is not who it claims: the phone starts again, and says why.
    notify(t("checkin.not_confirmed", { reason: me.participant.reason }), "error");
    identity.forget();
    live.me = null;
    live.socket.disconnect().connect();
    return;
  }
  if (me && me.participant.status === "merged") {
    // The desk found this phone's person under another check-in: the token now stands for that one.
    live.me = null;
    live.socket.disconnect().connect();
    return;
  }
  // A walk-in whose name is someone else's waits for the desk before it may act.
  const held = Boolean(me) && me.participant.status === "held";
  show($("#checkin"), !me && !closed);
  show($("#held"), held && !closed);
  show($("#member"), Boolean(me) && !held);
  if (!me) {
    renderCheckIn(view);
    if (!closed) checkInFromLink();
    return;
  }
  const p = me.participant;
  if (held) return setText($("#held-name"), p.name);
  setText($("#me-name"), p.name);
  const role = p.role === "observer" ? ` · ${t("role.observer")}` : "";
  setText($("#me-meta"), `${categoryLabel(view, p.category)}${role}`);
  show($("#now"), !closed);
  setText($("#item"), itemLabel(view, view.current_item));
  setText($("#speaker-name"), view.speaker ? view.speaker.who.name : t("floor.nobody"));
  countdown($("#countdown"), view.speaker);
  renderFloor(view, me);
  renderVote(view, me);
  renderOwn(view, me);
  watchForAlerts(view, me);
}

async function main() {
  // The page came with the check-in form showing; a phone that has checked in waits for its own part.
  if (identity.token()) show($("#checkin"), false);
  await loadLang(initialLang(boot, "join"));
  langSwitch($("#lang-switch"));
  const ctx = { live, identity, render };
  setupCheckIn(ctx);
  setupFloor(ctx);
  setupOwn(ctx);
  setupAlerts();
  live.on("view", render).on("me", render);
  live.on("refused", (refusal) => {
    // A token this meeting does not know (say, the record was reset): start again as a guest.
    if (refusal.code === "bad_credentials" && identity.token()) {
      identity.forget();
      live.socket.connect();
    } else setText($("#title"), refusal.error);
  });
  onLangChange(render);
  live.start();
}

main();
