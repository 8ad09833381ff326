"""The family's "medicines given" section, drawn by a tag so the parent's home page needs no extra view code."""

from django import template
from django.utils import timezone

from children.medicines.selectors import doses_for_family

register = template.Library()


@register.inclusion_tag("children/_family_medicines.html", takes_context=True)
def family_medicines(context: template.Context) -> dict:
    """Doses given today, and any not read yet, to the children the user holds parental responsibility for."""
    today = timezone.localdate()
    here = context.get("current_nursery")  # a family with children at two nurseries sees the chosen one's
    doses = [
        dose
        for child_doses in doses_for_family(context["request"].user, today).values()
        for dose in child_doses
        if here is None or dose.child.nursery_id == here.pk
    ]
    return {"doses": doses, "today": today, "request": context["request"], "csrf_token": context.get("csrf_token")}
