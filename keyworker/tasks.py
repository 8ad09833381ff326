"""Background work of the key person system, as thin wrappers over services: publishing feedback, and
the sweeps for feedback and support plan reviews. E-mails go through the outbox (``core.outbox``)."""

from celery import shared_task

from . import support_reviews
from .feedback import services as feedback


@shared_task
def publish_feedback(feedback_id: int) -> bool:
    """Show one feedback in the parent portal and queue its e-mails; once, however often it runs."""
    return feedback.publish_feedback(feedback_id=feedback_id)


@shared_task
def sweep_session_feedback() -> int:
    """Sweep: feedback for sessions that ended without any, and feedback the broker never published."""
    feedback.create_missing_feedback()
    ids = feedback.unpublished_feedback_ids()
    for feedback_id in ids:
        publish_feedback.delay(feedback_id)
    return len(ids)


@shared_task
def sweep_support_reviews() -> int:
    """Daily: remind key persons of support plan reviews due within a week (once per due date)."""
    return support_reviews.remind_support_reviews()
