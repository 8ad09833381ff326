from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=1800, max_retries=8)
def send_invitation_email(invitation_id: int) -> bool:
    # OSError covers SMTP and socket failures: retried with backoff.
    return services.deliver_invitation(invitation_id=invitation_id)


@shared_task
def send_unsent_invitations() -> int:
    """Sweep: re-send invitations whose first attempt never reached the broker or mail server."""
    ids = services.unsent_invitation_ids()
    for invitation_id in ids:
        send_invitation_email.delay(invitation_id)
    return len(ids)
