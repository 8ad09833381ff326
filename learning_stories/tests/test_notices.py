"""Families hear of new entries straight away, in a daily digest, or not at all; never twice."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from core.tasks import send_due_mail, send_outgoing_mail
from learning_stories import notices, tasks
from learning_stories.models import EntryNotice, NotificationPreference, Observation
from learning_stories.observations import services

from .factories import ObservationFactory

pytestmark = pytest.mark.django_db

EVENING = timezone.make_aware(timezone.datetime(2026, 12, 8, 18, 0))


@pytest.fixture
def waiting(nursery, practitioner, child, parent):
    return ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], status=Observation.Status.AWAITING_REVIEW
    )


def publish(entry, manager, capture):
    with capture(execute=True):
        services.publish(observation=entry, by=manager)


def digests(capture) -> int:
    """The 18:00 job, with the e-mails it queues sent as a worker would once it commits."""
    with capture(execute=True):
        return tasks.send_daily_digests()


def test_a_parent_who_chose_straight_away_gets_one_email_per_entry(
    login, parent, manager, nursery, waiting, django_capture_on_commit_callbacks
):
    login(parent).post(reverse("stories:notifications"), {"frequency": "immediate"})
    publish(waiting, manager, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [parent.email]
    assert reverse("stories:observation", args=[waiting.pk]) in mail.outbox[0].body
    sent = OutgoingMail.objects.get()
    assert (sent.key, sent.nursery_id) == (f"entry:{waiting.pk}:{parent.pk}", nursery.pk)
    assert send_outgoing_mail(sent.pk) is False  # a retried task
    assert send_due_mail() == 0  # and the sweep
    assert digests(django_capture_on_commit_callbacks) == 0  # and the evening's digest
    assert len(mail.outbox) == 1


def test_the_daily_digest_sends_everything_new_once(
    parent, manager, nursery, child, django_capture_on_commit_callbacks
):
    with time_machine.travel(EVENING - timedelta(hours=8), tick=False):
        for _ in range(2):
            entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
            publish(entry, manager, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # daily is the default
    with time_machine.travel(EVENING, tick=False):
        assert digests(django_capture_on_commit_callbacks) == 2
        assert len(mail.outbox) == 1
        assert OutgoingMail.objects.get().key == f"digest:{parent.pk}:2026-12-08"
        assert digests(django_capture_on_commit_callbacks) == 0
        assert len(mail.outbox) == 1
    # A new entry the same evening waits for tomorrow's digest, however often the job runs.
    with time_machine.travel(EVENING + timedelta(hours=2), tick=False):
        entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
        publish(entry, manager, django_capture_on_commit_callbacks)
        assert digests(django_capture_on_commit_callbacks) == 0
    with time_machine.travel(EVENING + timedelta(days=1), tick=False):
        assert digests(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2


def test_a_parent_who_turned_emails_off_gets_none(parent, manager, waiting, django_capture_on_commit_callbacks):
    notices.set_notification_frequency(user=parent, frequency=NotificationPreference.Frequency.OFF)
    publish(waiting, manager, django_capture_on_commit_callbacks)
    digests(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not EntryNotice.objects.exists()


def test_staff_only_entries_are_never_announced(parent, manager, nursery, child, django_capture_on_commit_callbacks):
    entry = ObservationFactory(nursery=nursery, children=[child], staff_only=True, status="awaiting_review")
    publish(entry, manager, django_capture_on_commit_callbacks)
    assert not EntryNotice.objects.exists()


def test_a_digest_the_mail_server_refused_is_kept_and_sent_once_by_the_sweep(
    parent, manager, waiting, django_capture_on_commit_callbacks, monkeypatch
):
    publish(waiting, manager, django_capture_on_commit_callbacks)

    def refuse(*args, **kwargs):
        raise SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with time_machine.travel(EVENING, tick=False):
        assert digests(django_capture_on_commit_callbacks) == 1
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "mail server down" in row.last_error
    assert EntryNotice.objects.get().mail_key == row.key
    monkeypatch.undo()
    with time_machine.travel(EVENING + timedelta(minutes=5), tick=False):
        assert digests(django_capture_on_commit_callbacks) == 0  # the entry is in the digest already
        assert send_due_mail() == 1
        assert send_due_mail() == 0
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_the_daily_digest_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "learning_stories.tasks.send_daily_digests",
        "core.tasks.send_due_mail",
        "core.tasks.make_missing_thumbnails",
    } <= tasks_scheduled
