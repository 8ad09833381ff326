from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services


@shared_task(bind=True, max_retries=8)
def send_invitation_email(self, invitation_id: int) -> bool:
    try:
        return services.deliver_invitation(invitation_id=invitation_id)
    except OSError as exc:  # the mail server is down or refused us
        if self.request.is_eager:
            # In-process (no worker): don't hold the web request retrying; the sweep resends.
            raise
        countdown = get_exponential_backoff_interval(30, self.request.retries, 1800, full_jitter=True)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def send_unsent_invitations() -> int:
    """Sweep: re-send invitations whose first attempt never reached the broker or mail server."""
    ids = services.unsent_invitation_ids()
    for invitation_id in ids:
        send_invitation_email.delay(invitation_id)
    return len(ids)
