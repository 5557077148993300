"""Straw polls: what may be asked, who may answer, and how the answers add up."""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from .errors import VotingError
from .ranking import BordaResult, RunoffResult, borda, check_ranking, instant_runoff
from .selection import check_choices

# Kinds whose options are fixed words; the pages translate the keys.
FIXED_OPTIONS = {
    "yes_no_abstain": ["yes", "no", "abstain"],
    "rating": ["satisfied", "basically_satisfied", "dissatisfied"],
}
KINDS = (*FIXED_OPTIONS, "single", "multiple", "ranking", "evaluation")
# kinds whose options the moderator writes (an evaluation's: the officials or services evaluated)
CUSTOM_OPTIONS = ("single", "multiple", "ranking", "evaluation")
NOT_RATED = -1  # in an evaluation ballot: this one was not rated
RANKING_METHODS = ("borda", "instant_runoff")  # voting.ranking
MAX_OPTIONS = 12
MAX_OPTION_LENGTH = 80
MAX_HANDS = 100_000  # hands counted in one room for one option: more is a typing error


def options_for(kind: str, options: list[str]) -> list[str]:
    """The option list a new poll of `kind` gets; custom options for single and multiple choice."""
    if kind in FIXED_OPTIONS:
        return list(FIXED_OPTIONS[kind])
    if kind not in CUSTOM_OPTIONS:
        raise VotingError("unknown_poll_kind", kind=kind)
    cleaned = [o.strip() for o in options if o.strip()]
    if len(cleaned) < (1 if kind == "evaluation" else 2):  # one official may be evaluated alone
        raise VotingError("too_few_options")
    if len(cleaned) > MAX_OPTIONS:
        raise VotingError("too_many_options", max=MAX_OPTIONS)
    if any(len(o) > MAX_OPTION_LENGTH for o in cleaned):
        raise VotingError("option_too_long", max=MAX_OPTION_LENGTH)
    if len(set(cleaned)) != len(cleaned):
        raise VotingError("duplicate_options")
    return cleaned


# A ballot: the option chosen, or for multiple choice the options chosen, or for a ranking the
# options in order of preference (none: a blank vote).
Ballot = int | tuple[int, ...]
# What a secret poll knows of a voter's ballot while it is open: that it is in the box, not what it
# says. The box itself (receipt -> ballot) is opened only when the poll closes.
SEALED = ()
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on phones
RECEIPT_LENGTH = 8


def chosen(ballot: Ballot) -> tuple[int, ...]:
    return (ballot,) if isinstance(ballot, int) else ballot


def _rated(ratings: tuple[int, ...]) -> list[int | None]:
    """An evaluation ballot as voting.evaluation counts it: None where not rated."""
    return [None if r == NOT_RATED else r for r in ratings]


@dataclass
class Poll:
    id: str
    item: int
    question: str
    kind: str
    options: list[str]
    secret: bool = False
    open: bool = True
    opened_at: float = 0.0
    closed_at: float | None = None
    ballots: dict[str, Ballot] = field(default_factory=dict)  # participant id -> option index (or indexes)
    hand_counts: list[int] = field(default_factory=list)
    corrections: list[dict[str, object]] = field(default_factory=list)  # counts before, after, reason, at
    # A binding poll states its majority rule (voting.majority) before it opens; "" for a straw poll.
    rule: str = ""
    quorum_override: str = ""  # why it was opened without quorum (the minutes state it)
    quorum_at_open: dict[str, object] | None = None  # the quorum figures when it opened
    hide_results: bool = False  # the room sees how many voted, not the count, until revealed
    max_choices: int = 0  # multiple choice: at most this many options per ballot
    method: str = ""  # a ranking's counting method (RANKING_METHODS)
    revealed_at: float | None = None
    base: dict[str, Any] | None = None  # who was present and entitled when it closed (binding polls)
    entered_by_staff: set[str] = field(default_factory=set)  # voters whose ballot staff entered for them
    named: bool = False  # a roll call: every voter's ballot is public by design
    changeable: bool = False  # a voter may vote again until it closes: the last ballot counts
    # A secret poll's ballots, (receipt, ballot) in receipt order, once counted at its close: they
    # were kept apart from `ballots`, which then holds only who voted (SEALED).
    box: list[tuple[str, Ballot]] = field(default_factory=list)
    # Bumped by every change to what the ballots and hands count, so that a count is worked out
    # once per change: a long meeting's views show every poll after each command.
    version: int = field(default=0, compare=False, repr=False)
    _counted: dict[str, tuple[int, Any, Any]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def binding(self) -> bool:
        return bool(self.rule)

    @property
    def results_shown(self) -> bool:
        """Whether the room may see the count: always, unless opened hidden and not yet revealed;
        a secret poll's once it closed (the box is counted then, not before)."""
        if self.secret:
            return not self.open
        return not self.hide_results or self.revealed_at is not None

    @property
    def sealed(self) -> bool:
        """A secret poll still open: nobody, the moderator included, can know its count yet."""
        return self.secret and self.open

    def cast_ballots(self) -> list[Ballot]:
        """What the ballots say: a secret poll's from its box, the others' by voter."""
        return [b for _, b in self.box] if self.secret else list(self.ballots.values())

    def __post_init__(self) -> None:
        if not self.hand_counts:
            self.hand_counts = [0] * len(self.options)

    def check_ballot(self, participant_id: str, choice: Ballot) -> None:
        if not self.open:
            raise VotingError("poll_closed")
        if participant_id in self.ballots and not self.changeable:
            raise VotingError("already_voted")
        if self.kind == "multiple" and not isinstance(choice, tuple):
            raise VotingError("choices_required", max=self.max_choices)
        if self.kind == "ranking" and not isinstance(choice, tuple):
            raise VotingError("ranking_required")
        if self.kind == "evaluation" and not isinstance(choice, tuple):
            raise VotingError("bad_evaluation", evaluated=len(self.options))
        if self.kind == "multiple":
            check_choices(len(self.options), self.max_choices, choice)  # type: ignore[arg-type]
        elif self.kind == "ranking":
            check_ranking(len(self.options), choice)  # type: ignore[arg-type]
        elif self.kind == "evaluation":
            from .evaluation import check_evaluation  # (it reads this module's rating words)

            check_evaluation(len(self.options), _rated(choice))  # type: ignore[arg-type]
        elif not isinstance(choice, int) or not 0 <= choice < len(self.options):
            raise VotingError("no_such_option")

    def _takes_hands(self) -> None:
        if self.kind in ("ranking", "evaluation"):
            raise VotingError("hands_not_for_kind")  # an order of preference, or ratings, are not shown by hands
        if self.named:
            raise VotingError("named_needs_names")  # a roll call records each hand by name (on someone's behalf)

    def check_hand_count(self, counts: list[int]) -> None:
        self._takes_hands()
        if not self.open:
            raise VotingError("poll_closed")
        if len(counts) != len(self.options) or any(not 0 <= c <= MAX_HANDS for c in counts):
            raise VotingError("bad_hand_count", options=len(self.options))

    def check_hand_correction(self, counts: list[int]) -> None:
        """A correction may come after the poll closed: miscounts are often found when the result is read out."""
        self._takes_hands()
        if len(counts) != len(self.options) or any(not 0 <= c <= MAX_HANDS for c in counts):
            raise VotingError("bad_hand_count", options=len(self.options))
        if counts == self.hand_counts:
            raise VotingError("hand_count_unchanged")

    def cast(self, participant_id: str, choice: Ballot) -> None:
        self.ballots[participant_id] = choice
        self.version += 1

    def count_box(self, box: list[tuple[str, Ballot]]) -> None:
        """A secret poll's box, counted at its close."""
        self.box = box
        self.version += 1

    def _once(self, what: str, work: Callable[[], Any], given: Any = None) -> Any:
        """`work()`, kept until the ballots or hands change or it is asked for with another `given`
        (what is kept is never handed out to be changed)."""
        kept = self._counted.get(what)
        if kept is None or kept[0] != self.version or kept[1] != given:
            kept = self._counted[what] = (self.version, given, work())
        return kept[2]

    def void(self, participant_id: str) -> None:
        """A ballot whose voter's check-in was taken back no longer counts (never a secret poll's:
        its ballot cannot be found in the box; facilitation refuses what would need that)."""
        if self.secret:
            return
        self.ballots.pop(participant_id, None)
        self.entered_by_staff.discard(participant_id)
        self.version += 1

    def add_hands(self, counts: list[int]) -> None:
        self.hand_counts = [a + b for a, b in zip(self.hand_counts, counts)]
        self.version += 1

    def set_hands(self, counts: list[int], *, reason: str = "", at: float = 0.0) -> None:
        self.corrections.append({"before": list(self.hand_counts), "after": list(counts), "reason": reason, "at": at})
        self.hand_counts = list(counts)
        self.version += 1

    def marks(self, ballot: Ballot) -> tuple[int, ...]:
        """The options a ballot counts for in the per-option count: a ranking's first preference;
        an evaluation's ones rated (its result is `evaluated`)."""
        picked = chosen(ballot)
        if self.kind == "evaluation":
            return tuple(i for i, r in enumerate(picked) if r != NOT_RATED)
        return picked[:1] if self.kind == "ranking" else picked

    def evaluated(self) -> Any:
        """An evaluation's ratings of each one evaluated, with the rates (voting.evaluation); None otherwise."""
        if self.kind != "evaluation":
            return None
        from .evaluation import count

        return self._once("evaluated", lambda: count(len(self.options), [_rated(chosen(b)) for b in self.cast_ballots()]))

    def phone_counts(self) -> list[int]:
        """Ballots per option (a ranking: first preferences; its result is `ranked`)."""
        return list(self._once("phones", self._phone_counts))

    def _phone_counts(self) -> list[int]:
        counts = [0] * len(self.options)
        for ballot in self.cast_ballots():
            for choice in self.marks(ballot):
                counts[choice] += 1
        return counts

    def ranked(self) -> BordaResult | RunoffResult | None:
        """A ranking's result by its method, every round of a runoff included; None for other kinds."""
        if self.kind != "ranking":
            return None
        def count() -> BordaResult | RunoffResult:
            rankings = [chosen(b) for b in self.cast_ballots()]
            return borda(len(self.options), rankings) if self.method == "borda" else instant_runoff(len(self.options), rankings)

        return self._once("ranked", count, self.method)  # type: ignore[no-any-return]

    def counts(self) -> list[int]:
        """Phones and hands together: the figure shown on the projector and in the minutes."""
        return [a + b for a, b in zip(self.phone_counts(), self.hand_counts)]

    def total(self) -> int:
        return sum(self.counts())

    def by_category(self, category_of: dict[str, str], *, categories_key: Any = None) -> dict[str, list[int]]:
        """Phone ballots per stakeholder category; empty for secret polls. A caller that asks for
        many polls' cells with the same categories names them by `categories_key` (something that
        changes whenever `category_of` does), and each poll's cells are worked out once per change."""
        if self.secret:
            return {}
        if categories_key is None:
            return self._by_category(category_of)
        cells = self._once("by_category", lambda: self._by_category(category_of), categories_key)
        return {c: list(row) for c, row in cells.items()}

    def _by_category(self, category_of: dict[str, str]) -> dict[str, list[int]]:
        result: dict[str, list[int]] = {}
        for pid, ballot in self.ballots.items():
            row = result.setdefault(category_of.get(pid, ""), [0] * len(self.options))
            for choice in self.marks(ballot):
                row[choice] += 1
        return result

    def leader(self) -> int | None:
        """Index of the option with most votes, or None on a tie or no votes."""
        counts = self.counts()
        best = max(counts, default=0)
        if best == 0 or counts.count(best) > 1:
            return None
        return counts.index(best)


def check_receipt(receipt: str) -> None:
    """A receipt as the server makes them (live): RECEIPT_LENGTH characters of RECEIPT_ALPHABET."""
    if len(receipt) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in receipt):
        raise VotingError("bad_receipt")


def shown_receipt(receipt: str) -> str:
    """A receipt as people read it: two groups of four (K7P4-QX2M)."""
    return f"{receipt[:4]}-{receipt[4:]}"
