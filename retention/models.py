"""What a nursery chose to keep longer, the children on legal hold, and the log of what the sweep removed.

The schedule itself (kinds, legal minimums, sources) is code, in ``retention.schedule``; a nursery's
row here only lengthens a period. The log holds counts, never content: what was removed is gone.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from nursery.models import Nursery, StaffMember


class RetentionPeriod(models.Model):
    """A nursery's own period for one kind of record, never below the legal minimum (checked by the service)."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="retention_periods")
    kind = models.CharField(max_length=30)
    months = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nursery", "kind"], name="one_period_per_kind_per_nursery")]

    def __str__(self) -> str:
        return f"{self.nursery}: {self.kind} {self.months} months"


class LegalHold(models.Model):
    """While a hold is in place, nothing about the child is removed: a claim, an investigation, a request."""

    nursery = models.ForeignKey(Nursery, on_delete=models.CASCADE, related_name="legal_holds")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(released_at__isnull=True), name="one_open_hold_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"Hold on {self.child} since {self.placed_at:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class RemovalRun(models.Model):
    """One run of the sweep for one nursery, or one erasure of a family member's account: counts only."""

    class Reason(models.TextChoices):
        SCHEDULE = "schedule", "Retention schedule"
        ERASURE = "erasure", "Erasure on request"

    # Null for e-mails queued for no nursery (group-wide), swept with the default schedule.
    nursery = models.ForeignKey(Nursery, null=True, on_delete=models.CASCADE, related_name="removal_runs")
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.SCHEDULE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # True when a kind had more due than one night's batches allow: the rest goes the next night.
    more_due = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_at:%d %b %Y %H:%M}"


class RemovalCount(models.Model):
    """How many records of one kind a run removed or anonymised: a number and a kind, never what they said."""

    run = models.ForeignKey(RemovalRun, on_delete=models.CASCADE, related_name="counts")
    kind = models.CharField(max_length=30)
    action = models.CharField(max_length=12)  # "removed" or "anonymised"
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["run", "kind", "action"], name="one_count_per_kind_per_run")]

    def __str__(self) -> str:
        return f"{self.count} {self.kind} {self.action}"


class AnonymisedPost(models.Model):
    """A staff post whose personal details the sweep has cleared; the post stays for key person history."""

    post = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="anonymised")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Post {self.post_id} anonymised {self.at:%d %b %Y}"
