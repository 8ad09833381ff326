"""Background work for messages: the families' daily digest (a thin wrapper; e-mails go through the outbox)."""

from celery import shared_task

from . import notices


@shared_task
def send_daily_digests() -> int:
    """At 18:00: one e-mail per family member with the messages and announcements they have not read today.
    Running it again the same day queues nothing more."""
    return notices.queue_daily_digests()
