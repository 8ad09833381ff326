"""The demo's register and next steps match who is on roll: nobody is signed in before their first day or after
their last, and a child's open next steps are each worded once."""

from collections import Counter
from datetime import date, time

import pytest
import time_machine
from django.db.models import F, Q

from children.day.models import Attendance, CareEntry
from children.day.selectors import moment
from children.models import Child
from demo.data import load_demo
from learning_stories.models import NextStep

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)  # Nell Harper, who starts next week, is booked on Mondays


def off_roll(model) -> list:
    return list(model.objects.filter(Q(day__lt=F("child__start_date")) | Q(day__gt=F("child__leave_date"))))


def test_the_demo_signs_nobody_in_before_their_first_day_or_after_their_last():
    with time_machine.travel(moment(MONDAY, time(14))):
        load_demo(MONDAY)

    nell = Child.objects.get(first_name="Nell", last_name="Harper")
    assert nell.start_date > MONDAY
    assert nell.bookings.filter(weekday=MONDAY.weekday()).exists()
    assert not nell.attendances.exists()
    assert Attendance.objects.filter(day=MONDAY).exists()  # the others booked today are in
    assert off_roll(Attendance) == []
    assert off_roll(CareEntry) == []


def test_loading_the_demo_again_removes_a_starter_signed_in_by_an_older_demo():
    with time_machine.travel(moment(MONDAY, time(14))):
        load_demo(MONDAY)
        nell = Child.objects.get(first_name="Nell", last_name="Harper")
        Attendance.objects.create(child=nell, day=MONDAY, signed_in_at=moment(MONDAY, time(8)))
        CareEntry.objects.create(child=nell, day=MONDAY, at=moment(MONDAY, time(12)), kind=CareEntry.Kind.MEAL)

        load_demo(MONDAY)

    assert not nell.attendances.exists()
    assert not nell.care_entries.exists()


def test_the_demo_words_each_childs_open_next_steps_differently():
    load_demo()

    open_steps = Counter(NextStep.objects.filter(status=NextStep.Status.OPEN).values_list("child_id", "text"))
    assert open_steps
    assert [step for step, count in open_steps.items() if count > 1] == []
