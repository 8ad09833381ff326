"""A real Celery worker on Redis: one feedback per child and session, one e-mail per family member,
whatever retries, duplicate deliveries and racing sweeps happen."""

import threading
import time as clock
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from children.day.selectors import moment
from children.tests.factories import ChildFactory, GuardianshipFactory
from core.models import OutgoingMail
from core.tasks import send_due_mail
from keyworker.feedback import services
from keyworker.models import SessionFeedback
from keyworker.tasks import publish_feedback, sweep_session_feedback
from keyworker.tests.day import attended, lunch
from keyworker.tests.flaky_mail import FlakyBackend
from nursery.tests.factories import NurserySessionFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = clock.monotonic() + seconds
    while clock.monotonic() < deadline:
        if condition():
            return True
        clock.sleep(0.2)
    return False


def sweep_in_thread() -> None:
    """A sweep from cron (run_sweeps) racing the worker's beat sweeps."""
    try:
        sweep_session_feedback.apply()
    finally:
        connections.close_all()


@pytest.fixture
def yesterdays_morning(nursery, room, child, parent):
    """Ava and Zara came yesterday morning and nobody sent feedback; three family members want e-mail."""
    yesterday = timezone.localdate() - timedelta(days=1)
    morning = NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8), ends_at=time(13))
    zara = ChildFactory(nursery=nursery, room=room, first_name="Zara")
    by_email = [parent, GuardianshipFactory(child=child).user, GuardianshipFactory(child=zara).user]
    GuardianshipFactory(child=zara)  # reads it in the portal only
    for user in by_email:
        user.guardianships.update(feedback_by_email=True)
    for who in (child, zara):
        attended(who, morning, yesterday, start=moment(yesterday, time(8)), end=moment(yesterday, time(12, 30)))
        lunch(who, moment(yesterday, time(11, 45)))
    return by_email


def test_racing_sweeps_duplicate_deliveries_and_a_retry_give_one_feedback_and_one_email_each(
    celery_worker, settings, monkeypatch, yesterdays_morning
):
    settings.EMAIL_BACKEND = "keyworker.tests.flaky_mail.FlakyBackend"
    monkeypatch.setattr(FlakyBackend, "failures_left", 1)  # the mail server drops the first message
    monkeypatch.setattr("core.outbox.FIRST_RETRY_WAIT", timedelta(0))  # the failed e-mail is due again at once

    sweep_session_feedback.delay()  # the beat sweep, on the worker
    racers = [threading.Thread(target=sweep_in_thread) for _ in range(2)]
    for racer in racers:
        racer.start()
    sweep_session_feedback.delay()
    for racer in racers:
        racer.join()
    for feedback_id in SessionFeedback.objects.values_list("pk", flat=True):
        publish_feedback.delay(feedback_id)  # delivered again, as when a message is redelivered

    expected = sorted(user.email for user in yesterdays_morning)
    assert wait_for(lambda: OutgoingMail.objects.filter(attempts__gt=0).count() == len(expected))
    for _ in range(2):  # the outbox's sweep retries the dropped message, and a racing one finds it sent
        send_due_mail.delay()
    assert wait_for(lambda: OutgoingMail.objects.filter(sent_at__isnull=False).count() == len(expected))
    clock.sleep(2)  # time for any duplicate still queued to run

    assert SessionFeedback.objects.count() == 2
    assert set(SessionFeedback.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(address for message in mail.outbox for address in message.to) == expected
    assert sorted(OutgoingMail.objects.values_list("attempts", flat=True)) == [1, 1, 2]
    assert services.unpublished_feedback_ids() == []
