"""``{% family_progress_checks %}``: a parent's home page tells them a progress check is waiting for their view."""

from django import template

from ..models import ProgressCheck
from ..progress_check.selectors import progress_checks_for_family

register = template.Library()


@register.inclusion_tag("learning_stories/_family_progress_checks.html", takes_context=True)
def family_progress_checks(context: template.Context) -> dict:
    user = context["request"].user
    checks = progress_checks_for_family(user).filter(status=ProgressCheck.Status.SHARED).select_related("child")
    return {"checks": checks}
