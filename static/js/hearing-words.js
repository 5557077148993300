// A hearing's words (facilitation/hearing.py), shared by the console, the projector and the phone's
// hearing card: the stages, the sides, whom a party speaks for.

import { t } from "./client.js";

export const stageLabel = (stage) => ({
  explain: t("hearing.stage_explain"), plan: t("hearing.stage_plan"), testimony: t("hearing.stage_testimony"),
  questions: t("hearing.stage_questions"), closing: t("hearing.stage_closing"), close: t("hearing.stage_close"),
})[stage] || t("hearing.stage_none");

export const sideLabel = (side) => ({
  for: t("stance.for"), against: t("stance.against"), other: t("stance.other"),
})[side] || side;

export const forLabel = (kind) => ({
  concerned: t("hearing.for_concerned"), group: t("hearing.for_group"), building: t("hearing.for_building"),
  organisation: t("hearing.for_organisation"),
})[kind] || kind;

/** "3号楼一层住户（代表楼栋居民）· 反对": whom a party speaks for and its side. */
export function partyLine(party) {
  const whom = party.speaks_for ? `${party.speaks_for}（${forLabel(party.for_kind)}）` : forLabel(party.for_kind);
  return `${whom} · ${sideLabel(party.side)}`;
}
