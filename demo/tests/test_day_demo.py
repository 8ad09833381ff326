"""The demo's day: sessions, the care log, an accident to read and yesterday's feedback, loaded idempotently."""

import pytest
from django.utils import timezone

from accounts.models import User
from children.day.models import Attendance, CareEntry, Incident
from children.day.selectors import incidents_awaiting_acknowledgement
from demo.data import load_demo
from keyworker.feedback.selectors import feedback_for_guardian
from keyworker.models import SessionFeedback
from nursery.models import NurserySession

pytestmark = pytest.mark.django_db


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
    assert not CareEntry.objects.filter(at__gt=now).exists()
    assert not Incident.objects.filter(happened_at__gt=now).exists()
