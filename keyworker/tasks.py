from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from core.queue import enqueue, retry_mail_later

from . import services


@shared_task(bind=True, max_retries=8)
def tell_family_about_key_person(self, notice_id: int) -> bool:
    try:
        return services.deliver_key_person_notice(notice_id=notice_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def send_unsent_key_person_notices() -> int:
    """Sweep: e-mail families about key person changes whose first attempt never went."""
    ids = services.unsent_notice_ids()
    for notice_id in ids:
        tell_family_about_key_person.delay(notice_id)
    return len(ids)


# Seconds before the first retry of a failed e-mail; doubles each time (with jitter), up to an hour.
RETRY_BASE_SECONDS = 60


class FeedbackEmailFailed(Exception):
    pass


@shared_task(bind=True, max_retries=services.MAX_EMAIL_ATTEMPTS - 1)
def deliver_feedback(self, feedback_id: int) -> bool:
    """Publish one feedback to the parent portal and e-mail the family members who opted in."""
    errors = services.deliver_feedback(feedback_id=feedback_id)
    if errors and not self.request.is_eager:
        # In-process (no worker) the web request must not wait: the sweep tries again later.
        countdown = get_exponential_backoff_interval(RETRY_BASE_SECONDS, self.request.retries, 3600, full_jitter=True)
        raise self.retry(exc=FeedbackEmailFailed("; ".join(errors)), countdown=countdown)
    return not errors


@shared_task
def sweep_session_feedback() -> int:
    """Sweep: feedback for sessions that ended without any, and feedback whose delivery did not finish."""
    services.create_missing_feedback()
    ids = services.feedback_to_deliver()
    for feedback_id in ids:
        deliver_feedback.delay(feedback_id)
    return len(ids)


@shared_task(bind=True, max_retries=8)
def send_consultation_notice(self, notice_id: int) -> bool:
    try:
        return services.deliver_consultation_notice(notice_id=notice_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task(bind=True, max_retries=8)
def remind_support_review(self, plan_id: int) -> bool:
    try:
        return services.remind_support_review(plan_id=plan_id)
    except OSError as exc:
        retry_mail_later(self, exc)


@shared_task
def send_unsent_consultation_notices() -> int:
    """Sweep: meeting notices whose e-mail never went (broker or mail server down)."""
    ids = services.unsent_consultation_notice_ids()
    for notice_id in ids:
        send_consultation_notice.delay(notice_id)
    return len(ids)


@shared_task
def sweep_support_reviews() -> int:
    """Daily: remind key persons of support plan reviews due within a week (once per due date)."""
    ids = services.support_reviews_to_remind()
    for plan_id in ids:
        enqueue(remind_support_review, plan_id)  # broker down: nothing recorded, tomorrow's sweep sends
    return len(ids)
