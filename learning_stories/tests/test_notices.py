"""Families hear of new entries straight away, in a daily digest, or not at all; never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learning_stories import notices, tasks
from learning_stories.models import EntryNotice, NotificationPreference, Observation
from learning_stories.observations import services

from .factories import ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(nursery, practitioner, child, parent):
    return ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], status=Observation.Status.AWAITING_REVIEW
    )


def publish(entry, manager, capture):
    with capture(execute=True):
        services.publish(observation=entry, by=manager)


def test_a_parent_who_chose_straight_away_gets_one_email_per_entry(
    login, parent, manager, waiting, django_capture_on_commit_callbacks
):
    login(parent).post(reverse("stories:notifications"), {"frequency": "immediate"})
    publish(waiting, manager, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [parent.email]
    assert reverse("stories:observation", args=[waiting.pk]) in mail.outbox[0].body
    tasks.send_entry_notices(parent.pk)  # a retried task
    tasks.send_unsent_entry_notices()  # and the sweep
    assert len(mail.outbox) == 1


def test_the_daily_digest_sends_everything_new_once(
    parent, manager, nursery, child, django_capture_on_commit_callbacks
):
    for _ in range(2):
        entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
        publish(entry, manager, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # daily is the default
    assert tasks.send_daily_digests() == 2
    assert len(mail.outbox) == 1
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 1
    # A new entry the same evening waits for tomorrow's digest, however often the job runs.
    entry = ObservationFactory(nursery=nursery, children=[child], status=Observation.Status.AWAITING_REVIEW)
    publish(entry, manager, django_capture_on_commit_callbacks)
    assert tasks.send_daily_digests() == 0
    NotificationPreference.objects.filter(user=parent).update(last_digest_at=timezone.now() - timedelta(days=1))
    assert tasks.send_daily_digests() == 1


def test_a_parent_who_turned_emails_off_gets_none(parent, manager, waiting, django_capture_on_commit_callbacks):
    notices.set_notification_frequency(user=parent, frequency=NotificationPreference.Frequency.OFF)
    publish(waiting, manager, django_capture_on_commit_callbacks)
    tasks.send_daily_digests()
    assert mail.outbox == []
    assert not EntryNotice.objects.exists()


def test_staff_only_entries_are_never_announced(parent, manager, nursery, child, django_capture_on_commit_callbacks):
    entry = ObservationFactory(nursery=nursery, children=[child], staff_only=True, status="awaiting_review")
    publish(entry, manager, django_capture_on_commit_callbacks)
    assert not EntryNotice.objects.exists()


def test_a_failed_email_is_left_for_the_next_run(
    parent, manager, waiting, django_capture_on_commit_callbacks, monkeypatch
):
    publish(waiting, manager, django_capture_on_commit_callbacks)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(ConnectionRefusedError):
        notices.send_notices(recipient_id=parent.pk, frequency=NotificationPreference.Frequency.DAILY)
    assert EntryNotice.objects.get().sent_at is None
    monkeypatch.undo()
    assert tasks.send_daily_digests() == 1


def test_the_daily_digest_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "learning_stories.tasks.send_daily_digests",
        "learning_stories.tasks.send_unsent_entry_notices",
        "core.tasks.make_missing_thumbnails",
    } <= tasks_scheduled
