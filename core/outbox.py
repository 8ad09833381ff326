"""The outbox: queue an e-mail once, send it once, retry it until it goes (pretix's ``OutgoingMail``).

Services call ``queue_mail`` inside their own transaction, with a key that names the notice. The row is
saved with the rest of the change, so a broker fault never loses it; the send is enqueued after commit,
and ``send_due_mail`` (the sweep) picks up whatever the broker or the mail server held up.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .mail import fixed_headers, language_of, message_of
from .models import OutgoingMail
from .queue import Dispatch, enqueue

logger = logging.getLogger(__name__)

# The first retry waits this long, then twice as long each time, up to MAX_RETRY_WAIT.
FIRST_RETRY_WAIT = timedelta(minutes=1)
MAX_RETRY_WAIT = timedelta(hours=1)


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """A subject and body from the template pair ``<template>_subject.txt`` (one line) and ``<template>.txt``."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return subject, render_to_string(f"{template}.txt", context)


def queue_mail(
    *,
    key: str,
    kind: str,
    to: AbstractBaseUser | str,
    template: str,
    context: dict[str, Any],
    nursery_id: int | None = None,
    unsubscribe_url: str = "",
) -> Dispatch:
    """Render the e-mail and keep it in the outbox under ``key``; send it once the transaction commits.

    ``nursery_id`` names the sender ("Sunbeams Nursery"). A notice a family may turn off
    passes ``unsubscribe_url`` (``core.mail_unsubscribe``): it goes into the List-Unsubscribe headers and
    the template's context. A key already queued keeps its first row and sends nothing more: the returned
    dispatch then stays unsettled (``queued`` None), as nothing new was enqueued.
    """
    if OutgoingMail.objects.filter(key=key).exists():
        return Dispatch()
    recipient = None if isinstance(to, str) else to
    with translation.override(language_of(recipient)):
        subject, body = render_mail(template, {**context, "unsubscribe_url": unsubscribe_url})
    with transaction.atomic():
        mail, created = OutgoingMail.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "nursery_id": nursery_id,
                "recipient": recipient,
                "to": to if recipient is None else recipient.email,
                "subject": subject[:300],
                "body": body,
                "headers": fixed_headers(unsubscribe_url=unsubscribe_url),
            },
        )
    if not created:
        return Dispatch()
    from .tasks import send_outgoing_mail

    return enqueue(send_outgoing_mail, mail.pk)


UNSENT = (OutgoingMail.Status.PENDING, OutgoingMail.Status.FAILED)


def cancel_mail(*, keys: Iterable[str]) -> int:
    """Stop e-mails that have not gone yet, failed ones included, so that no "Try again" sends them (an
    invitation revoked, a school's link whose consent was withdrawn). Returns how many were stopped."""
    return OutgoingMail.objects.filter(key__in=list(keys), status__in=UNSENT).update(
        status=OutgoingMail.Status.CANCELLED, body=""
    )


def mail_status(*, key: str) -> OutgoingMail | None:
    return OutgoingMail.objects.filter(key=key).first()


def mail_statuses(keys: Iterable[str] = (), *, prefix: str = "") -> dict[str, str]:
    """The state (``OutgoingMail.Status``) of each queued e-mail by key, for the given keys or every key
    starting with ``prefix``, in one query; keys never queued are absent."""
    found = (
        OutgoingMail.objects.filter(key__startswith=prefix)
        if prefix
        else OutgoingMail.objects.filter(key__in=list(keys))
    )
    return dict(found.values_list("key", "status"))


def retry_wait(attempts: int) -> timedelta:
    return min(FIRST_RETRY_WAIT * 2 ** max(attempts - 1, 0), MAX_RETRY_WAIT)


def send_mail_now(*, mail_id: int) -> bool:
    """Send one queued e-mail unless it already went. True if it went now.

    The row stays locked while the mail server is talked to, so a racing worker or the sweep waits and
    then finds it sent. A mail server fault is recorded on the row, not raised: the sweep tries again.
    """
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id, status=OutgoingMail.Status.PENDING).first()
        if mail is None:
            return False
        now = timezone.now()
        mail.attempts += 1
        mail.last_attempt_at = now
        try:
            message_of(mail).send()
        except Exception as exc:  # the mail server is down or refused us (smtplib's OSErrors), or worse
            logger.warning("E-mail %s (%s) not sent, attempt %s: %s", mail.pk, mail.kind, mail.attempts, exc)
            mail.last_error = f"{type(exc).__name__}: {exc}"[:300]
            mail.retry_after = now + retry_wait(mail.attempts)
            if mail.attempts >= OutgoingMail.MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
        else:
            mail.status, mail.sent_at, mail.last_error, mail.retry_after = OutgoingMail.Status.SENT, now, "", None
            mail.body = ""  # sent: a set-password or download link in it must not stay readable here
        mail.save()
    return mail.status == OutgoingMail.Status.SENT


def due_mail_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending e-mails the sweep should send: never tried (the broker was down) a minute after they were
    queued, or failed and past their wait."""
    now = now or timezone.now()
    waiting = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
    never_tried = waiting.filter(attempts=0, created_at__lte=now - FIRST_RETRY_WAIT)
    failed = waiting.filter(attempts__gt=0, retry_after__lte=now)
    return list((never_tried | failed).order_by("created_at").values_list("pk", flat=True)[:limit])


def undelivered_mail(nursery_ids: QuerySet | list[int]) -> QuerySet[OutgoingMail]:
    """E-mails of these nurseries that failed at least once and have not gone, most recent attempt first."""
    return (
        OutgoingMail.objects.filter(
            nursery_id__in=nursery_ids,
            status__in=UNSENT,
            attempts__gt=0,
        )
        .select_related("recipient")
        .order_by("-last_attempt_at")
    )


def try_again(*, mail: OutgoingMail) -> Dispatch:
    """A manager asks to send a stalled e-mail again now (after fixing the address or the mail server)."""
    OutgoingMail.objects.filter(pk=mail.pk, status__in=UNSENT).update(
        status=OutgoingMail.Status.PENDING,
        retry_after=timezone.now(),  # due for the sweep if the broker is down
    )
    from .tasks import send_outgoing_mail

    return enqueue(send_outgoing_mail, mail.pk)
