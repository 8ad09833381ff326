"""Background work for the learning story: thin, idempotent wrappers over services that take ids."""

import logging

from celery import shared_task

from core.queue import retry_mail_later

from . import notices
from .models import NotificationPreference
from .progress_check import services as progress_check_services

logger = logging.getLogger(__name__)


@shared_task
def send_entry_notices(recipient_id: int) -> int:
    """E-mail one family member who asked to hear straight away about each new entry."""
    return notices.send_notices(recipient_id=recipient_id, frequency=NotificationPreference.Frequency.IMMEDIATE)


@shared_task
def send_unsent_entry_notices() -> int:
    """Sweep: immediate notices left behind when the broker or mail server was down."""
    ids = notices.recipients_waiting(NotificationPreference.Frequency.IMMEDIATE)
    for recipient_id in ids:
        send_entry_notices.delay(recipient_id)
    return len(ids)


@shared_task
def send_daily_digests() -> int:
    """Once a day: one e-mail per family member with everything new in their children's stories."""
    sent = 0
    for recipient_id in notices.recipients_waiting(NotificationPreference.Frequency.DAILY):
        try:
            sent += notices.send_notices(recipient_id=recipient_id, frequency=NotificationPreference.Frequency.DAILY)
        except OSError:  # the mail server refused: this person's notices stay unsent for the next run
            logger.warning("Daily digest for user %s not sent; left for the next run", recipient_id)
    return sent


@shared_task(bind=True, max_retries=8)
def send_progress_check_notice(self, notice_id: int) -> bool:
    """E-mail one parent that their child's progress check at two is ready to read."""
    try:
        return progress_check_services.deliver_progress_check_notice(notice_id=notice_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def send_unsent_progress_check_notices() -> int:
    """Sweep: progress check e-mails left behind when the broker or mail server was down."""
    ids = progress_check_services.unsent_progress_check_notice_ids()
    for notice_id in ids:
        send_progress_check_notice.delay(notice_id)
    return len(ids)
