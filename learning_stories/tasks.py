"""Background work for the learning story: thin wrappers over services (the e-mails go through the outbox)."""

from celery import shared_task

from . import notices


@shared_task
def send_daily_digests() -> int:
    """At 18:00: queue one e-mail per family member with what is new in their children's stories since
    their last digest. Running it again the same day queues nothing more."""
    return notices.queue_daily_digests()


from .faces.tasks import refresh_child_photos, refresh_photo_variants  # noqa: E402, F401  (autodiscovered here)
