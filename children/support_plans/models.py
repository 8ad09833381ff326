"""A personalised (SEN support) plan: what was assessed, its targets, reviews, and the family's contributions."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child


class SupportPlan(models.Model):
    """A personalised plan for a child who needs extra help (SEN support): assess, plan, do, review.

    The plan holds what was assessed; its targets, reviews and the family's contributions hang off it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="support_plans")
    title = models.CharField(max_length=120, help_text="e.g. Speech and language support")
    # Assess: what the nursery and the family know about the child's needs.
    needs = models.TextField("what we know about the child's needs", max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_on = models.DateField(default=timezone.localdate)
    next_review_on = models.DateField("next review", help_text="When the plan is next reviewed with the family.")
    closed_on = models.DateField(null=True, blank=True)
    # The review date the key person was last reminded of: one reminder per due date.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} for {self.child}"

    @property
    def review_overdue(self) -> bool:
        return self.status == self.Status.ACTIVE and self.next_review_on < timezone.localdate()


class SupportTarget(models.Model):
    """Plan: one small, measurable step for the child, how everyone helps, and whether it is met."""

    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "No longer needed"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="targets")
    what = models.TextField(
        "target", max_length=2000, help_text="What we hope the child will do, e.g. Ask for help using two words."
    )
    strategies = models.TextField(
        "how we will help", max_length=2000, help_text="The activities and approaches everyone uses."
    )
    setting_does = models.TextField("what the nursery does", max_length=2000, blank=True)
    family_does = models.TextField("what the family does at home", max_length=2000, blank=True)
    others_do = models.TextField(
        "what other professionals do",
        max_length=2000,
        blank=True,
        help_text="e.g. speech and language therapist, health visitor.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.what


class SupportReview(models.Model):
    """Review: how the plan went, what the family thinks, and when to look at it again."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date of the review", default=timezone.localdate)
    what_happened = models.TextField("what happened since the plan was made or last reviewed", max_length=5000)
    parents_views = models.TextField("the parents' views", max_length=5000, blank=True)
    next_review_on = models.DateField("next review")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.held_on}"


class TargetProgress(models.Model):
    """A review's judgement of one target."""

    class Progress(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PROGRESSING = "progressing", "Making progress"
        NOT_YET = "not_yet", "Not yet"

    review = models.ForeignKey(SupportReview, on_delete=models.CASCADE, related_name="progress")
    target = models.ForeignKey(SupportTarget, on_delete=models.CASCADE, related_name="progress")
    progress = models.CharField(max_length=12, choices=Progress.choices)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["target__created_at", "target__pk"]
        constraints = [models.UniqueConstraint(fields=["review", "target"], name="one_progress_per_target_per_review")]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_progress_display()}"


class ParentContribution(models.Model):
    """What a parent adds to their child's plan: their views and what works at home."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    views = models.TextField("your views", max_length=5000, blank=True)
    works_at_home = models.TextField("what works at home", max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.plan}"
