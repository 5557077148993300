"""Whether a binding vote passed: the majority each rule asks for, counted exactly.

Each rule compares what was had (yes votes, participating owners or area) with a base (ballots
cast, people present, everyone entitled, the owners or their area) at a fraction of it. Sources and
worked examples: docs/majorities.md (to be checked against the statute before relying on it).
Comparisons are exact (integers and fractions.Fraction, never floats): `have*2 > base`,
`have*3 >= base*2`, `have*4 >= base*3`. A base of zero never passes.
"""
from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import VotingError

# name -> label in both languages
RULES: dict[str, dict[str, str]] = {
    "cast": {"zh": "投票人数过半数", "en": "more than half of the ballots cast"},
    "present": {"zh": "到会人员过半数", "en": "more than half of those present"},
    "entitled": {"zh": "全体有表决权的人过半数", "en": "more than half of all entitled to vote"},
    "two_thirds_cast": {"zh": "投票人数三分之二以上", "en": "at least two thirds of the ballots cast"},
    "two_thirds_present": {"zh": "到会人员三分之二以上", "en": "at least two thirds of those present"},
    "two_thirds_entitled": {"zh": "全体有表决权的人三分之二以上", "en": "at least two thirds of all entitled to vote"},
    "owners": {"zh": "业主共同决定（一般事项）", "en": "owners' joint decision (ordinary matters)"},
    "owners_special": {"zh": "业主共同决定（维修资金、改建重建、共有部分用途或经营）",
                       "en": "owners' joint decision (maintenance funds, rebuilding, use of common parts)"},
}

# fraction -> (numerator, denominator, strict): "more than half" excludes exactly half,
# "以上" in Chinese statutes includes the figure itself (Civil Code art. 1259).
FRACTIONS: dict[str, tuple[int, int, bool]] = {
    "more_than_half": (1, 2, True),
    "two_thirds": (2, 3, False),
    "three_quarters": (3, 4, False),
}

# rule -> (base of approval, fraction) for the rules with a single check
_SIMPLE: dict[str, tuple[str, str]] = {
    "cast": ("cast", "more_than_half"),
    "present": ("present", "more_than_half"),
    "entitled": ("entitled", "more_than_half"),
    "two_thirds_cast": ("cast", "two_thirds"),
    "two_thirds_present": ("present", "two_thirds"),
    "two_thirds_entitled": ("entitled", "two_thirds"),
}
# owners' rule -> fraction of the participants that must approve; participation is two thirds for both
_OWNERS: dict[str, str] = {"owners": "more_than_half", "owners_special": "three_quarters"}

FORM_RULES: dict[str, str] = {"assembly": "present", "representatives": "present", "owners": "owners"}

AREA_STEP = Decimal("0.01")  # areas are registered in square metres to the hundredth

_BASE_WORDS = {
    "cast": ("投票人数", "the ballots cast"),
    "present": ("到会有表决权人员", "those present and entitled"),
    "entitled": ("全体有表决权的人", "all entitled to vote"),
}
_FRACTION_WORDS = {
    "more_than_half": ("过半数", "more than half"),
    "two_thirds": ("三分之二以上", "at least two thirds"),
    "three_quarters": ("四分之三以上", "at least three quarters"),
}


@dataclass(frozen=True)
class Count:
    """The figures of one vote. Owners are counted by number (one owner once, however many flats)
    and by exclusive area (专有部分面积); the area fields matter to the owners' rules only."""

    yes: int
    no: int
    abstain: int
    present: int  # present and entitled to vote
    entitled: int
    yes_area: Decimal = Decimal(0)
    no_area: Decimal = Decimal(0)
    abstain_area: Decimal = Decimal(0)
    entitled_area: Decimal = Decimal(0)

    @property
    def cast(self) -> int:
        """Ballots cast; an abstention is a ballot cast."""
        return self.yes + self.no + self.abstain

    @property
    def participating_area(self) -> Decimal:
        return _exact_sum(self.yes_area, self.no_area, self.abstain_area)


@dataclass(frozen=True)
class Check:
    what: str  # approval | participation_owners | participation_area | approval_owners | approval_area
    have: int | Decimal
    base: int | Decimal
    need: int | Decimal  # the smallest `have` that meets the check (areas: to the hundredth, rounded up)
    fraction: str  # more_than_half | two_thirds | three_quarters
    met: bool


@dataclass(frozen=True)
class Outcome:
    passed: bool
    checks: tuple[Check, ...]


def _exact_sum(*values: Decimal) -> Decimal:
    # The default context keeps 28 digits; a sum of registered areas must not be rounded.
    with decimal.localcontext() as ctx:
        ctx.prec = decimal.MAX_PREC
        total = Decimal(0)
        for v in values:
            total += v
        return total


def meets(have: int | Decimal, base: int | Decimal, fraction: str) -> bool:
    """Whether `have` is the `fraction` of `base`; nothing meets a base of zero."""
    num, den, strict = FRACTIONS[fraction]
    h, b = Fraction(have), Fraction(base)
    if b <= 0:
        return False
    return h * den > b * num if strict else h * den >= b * num


def needed(base: int | Decimal, fraction: str, step: int | Decimal = 1) -> int | Decimal:
    """The smallest multiple of `step` that meets `fraction` of `base` (at least one step)."""
    num, den, strict = FRACTIONS[fraction]
    steps = Fraction(base) * num / (Fraction(step) * den)
    k = math.floor(steps) + 1 if strict else math.ceil(steps)
    k = max(k, 1)
    if isinstance(step, int):
        return k * step
    with decimal.localcontext() as ctx:
        ctx.prec = decimal.MAX_PREC
        return Decimal(k) * step


def _check(what: str, have: int | Decimal, base: int | Decimal, fraction: str) -> Check:
    step: int | Decimal = AREA_STEP if isinstance(base, Decimal) else 1
    return Check(what, have, base, needed(base, fraction, step), fraction, meets(have, base, fraction))


def _validate(rule: str, c: Count) -> None:
    for name in ("yes", "no", "abstain", "present", "entitled"):
        if getattr(c, name) < 0:
            raise VotingError("bad_count", field=name)
    for name in ("yes_area", "no_area", "abstain_area", "entitled_area"):
        value: Decimal = getattr(c, name)
        if not value.is_finite() or value < 0:
            raise VotingError("bad_count", field=name)
    if c.cast > c.entitled:
        raise VotingError("bad_count", field="cast")
    if c.present > c.entitled:
        raise VotingError("bad_count", field="present")
    # Only those in the room vote where the base is the room.
    if _SIMPLE.get(rule, ("", ""))[0] == "present" and c.cast > c.present:
        raise VotingError("bad_count", field="cast")
    if c.participating_area > c.entitled_area:
        raise VotingError("bad_count", field="participating_area")


def decide(rule: str, count: Count) -> Outcome:
    """Whether the vote passed under `rule`, with every check that decided it."""
    if rule not in RULES:
        raise VotingError("unknown_rule", rule=rule)
    _validate(rule, count)
    if rule in _SIMPLE:
        base_name, fraction = _SIMPLE[rule]
        base = {"cast": count.cast, "present": count.present, "entitled": count.entitled}[base_name]
        checks: tuple[Check, ...] = (_check("approval", count.yes, base, fraction),)
    else:
        # Civil Code art. 278: two thirds of the owners and of the area take part, then the
        # participants approve by number and by area, both at once.
        area = count.participating_area
        approval = _OWNERS[rule]
        checks = (
            _check("participation_owners", count.cast, count.entitled, "two_thirds"),
            _check("participation_area", area, count.entitled_area, "two_thirds"),
            _check("approval_owners", count.yes, count.cast, approval),
            _check("approval_area", count.yes_area, area, approval),
        )
    return Outcome(all(ch.met for ch in checks), checks)


def rule_for_form(form: str) -> str:
    """The default rule of a meeting form: the organic laws' rule for the assemblies, art. 278
    for the owners, a majority of the ballots cast for everything else."""
    return FORM_RULES.get(form, "cast")


def describe(rule: str, lang: str = "zh-CN") -> str:
    """The rule in words, in "zh-CN" (the default) or "en"."""
    if rule not in RULES:
        raise VotingError("unknown_rule", rule=rule)
    en = lang == "en"
    if rule in _SIMPLE:
        base_name, fraction = _SIMPLE[rule]
        base_zh, base_en = _BASE_WORDS[base_name]
        frac_zh, frac_en = _FRACTION_WORDS[fraction]
        return f"{frac_en} of {base_en} agree" if en else f"{base_zh}{frac_zh}同意"
    frac_zh, frac_en = _FRACTION_WORDS[_OWNERS[rule]]
    if en:
        return ("owners holding at least two thirds of the exclusive area and at least two thirds of "
                f"the owners by number take part, and {frac_en} of the participating area and {frac_en} "
                "of the participating owners agree")
    return ("专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决，"
            f"经参与表决专有部分面积{frac_zh}的业主且参与表决人数{frac_zh}的业主同意")
