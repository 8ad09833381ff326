"""The family's "today" section, drawn by a tag so the parent's home page needs no extra view code."""

from django import template
from django.utils import timezone

from keyworker.feedback.selectors import FamilyDay, family_day

register = template.Library()


@register.simple_tag(takes_context=True)
def family_day_for(context: template.Context) -> list[FamilyDay]:
    days = family_day(context["request"].user, timezone.localdate())
    here = context.get("current_nursery")  # a family with children at two nurseries sees the chosen one's
    return [day for day in days if here is None or day.child.nursery_id == here.pk]
