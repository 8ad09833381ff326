"""The demo's planning board and meetings: open next steps, a planned week and a booked meeting."""

import pytest
from django.utils import timezone

from demo.data import load_demo
from keyworker.meetings.selectors import free_slots
from keyworker.models import Consultation, ConsultationSlot, PlannedActivity
from keyworker.planning.selectors import monday_of, planning_board
from learning_stories.models import NextStep
from nursery.models import StaffMember

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return (
        NextStep.objects.count(),
        PlannedActivity.objects.count(),
        ConsultationSlot.objects.count(),
        Consultation.objects.count(),
    )


def test_demo_has_open_next_steps_a_planned_week_for_priya_and_a_meeting_for_sam():
    nursery = load_demo()
    priya = StaffMember.objects.get(user__email="priya@rainbow.example")
    assert NextStep.objects.filter(status=NextStep.Status.OPEN, child__room=priya.room).exists()
    board = planning_board(priya.room, monday_of(timezone.localdate()))
    assert [a.title for a in board.activities] == ["Counting and building with blocks"]
    assert board.activities[0].next_steps.exists()
    assert board.open_steps
    assert free_slots(priya).count() == 1
    meeting = Consultation.objects.get(status=Consultation.Status.BOOKED)
    assert meeting.child.first_name == "Ava"
    assert meeting.booked_by.email == "sam.taylor@families.example"
    assert meeting.child.nursery == nursery
    assert free_slots(meeting.key_person).count() == 1  # another time Sam could move to


def test_loading_the_plan_demo_twice_adds_nothing():
    load_demo()
    before = counts()
    load_demo()
    assert counts() == before
