"""Background work for the learning story: thin wrappers over services (the e-mails go through the outbox)."""

from celery import shared_task

from core.queue import retry_later

from . import notices
from .clips import services as clip_services


@shared_task
def send_daily_digests() -> int:
    """At 18:00: queue one e-mail per family member with what is new in their children's stories since
    their last digest. Running it again the same day queues nothing more."""
    return notices.queue_daily_digests()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def prepare_clip(self, clip_id: int) -> bool:
    """Transcode one video or sound clip and publish it (learning_stories.clips.services); idempotent. A
    worker killed part way leaves the message for another (acks_late, reject_on_worker_lost: requeued, not
    acknowledged as failed); storage trouble is retried."""
    try:
        return clip_services.prepare_clip(clip_id=clip_id)
    except OSError as exc:
        retry_later(self, exc)


@shared_task
def prepare_waiting_clips() -> int:
    """Sweep: clips whose preparation never reached the broker, or was cut short."""
    waiting = clip_services.clips_waiting()
    for clip_id in waiting:
        prepare_clip.delay(clip_id)
    return len(waiting)


from .faces.tasks import refresh_child_photos, refresh_photo_variants  # noqa: E402, F401  (autodiscovered here)
