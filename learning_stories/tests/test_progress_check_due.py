"""Who is due the progress check at two on a given day: the edges of the statutory window.

The window runs from the second birthday to the day before the third (24 to 35 whole months, counted by
``children.models.months_between``); overdue from 33 months. Every test fixes "today" through ``on=``.
"""

from datetime import date

import pytest

from children.models import Child
from children.tests.factories import ChildFactory
from learning_stories.models import ProgressCheck
from learning_stories.progress_check.selectors import missed_progress_checks, months_after, progress_checks_due

from .factories import ProgressCheckFactory

pytestmark = pytest.mark.django_db


def due_on(day: date, nursery) -> dict[str, tuple[int, bool]]:
    """First name -> (months, overdue) for the children of the nursery due on ``day``."""
    rows = progress_checks_due(Child.objects.filter(nursery=nursery), on=day)
    return {row.child.first_name: (row.months, row.overdue) for row in rows}


def born(nursery, first_name: str, on: date, **extra) -> Child:
    return ChildFactory(
        nursery=nursery, first_name=first_name, date_of_birth=on, **{"start_date": date(2024, 9, 1), **extra}
    )


def test_a_child_exactly_two_today_is_due_and_the_day_before_is_not(nursery):
    born(nursery, "Ava", date(2024, 5, 10))
    assert due_on(date(2026, 5, 9), nursery) == {}
    assert due_on(date(2026, 5, 10), nursery) == {"Ava": (24, False)}


def test_a_child_on_their_third_birthday_is_no_longer_due_because_the_window_has_closed(nursery):
    born(nursery, "Ava", date(2023, 5, 10))
    assert due_on(date(2026, 5, 9), nursery) == {"Ava": (35, True)}  # the last day: overdue
    assert due_on(date(2026, 5, 10), nursery) == {}


def test_a_check_is_overdue_from_33_months(nursery):
    born(nursery, "Ava", date(2023, 8, 10))
    assert due_on(date(2026, 5, 9), nursery) == {"Ava": (32, False)}
    assert due_on(date(2026, 5, 10), nursery) == {"Ava": (33, True)}


def test_a_child_born_on_29_february_turns_two_on_28_february_in_a_year_without_one(nursery):
    born(nursery, "Leap", date(2024, 2, 29))
    assert due_on(date(2026, 2, 27), nursery) == {}
    assert due_on(date(2026, 2, 28), nursery) == {"Leap": (24, False)}
    assert due_on(date(2026, 3, 1), nursery) == {"Leap": (24, False)}
    assert due_on(date(2026, 3, 29), nursery) == {"Leap": (25, False)}


def test_a_child_born_on_29_february_leaves_the_window_on_28_february_at_three(nursery):
    leap = born(nursery, "Leap", date(2024, 2, 29))
    assert due_on(date(2027, 2, 27), nursery) == {"Leap": (35, True)}
    assert due_on(date(2027, 2, 28), nursery) == {}
    assert months_after(leap.date_of_birth, 36) == date(2027, 2, 28)


def test_in_a_leap_year_a_child_born_on_28_february_turns_two_on_the_28th_not_the_29th(nursery):
    born(nursery, "Feb", date(2026, 2, 28))
    assert due_on(date(2028, 2, 27), nursery) == {}
    assert due_on(date(2028, 2, 28), nursery) == {"Feb": (24, False)}
    assert due_on(date(2028, 2, 29), nursery) == {"Feb": (24, False)}


def test_in_a_leap_year_a_child_born_on_31_january_turns_two_and_a_month_on_29_february(nursery):
    born(nursery, "Jan", date(2026, 1, 31))
    assert due_on(date(2028, 2, 28), nursery) == {"Jan": (24, False)}
    assert due_on(date(2028, 2, 29), nursery) == {"Jan": (25, False)}


def test_the_window_closes_on_the_third_birthday_or_the_last_day_of_a_shorter_month():
    assert months_after(date(2024, 5, 10), 36) == date(2027, 5, 10)
    assert months_after(date(2023, 3, 31), 36) == date(2026, 3, 31)
    assert months_after(date(2023, 5, 31), 37) == date(2026, 6, 30)


def test_a_check_shared_or_completed_takes_the_child_off_the_list_but_a_draft_does_not(nursery):
    shared = born(nursery, "Shared", date(2024, 1, 10))
    done = born(nursery, "Done", date(2024, 1, 10))
    drafting = born(nursery, "Drafting", date(2024, 1, 10))
    ProgressCheckFactory(child=shared, status=ProgressCheck.Status.SHARED)
    ProgressCheckFactory(child=done, status=ProgressCheck.Status.COMPLETED)
    draft = ProgressCheckFactory(child=drafting)
    [row] = progress_checks_due(Child.objects.filter(nursery=nursery), on=date(2026, 5, 10))
    assert row.child == drafting
    assert row.check == draft


def test_only_children_on_roll_that_day_are_listed(nursery):
    born(nursery, "Left", date(2024, 1, 10), leave_date=date(2026, 5, 9))
    born(nursery, "Starting", date(2024, 1, 10), start_date=date(2026, 6, 1))
    born(nursery, "Leaving", date(2024, 1, 10), leave_date=date(2026, 5, 10))  # the last day counts
    assert due_on(date(2026, 5, 10), nursery) == {"Leaving": (28, False)}


def test_overdue_children_come_first_oldest_first(nursery):
    born(nursery, "Young", date(2024, 4, 1))
    born(nursery, "Old", date(2023, 7, 1))
    born(nursery, "Middle", date(2023, 12, 1))
    rows = progress_checks_due(Child.objects.filter(nursery=nursery), on=date(2026, 5, 10))
    assert [row.child.first_name for row in rows] == ["Old", "Middle", "Young"]
    assert [row.overdue for row in rows] == [True, False, False]


def test_the_due_list_takes_two_queries_whatever_the_number_of_children(nursery, django_assert_num_queries):
    for n in range(6):
        ProgressCheckFactory(child=born(nursery, f"C{n}", date(2024, 1, n + 1)))
    with django_assert_num_queries(2):
        assert len(progress_checks_due(Child.objects.filter(nursery=nursery), on=date(2026, 5, 10))) == 6


def test_a_child_who_turned_three_here_without_a_check_is_listed_as_missed(nursery):
    born(nursery, "Ava", date(2023, 5, 10))  # here since 2024, three on 10 May 2026
    born(nursery, "Leo", date(2022, 1, 10), start_date=date(2025, 9, 1))  # joined at three: checked elsewhere
    shared = born(nursery, "Zara", date(2023, 1, 10))
    ProgressCheckFactory(child=shared, status=ProgressCheck.Status.SHARED)

    def missed(day: date) -> list[str]:
        return [child.first_name for child in missed_progress_checks(Child.objects.filter(nursery=nursery), on=day)]

    assert missed(date(2026, 5, 9)) == []  # still in the window: on the due list instead
    assert missed(date(2026, 5, 10)) == ["Ava"]
