"""Background work shared by every app: the outbox and photo thumbnails. Thin wrappers that take ids."""

from celery import shared_task

from . import images, outbox


@shared_task
def send_outgoing_mail(mail_id: int) -> bool:
    """Send one queued e-mail (once; a failure is recorded on the row for the sweep)."""
    return outbox.send_mail_now(mail_id=mail_id)


@shared_task
def send_due_mail() -> int:
    """Sweep: e-mails the broker never carried, and failed ones whose wait is over."""
    ids = outbox.due_mail_ids()
    for mail_id in ids:
        send_outgoing_mail.delay(mail_id)
    return len(ids)


@shared_task
def make_thumbnail(model_label: str, pk: int) -> bool:
    """What is left to make for one photo (a child's, a member of staff's or an observation's): the display
    copy of a story photo stripped in the request, then the thumbnail; idempotent."""
    return images.fill_thumbnail_of(model_label=model_label, pk=pk)


@shared_task
def make_missing_thumbnails() -> int:
    """Sweep: thumbnails and display copies whose task never reached the broker, or failed."""
    missing = images.missing_thumbnails()
    for model_label, pk in missing:
        make_thumbnail.delay(model_label, pk)
    return len(missing)
