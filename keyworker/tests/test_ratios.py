"""Ratio and cover figures against cases worked out by hand (EYFS: 1:3 under two, 1:5 at two, 1:8 / 1:13 from three)."""

from datetime import time

import pytest

from keyworker.ratios import Cover, cover_status, periods, present_during, ratio_figures, uncovered

MORNING = (time(8), time(13))
AFTERNOON = (time(13), time(18))
FULL_DAY = (time(8), time(18))


@pytest.mark.parametrize(
    ("ages", "needed"),
    [
        ([], 0),
        ([7], 1),
        ([7, 9, 11], 1),  # 3 x 1/3 = 1
        ([7, 9, 11, 13], 2),  # 4/3 rounds up to 2
        ([24, 25, 30, 33, 35], 1),  # five two-year-olds: 1
        ([24] * 6, 2),  # 6/5
        ([36] * 8, 1),
        ([40] * 9, 2),  # 9/8 without a level 6
    ],
)
def test_staff_needed_for_a_single_age_group(ages, needed):
    assert ratio_figures(ages).needed == needed


def test_a_mixed_room_adds_each_childs_share_and_rounds_up():
    # 2 babies (2/3) + 3 two-year-olds (3/5) + 4 over-threes (4/8) = 10/15 + 9/15 + 1/2 = 53/30 -> 2 staff
    figures = ratio_figures([10, 20, 24, 30, 35, 36, 40, 48, 50], staff_levels=[3])
    assert (figures.under_two, figures.two_year_olds, figures.three_and_over) == (2, 3, 4)
    assert figures.needed == 2
    assert (figures.working, figures.shortfall) == (1, 1)


def test_a_mixed_room_just_over_a_whole_number_needs_one_more():
    # 3 babies (1) + 1 two-year-old (1/5) = 6/5 -> 2 staff
    assert ratio_figures([5, 6, 7, 26]).needed == 2


def test_a_level_six_practitioner_allows_one_to_thirteen_for_over_threes_only():
    over_threes = [36, 40, 44, 48, 50, 52, 54, 56, 58, 40, 41, 42, 43]  # 13 children
    assert ratio_figures(over_threes, staff_levels=[3]).needed == 2  # 13/8
    figures = ratio_figures(over_threes, staff_levels=[6])
    assert figures.level_six_present
    assert figures.needed == 1
    # Babies stay at 1:3 whoever is working: 3/3 + 13/13 = 2
    assert ratio_figures([8, 9, 10, *over_threes], staff_levels=[6, 3]).needed == 2


def test_a_child_turning_two_moves_from_one_to_three_to_one_to_five():
    # Four children: on the day before, three babies and a two-year-old: 1 + 1/5 -> 2.
    # On the birthday, two babies and two two-year-olds: 2/3 + 2/5 = 16/15 -> still 2; a third birthday: 1/3 + 3/5 -> 1.
    assert ratio_figures([23, 23, 23, 24]).needed == 2
    assert ratio_figures([23, 23, 24, 24]).needed == 2
    assert ratio_figures([23, 24, 24, 24]).needed == 1


def test_a_child_without_a_date_of_birth_counts_as_under_two_and_is_reported():
    figures = ratio_figures([40, 40, 40, None])
    assert figures.unknown_age == 1
    assert figures.children == 4
    assert figures.needed == 1  # 3/8 + 1/3 = 17/24 -> 1
    assert ratio_figures([40] * 8 + [None]).needed == 2  # 1 + 1/3


def test_nobody_short_when_enough_staff_are_working():
    assert ratio_figures([10, 11, 12], staff_levels=[2]).shortfall == 0
    assert ratio_figures([10, 11, 12], staff_levels=[]).shortfall == 1


def test_the_day_splits_where_any_session_starts_or_ends():
    assert periods([MORNING, AFTERNOON, FULL_DAY]) == [MORNING, AFTERNOON]
    assert periods([FULL_DAY, (time(9), time(12))]) == [(time(8), time(9)), (time(9), time(12)), (time(12), time(18))]
    # A gap between sessions is not a period.
    assert periods([(time(8), time(12)), (time(13), time(17))]) == [(time(8), time(12)), (time(13), time(17))]


def test_someone_is_present_for_a_period_only_if_a_slot_covers_all_of_it():
    assert present_during([FULL_DAY], MORNING)
    assert present_during([MORNING, AFTERNOON], AFTERNOON)
    assert not present_during([MORNING], AFTERNOON)
    assert not present_during([(time(9), time(13))], MORNING)


def test_uncovered_leaves_the_parts_nobody_is_there_for():
    assert uncovered([FULL_DAY], [MORNING]) == [AFTERNOON]
    assert uncovered([FULL_DAY], [(time(10), time(11))]) == [(time(8), time(10)), (time(11), time(18))]
    assert uncovered([MORNING], [FULL_DAY]) == []


@pytest.mark.parametrize(
    ("child", "key_person", "buddy", "expected"),
    [
        ([FULL_DAY], [FULL_DAY], None, Cover.KEY_PERSON),
        ([MORNING], [MORNING, AFTERNOON], [], Cover.KEY_PERSON),
        ([FULL_DAY], [], [FULL_DAY], Cover.BUDDY),  # key person away, buddy in
        ([FULL_DAY], [MORNING], [AFTERNOON], Cover.BUDDY),  # buddy covers the afternoon the key person misses
        ([FULL_DAY], [MORNING], [MORNING], Cover.NOT_COVERED),  # nobody named for the afternoon
        ([FULL_DAY], [], [], Cover.NOT_COVERED),  # both away
        ([FULL_DAY], [], None, Cover.NOT_COVERED),  # away, no buddy
        ([MORNING], None, [MORNING], Cover.NO_KEY_PERSON),
    ],
)
def test_cover_for_a_child_in_hand_worked_cases(child, key_person, buddy, expected):
    status = cover_status(child, key_person, buddy)
    assert status == expected
    assert status.flagged == (expected in (Cover.NOT_COVERED, Cover.NO_KEY_PERSON))
