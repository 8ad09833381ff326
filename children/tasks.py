from celery import shared_task

from config.images import missing_thumbnail_ids

from . import services
from .models import Child


@shared_task
def make_child_photo_thumbnail(child_id: int) -> bool:
    return services.make_child_photo_thumbnail(child_id=child_id)


@shared_task
def make_missing_child_thumbnails() -> int:
    """Sweep: thumbnails whose task never reached the broker or failed."""
    ids = missing_thumbnail_ids(Child, source="photo", thumbnail="photo_thumbnail")
    for child_id in ids:
        make_child_photo_thumbnail.delay(child_id)
    return len(ids)
