// At a hearing, the phone's card to register to testify (听证陈述人): fetched by static/js/phone.js
// only when a hearing's view comes. Before the meeting with the code on the slip (beside the reply
// card), or once checked in; checked in, the party may withdraw until heard.

import { $, act, currentLang, h, setText, show, t } from "./client.js";
import { partyLine } from "./hearing-words.js";

let ctx; // { live, code: the slip's code while its holder replies, rerender }

export function setup(c) {
  ctx = c;
}

let registeredByCode = false; // this page registered its slip's holder with the code, not checked in

/** At a hearing, an invitee registers to testify (听证陈述人) until the testimonies begin: before the
 *  meeting with the code on their slip (beside the reply card), or once checked in; checked in, they
 *  may withdraw until heard. The card is made once, and placed beside the card it goes with. */
function testifyCard() {
  const option = (value, text) => h("option", { value, text });
  const form = h("form", { id: "testify-form" },
    h("label", {}, h("span", { text: t("hearing.for_kind") }), h("select", { name: "for_kind" },
      option("concerned", t("hearing.for_concerned")), option("group", t("hearing.for_group")),
      option("building", t("hearing.for_building")), option("organisation", t("hearing.for_organisation")))),
    h("input", { name: "speaks_for", maxlength: "100", placeholder: t("hearing.speaks_for") }),
    h("label", {}, h("span", { text: t("hearing.side") }), h("select", { name: "side" },
      option("for", t("stance.for")), option("against", t("stance.against")), option("other", t("stance.other")))),
    h("textarea", { name: "summary", maxlength: "500", required: true, placeholder: t("hearing.summary") }),
    h("button", { type: "submit", text: t("hearing.register_me") }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements;
    const data = { for_kind: f.for_kind.value, side: f.side.value, summary: f.summary.value.trim() };
    if (f.speaks_for.value.trim()) data.speaks_for = f.speaks_for.value.trim();
    if (!ctx.live.me && ctx.code()) data.code = ctx.code(); // before the meeting, with the slip's code: not checked in
    const ack = await act(ctx.live, "register_party", data, { button: e.submitter, done: t("hearing.registered_me") });
    if (ack.ok) {
      f.summary.value = "";
      if (data.code) registeredByCode = true;
      ctx.rerender();
    }
  });
  const withdraw = h("button", { id: "testify-withdraw", type: "button", class: "quiet", text: t("hearing.withdraw") });
  withdraw.addEventListener("click", (e) => {
    if (confirm(t("hearing.confirm_withdraw"))) {
      act(ctx.live, "withdraw_party", { party_id: ctx.live.me.party.id }, { button: e.currentTarget, done: t("hearing.withdrawn") });
    }
  });
  const card = h("div", { id: "testify", class: "card testify", dataset: { lang: currentLang() } },
    h("h2", { text: t("hearing.testify_title") }), h("p", { id: "testify-status", class: "meta" }), form, withdraw);
  return card;
}

export function renderTestify(view, me) {
  const hearing = view.hearing;
  const mine = me?.party;
  const byCode = !me && Boolean(ctx.code());
  const shown = Boolean(hearing) && (byCode ? hearing.registration_open
    : Boolean(me) && me.participant.invited && (Boolean(mine) || hearing.registration_open));
  if ($("#testify") && $("#testify").dataset.lang !== currentLang()) $("#testify").remove(); // its words, anew
  const card = $("#testify") || (shown ? testifyCard() : null);
  if (!card) return;
  const beside = byCode ? $("#answer-card") : $("#floor");
  if (card.previousElementSibling !== beside) beside.after(card);
  show(card, shown);
  if (!shown) return;
  const done = byCode && registeredByCode;
  setText($("#testify-status"), mine
    ? t("hearing.you_are_registered", { line: partyLine(mine), summary: mine.summary })
    : done ? t("hearing.registered_me") : t("hearing.you_may_register"));
  show($("#testify-form"), !mine && !done && hearing.registration_open);
  show($("#testify-withdraw"), Boolean(mine) && !mine.testified && view.status !== "closed");
}

