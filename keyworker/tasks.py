from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services


@shared_task(bind=True, max_retries=8)
def tell_family_about_key_person(self, notice_id: int) -> bool:
    try:
        return services.deliver_key_person_notice(notice_id=notice_id)
    except OSError as exc:  # the mail server is down or refused us
        if self.request.is_eager:
            raise  # in-process: don't hold the manager's request retrying; the sweep sends it
        countdown = get_exponential_backoff_interval(30, self.request.retries, 1800, full_jitter=True)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def send_unsent_key_person_notices() -> int:
    """Sweep: e-mail families about key person changes whose first attempt never went."""
    ids = services.unsent_notice_ids()
    for notice_id in ids:
        tell_family_about_key_person.delay(notice_id)
    return len(ids)
