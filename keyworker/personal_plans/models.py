"""A child's personal plan (wellbeing, care and learning), one version per term, and the family's responses."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from children.models import Child
from learning_stories.models import NextStep


class PersonalPlan(models.Model):
    """One version of a child's personal plan. The newest version is the current plan; older ones are its
    history and are never changed. Once the family has agreed a version, editing starts the next one."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="personal_plans")
    version = models.PositiveSmallIntegerField(default=1)
    wellbeing = models.TextField(
        "wellbeing",
        max_length=3000,
        help_text="How the child shows they feel settled and safe, and what comforts them when they are upset.",
    )
    care = models.TextField(
        "care and routines",
        max_length=3000,
        help_text="Routines, eating, sleeping, nappies or toileting, and any health needs, in plain words.",
    )
    interests = models.TextField("interests", max_length=2000, blank=True, help_text="What the child loves doing.")
    focuses = models.TextField(
        "what we are working on",
        max_length=2000,
        help_text="Two or three things the child is learning now, one a line.",
    )
    next_steps = models.ManyToManyField(NextStep, blank=True, related_name="+")
    together = models.TextField(
        "how we work together",
        max_length=3000,
        help_text="What the family does at home and what the nursery does, and how you keep each other informed.",
    )
    agreed_on = models.DateField("agreed with the family on", null=True, blank=True)
    next_review_on = models.DateField("next review")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["child", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["child", "version"], name="one_personal_plan_version_per_child"),
        ]

    def __str__(self) -> str:
        return f"Personal plan {self.version} for {self.child}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None

    def focus_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.focuses.splitlines() if line.strip(" -•\t")]


class PlanResponse(models.Model):
    """A family member's comment on a plan version, and/or their "we agreed this" (who and when)."""

    plan = models.ForeignKey(PersonalPlan, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField("your comment", max_length=2000, blank=True)
    agrees = models.BooleanField("we agreed this plan", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.plan}"
