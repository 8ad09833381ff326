from celery import shared_task

from config.images import missing_thumbnail_ids

from . import services
from .models import StaffMember


@shared_task
def make_staff_photo_thumbnail(member_id: int) -> bool:
    return services.make_staff_photo_thumbnail(member_id=member_id)


@shared_task
def make_missing_staff_thumbnails() -> int:
    """Sweep: thumbnails whose task never reached the broker or failed."""
    ids = missing_thumbnail_ids(StaffMember, source="photo", thumbnail="photo_thumbnail")
    for member_id in ids:
        make_staff_photo_thumbnail.delay(member_id)
    return len(ids)
