"""Suggestions for the capture page while the practitioner types (static/js/suggest.js asks, debounced)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from core.ids import parse_ids
from core.text import OBSERVATION
from nursery.permissions import staff_required

from ..framework.selectors import current_framework_for
from ..observations.selectors import children_for_capture
from .engine import suggester_for


@staff_required()
def suggest_areas(request: HttpRequest) -> HttpResponse:
    """Areas, goals and statements that fit ``text``; statements for the ages of ``children`` (ids of children
    the practitioner may observe; any other id is ignored). Answers a fragment of the capture page."""
    nursery = request.staff_post.nursery
    text = request.GET.get("text", "")[:OBSERVATION]
    ids = parse_ids(request.GET.getlist("children"))[:50]
    children = list(children_for_capture(request.user, nursery).filter(pk__in=ids)) if ids else []
    today = timezone.localdate()
    months = [age for child in children if (age := child.age_in_months(today)) is not None]
    model = suggester_for(current_framework_for(nursery), nursery.pk)
    found = model.suggest(text, months=months)
    area_names = {pk: area.name for pk, area in model.areas.items()}
    # Without the request: no context processors (the navigation's queries), only the fragment.
    html = render_to_string(
        "learning_stories/_area_suggestions.html",
        {
            "text": text.strip(),
            "areas": [scored.item for scored in found.areas],
            "aspects": [(scored.item, area_names[scored.item.area_pk]) for scored in found.aspects],
            "statements": [scored.item for scored in found.statements],
            "summary": ", ".join(scored.item.name for scored in found.areas),
        },
    )
    return HttpResponse(html)
