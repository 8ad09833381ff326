"""A subject access download: one request, its ZIP built by a job, and what happened to it (the log)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from core.private_media import UnguessableName
from nursery.models import Nursery


def one_month_after(day: date) -> date:
    """The statutory deadline: the same day of the next month, or that month's last day where there is no
    such day (31 January → 28 or 29 February), as the ICO counts a "calendar month"."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class SubjectAccessExport(models.Model):
    """Everything held about a child and/or a person at one nursery, asked for by a parent with parental
    responsibility (their child and themselves) or by a manager answering a request. The row stays after
    the file is deleted: it is the log of who asked, for whom, when, and when it was downloaded."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Link expired"

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="+")
    # Kept when the child or the person is later erased: subject_name says whom the export was about.
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_name = models.CharField(max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    received_on = models.DateField(
        help_text="The day the request reached the nursery: the month to answer runs from it."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to=UnguessableName("subject-access"), blank=True)
    size = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    first_downloaded_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Subject access export {self.pk}: {self.subject_name}"

    @property
    def due_on(self) -> date:
        return one_month_after(self.received_on)

    @property
    def is_expired(self) -> bool:
        """Expired as soon as the date passes, even before the sweep deletes the file."""
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.READY and self.expires_at is not None and self.expires_at <= timezone.now()
        )

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
