"""The outbox's sweep as beat runs it: a while after the e-mails were queued, or once a failure's wait is over."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from core.outbox import FIRST_RETRY_WAIT
from core.tasks import send_due_mail


def sweep_outbox(*, after: timedelta = FIRST_RETRY_WAIT) -> int:
    """Run ``core.tasks.send_due_mail`` as if ``after`` had passed; returns how many e-mails it picked up."""
    with time_machine.travel(timezone.now() + after, tick=False):
        return send_due_mail.apply().result
