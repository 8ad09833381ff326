from celery import shared_task

from core.queue import retry_mail_later

from . import services


@shared_task(bind=True, max_retries=8)
def send_invitation_email(self, invitation_id: int) -> bool:
    try:
        return services.deliver_invitation(invitation_id=invitation_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def send_unsent_invitations() -> int:
    """Sweep: re-send invitations whose first attempt never reached the broker or mail server."""
    ids = services.unsent_invitation_ids()
    for invitation_id in ids:
        send_invitation_email.delay(invitation_id)
    return len(ids)
