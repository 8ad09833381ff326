"""Background work for transitions: thin, idempotent wrappers over services that take ids."""

from celery import shared_task

from config.queue import retry_mail_later

from . import services


@shared_task(bind=True, max_retries=8)
def send_school_link_email(self, link_id: int) -> bool:
    try:
        return services.deliver_school_link(link_id=link_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def send_unsent_school_links() -> int:
    """Sweep: school links whose e-mail never reached the broker or the mail server."""
    ids = services.unsent_school_link_ids()
    for link_id in ids:
        send_school_link_email.delay(link_id)
    return len(ids)


@shared_task
def discard_stale_pack_uploads() -> int:
    """Sweep: pack uploads checked a day ago but never imported or cancelled."""
    return services.discard_stale_uploads()
