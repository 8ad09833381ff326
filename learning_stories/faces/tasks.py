"""Thin tasks over learning_stories.faces.services: they take ids and are idempotent."""

from celery import shared_task

from . import services


@shared_task
def refresh_photo_variants(photo_id: int) -> int:
    """Remake the blurred copies one photo's families need; delete the others."""
    return services.refresh_variants(photo_id=photo_id)


@shared_task
def refresh_child_photos(child_id: int) -> int:
    """A child's consent to appear in others' stories changed: remake the copies of their photos."""
    return services.refresh_child_variants(child_id=child_id)
