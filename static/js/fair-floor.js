// A fair floor, as the pages show it: the queue's policy and each person's reason for their place,
// the limits on speaking (what the speaker has left, counted down with the running speech) and the
// balance of who has been heard (the running speech's time added to its speaker's totals).
// The server sends totals of the speeches that have ended; the pages add the speech under way.

import { mmss, serverNow, stanceLabel, t } from "./client.js";

export const POLICIES = ["first_come", "unheard_people", "unheard_categories", "alternate"];

/** The policy's name, and one line saying what it does. */
export function policyLabel(policy) {
  switch (policy) {
    case "first_come": return t("policy.first_come");
    case "unheard_people": return t("policy.unheard_people");
    case "unheard_categories": return t("policy.unheard_categories");
    case "alternate": return t("policy.alternate");
    default: return policy;
  }
}

export function policyHint(policy) {
  switch (policy) {
    case "first_come": return t("policy.first_come_hint");
    case "unheard_people": return t("policy.unheard_people_hint");
    case "unheard_categories": return t("policy.unheard_categories_hint");
    case "alternate": return t("policy.alternate_hint");
    default: return "";
  }
}

/** Why a request is where it is in the queue ("" when it is simply the order of asking). */
export function reasonLabel(reason) {
  switch (reason) {
    case "point_of_order": return t("reason.point_of_order");
    case "reply": return t("reason.reply");
    case "moved": return t("reason.moved");
    case "unheard_person": return t("reason.unheard_person");
    case "unheard_category": return t("reason.unheard_category");
    case "alternate": return t("reason.alternate");
    default: return "";
  }
}

/** A limit's name: what a speech went past (`over`) or what the speaker has left. */
export function limitLabel(limit, stance = "") {
  switch (limit) {
    case "time": return t("timer.over");
    case "person_speeches": return t("limit.person_speeches");
    case "person_seconds": return t("limit.person_seconds");
    case "category_seconds": return t("limit.category_seconds");
    case "side_seconds": return stance ? t("limit.side_seconds_of", { side: stanceLabel(stance) }) : t("limit.side_seconds");
    default: return limit;
  }
}

/** "超出：超时、每人累计时间" for a speech's `over` list, "" when it passed none. */
export function overLabel(over, stance = "") {
  if (!over || !over.length) return "";
  return t("limit.passed", { what: over.map((o) => limitLabel(o, stance)).join(t("limit.separator")) });
}

/** Seconds the running speech has lasted so far (as the server will count it: from its start). */
export function elapsed(speaker) {
  if (!speaker || speaker.ended_at != null || speaker.started_at == null) return 0;
  return Math.max(0, serverNow() - speaker.started_at);
}

/**
 * What each limit set leaves the speaker now: [{limit, text, over}] in a fixed order. Seconds count
 * down with the running speech; speeches say how many more after this one.
 */
export function limitsLeft(speaker) {
  if (!speaker || !speaker.left) return [];
  const running = elapsed(speaker);
  const lines = [];
  for (const limit of ["person_seconds", "category_seconds", "side_seconds"]) {
    if (speaker.left[limit] === undefined) continue;
    const left = speaker.left[limit] - running;
    const what = limitLabel(limit, speaker.stance);
    lines.push({
      limit, over: left < 0,
      text: left < 0 ? t("limit.over_by", { what, time: mmss(-left) }) : t("limit.left", { what, time: mmss(left) }),
    });
  }
  if (speaker.left.person_speeches !== undefined) {
    const n = speaker.left.person_speeches - 1; // left before this speech (the server's), so after it one fewer
    const what = limitLabel("person_speeches");
    const over = n < 0 || (speaker.over || []).includes("person_speeches");
    lines.push({ limit: "person_speeches", over,
      text: over ? t("limit.speeches_passed", { what }) : t("limit.speeches_left", { what, n }) });
  }
  return lines;
}

/** The categories' balance with the running speech's time added to its speaker's category. */
export function liveCategories(view) {
  const s = view.speaker;
  const running = elapsed(s);
  return (view.balance?.categories || []).map((c) =>
    (s && s.who.category === c.key ? { ...c, seconds: c.seconds + running } : c));
}

/** For and against, in seconds, the running speech included. */
export function liveSides(view) {
  const s = view.speaker;
  const sides = { for: 0, against: 0, ...(view.balance?.sides || {}) };
  if (s && s.stance in sides) sides[s.stance] += elapsed(s);
  return sides;
}

/** Each person's balance (the console's), the running speech included. */
export function livePeople(view) {
  const s = view.speaker;
  const running = elapsed(s);
  return (view.balance?.people || []).map((p) => (s && s.who.id === p.id ? { ...p, seconds: p.seconds + running } : p));
}
