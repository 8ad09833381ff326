"""Staff-to-child ratios and key person cover, as plain functions of plain data.

Nothing here touches the database, so every figure can be checked by hand in the tests.
Times are ``(start, end)`` pairs of ``datetime.time``; a period includes its start, not its end.
"""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from fractions import Fraction

Slot = tuple[time, time]

# England's EYFS ratios: the share of one adult each child needs.
UNDER_TWO = Fraction(1, 3)
TWO_YEAR_OLD = Fraction(1, 5)
THREE_AND_OVER = Fraction(1, 8)
THREE_AND_OVER_WITH_LEVEL_SIX = Fraction(1, 13)
LEVEL_SIX = 6


def staff_share(age_months: int | None, *, level_six_present: bool) -> Fraction:
    """How much of one adult a child of this age needs. An unknown age counts as under two, the strictest."""
    if age_months is None or age_months < 24:
        return UNDER_TWO
    if age_months < 36:
        return TWO_YEAR_OLD
    return THREE_AND_OVER_WITH_LEVEL_SIX if level_six_present else THREE_AND_OVER


@dataclass(frozen=True)
class RatioFigures:
    """Staff needed against staff working for one room and period."""

    under_two: int
    two_year_olds: int
    three_and_over: int
    unknown_age: int
    needed: int
    working: int
    level_six_present: bool

    @property
    def children(self) -> int:
        return self.under_two + self.two_year_olds + self.three_and_over + self.unknown_age

    @property
    def shortfall(self) -> int:
        return max(self.needed - self.working, 0)


def ratio_figures(ages_in_months: Iterable[int | None], *, staff_levels: Iterable[int | None] = ()) -> RatioFigures:
    """Mixed rooms add each child's share of an adult, then round up to whole people.

    ``staff_levels`` are the qualification levels of the staff working with the children (None
    when not recorded); a level 6 among them allows 1:13 for the over-threes.
    """
    levels = list(staff_levels)
    level_six = any((level or 0) >= LEVEL_SIX for level in levels)
    ages = list(ages_in_months)
    total = sum((staff_share(age, level_six_present=level_six) for age in ages), Fraction(0))
    return RatioFigures(
        under_two=sum(1 for age in ages if age is not None and age < 24),
        two_year_olds=sum(1 for age in ages if age is not None and 24 <= age < 36),
        three_and_over=sum(1 for age in ages if age is not None and age >= 36),
        unknown_age=sum(1 for age in ages if age is None),
        needed=math.ceil(total),
        working=len(levels),
        level_six_present=level_six,
    )


def periods(sessions: Iterable[Slot]) -> list[Slot]:
    """Split the day at every session's start and end: within a period, nobody arrives or leaves.

    Morning 08:00-13:00, Afternoon 13:00-18:00 and Full day 08:00-18:00 give 08:00-13:00 and 13:00-18:00.
    """
    slots = list(sessions)
    edges = sorted({edge for slot in slots for edge in slot})
    return [(start, end) for start, end in itertools.pairwise(edges) if any(s <= start and end <= e for s, e in slots)]


def present_during(slots: Iterable[Slot], period: Slot) -> bool:
    """Whether someone with these slots is there for the whole period."""
    return any(start <= period[0] and period[1] <= end for start, end in slots)


def uncovered(needed: Iterable[Slot], available: Iterable[Slot]) -> list[Slot]:
    """The parts of ``needed`` that ``available`` leaves open."""
    available = list(available)
    gaps: list[Slot] = []
    for slot in needed:
        pieces = [slot]
        for a_start, a_end in available:
            remaining = []
            for start, end in pieces:
                if a_end <= start or end <= a_start:
                    remaining.append((start, end))
                    continue
                if start < a_start:
                    remaining.append((start, a_start))
                if a_end < end:
                    remaining.append((a_end, end))
            pieces = remaining
        gaps += pieces
    return gaps


class Cover(StrEnum):
    KEY_PERSON = "key_person"
    BUDDY = "buddy"
    NOT_COVERED = "not_covered"
    NO_KEY_PERSON = "no_key_person"

    @property
    def flagged(self) -> bool:
        return self in (Cover.NOT_COVERED, Cover.NO_KEY_PERSON)


def cover_status(child: Iterable[Slot], key_person: Iterable[Slot] | None, buddy: Iterable[Slot] | None) -> Cover:
    """Who looks after a child while they are in.

    ``key_person`` and ``buddy`` are the times each is in that day ([] when away, None when the
    child has none). The buddy covers whatever part of the child's day the key person misses.
    """
    if key_person is None:
        return Cover.NO_KEY_PERSON
    gaps = uncovered(child, key_person)
    if not gaps:
        return Cover.KEY_PERSON
    if buddy is not None and not uncovered(gaps, buddy):
        return Cover.BUDDY
    return Cover.NOT_COVERED
