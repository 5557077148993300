"""Who keeps their name in the public minutes (公示), and how the others' names are masked.

People who speak for an office or an organisation (the street office, the Party organisation,
the residents' committee, the property company, experts, deputies …) act in a public role and
keep their names, always shown with their category. Private residents are masked: 张** for a
Chinese name (the surname only, and never how long the name is), initials for a Latin one.
A category this module does not know (meetings may add their own) counts as private.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .meeting import Meeting

# Categories whose members act in a public role: shown by name and role.
KEPT_BY_ROLE = frozenset({
    "street_office", "party", "committee", "supervision", "owners_committee", "property", "unit",
    "social_org", "expert", "deputy",
})
# Two-character surnames, kept whole so that 欧阳明 becomes 欧阳**, not 欧**.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 闻人 端木 南宫 "
    "西门 独孤 呼延 澹台 公冶 太史 申屠 赫连 濮阳 万俟 单于 司空 百里 东郭 左丘".split()
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MIN_SCRUB = 2  # shorter names are not searched for in free text (a one-character name is a word)


def is_private(category: str) -> bool:
    return category not in KEPT_BY_ROLE


def mask_name(name: str) -> str:
    """张桂英 -> 张**, 欧阳明 -> 欧阳**, John Smith -> J. S."""
    name = name.strip()
    if not name:
        return name
    if _CJK.search(name):
        surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]
        return surname + "**"
    initials = [part[0].upper() + "." for part in re.split(r"[\s\-·.]+", name) if part]
    return " ".join(initials) or "*"


class Masker:
    """Masks private residents' names, as fields and wherever they appear in free text.

    `private_names` are the names to hide (every private participant and invitee). With
    `active=False` (the internal minutes) it changes nothing.
    """

    def __init__(self, private_names: Iterable[str], *, active: bool = True) -> None:
        self.active = active
        names = sorted({n.strip() for n in private_names if len(n.strip()) >= MIN_SCRUB}, key=len, reverse=True)
        self._masks = {n: mask_name(n) for n in names}
        parts = [re.escape(n) if _CJK.search(n) else rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])" for n in names]
        self._pattern = re.compile("|".join(parts)) if parts else None

    def name(self, name: str, category: str) -> tuple[str, bool]:
        """The name to show, and whether it was masked."""
        if self.active and is_private(category):
            return mask_name(name), True
        return self.text(name), False

    def text(self, text: str) -> str:
        """Free text with every private resident's name in it masked."""
        if not self.active or self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._masks[m.group(0)], text)


def private_names(m: Meeting) -> list[str]:
    """Every private resident's name the meeting knows: those checked in, those invited and a
    hearing's parties."""
    names = [p.name for p in m.participants.values() if is_private(p.category)]
    names += [x.name for x in m.parties.values() if is_private(x.category)]
    return names + [str(r["name"]) for r in m.roster if is_private(str(r["category"]))]


def masker_for(m: Meeting, *, active: bool = True) -> Masker:
    """The masker the public minutes of `m` use."""
    return Masker(private_names(m), active=active)


# Keys whose values are machine words (ids, keys, enumerations, times), never names or free text.
_MACHINE_KEYS = frozenset({
    "id", "seq", "form", "language", "status", "category", "key", "kind", "stance", "outcome", "due",
    "starts_at", "item", "current_item", "public", "verify", "role", "entered_by",
})


def mask_document(doc: Any, masker: Masker) -> Any:
    """A copy of a JSON document with every name in it masked as the public minutes mask it.

    A person (an object with `name` and `category`) has its name masked if the category is
    private; every other string, wherever it is, has private residents' full names masked, so a
    field added later is masked too. Machine words (strings under `_MACHINE_KEYS`) are left as
    they are.
    """
    if isinstance(doc, dict):
        out = {k: v if k in _MACHINE_KEYS and isinstance(v, str) else mask_document(v, masker)
               for k, v in doc.items()}
        if isinstance(doc.get("name"), str) and isinstance(doc.get("category"), str):
            out["name"] = masker.name(doc["name"], doc["category"])[0]
        return out
    if isinstance(doc, list):
        return [mask_document(v, masker) for v in doc]
    if isinstance(doc, str):
        return masker.text(doc)
    return doc
