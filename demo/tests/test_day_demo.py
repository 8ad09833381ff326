"""The demo's day: sessions, the care log, an accident to read and yesterday's feedback, loaded idempotently."""

from datetime import date, time

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from children.day.models import Attendance, CareEntry, Incident
from children.day.selectors import incidents_awaiting_acknowledgement, moment
from demo.data import load_demo
from keyworker.feedback.selectors import feedback_for_guardian
from keyworker.models import SessionFeedback
from nursery.models import NurserySession

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (NurserySession, Attendance, CareEntry, Incident, SessionFeedback))


def test_the_demo_day_has_sessions_an_accident_to_read_and_yesterdays_feedback_and_loads_idempotently():
    load_demo()
    before = counts()
    load_demo()

    assert counts() == before
    assert set(NurserySession.objects.values_list("name", flat=True)) == {"Morning", "Afternoon", "Full day"}
    sam = User.objects.get(email="sam.taylor@families.example")
    assert incidents_awaiting_acknowledgement(sam).count() == 1
    assert feedback_for_guardian(sam).filter(day__lt=timezone.localdate()).count() == 2
    assert sam.guardianships.filter(feedback_by_email=True).count() == 2


def test_the_demo_day_puts_nothing_in_the_future():
    load_demo()
    now = timezone.now()
    assert not Attendance.objects.filter(signed_in_at__gt=now).exists()
    assert not Attendance.objects.filter(signed_out_at__gt=now).exists()
    assert not CareEntry.objects.filter(at__gt=now).exists()
    assert not Incident.objects.filter(happened_at__gt=now).exists()


def test_the_demo_loaded_again_the_next_morning_signs_yesterdays_children_out_and_todays_in():
    with time_machine.travel(moment(MONDAY, time(10))):
        load_demo(MONDAY)
    with time_machine.travel(moment(TUESDAY, time(10))):
        load_demo(TUESDAY)

    assert Attendance.objects.filter(day=MONDAY).exists()
    assert not Attendance.objects.filter(day=MONDAY, signed_out_at__isnull=True).exists()
    assert not Attendance.objects.filter(day=MONDAY, signed_out_at__gt=moment(MONDAY, time(18))).exists()
    assert Attendance.objects.filter(day=TUESDAY, signed_out_at__isnull=True).exists()


def test_the_demo_loaded_late_in_the_evening_has_sent_every_child_home_when_their_sessions_ended():
    with time_machine.travel(moment(MONDAY, time(23, 30))):
        load_demo(MONDAY)

    stays = Attendance.objects.filter(day=MONDAY)
    assert stays.exists()
    assert not stays.filter(signed_out_at__isnull=True).exists()
    assert sorted({timezone.localtime(stay.signed_out_at).time() for stay in stays}) == [time(13), time(18)]
