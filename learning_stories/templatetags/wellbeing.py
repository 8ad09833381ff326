"""``{% leuven_scales form %}``: the two optional Leuven ratings on the capture page, each choice described."""

from django import template

from ..wellbeing.scales import EXPLANATION, INVOLVEMENT, WELLBEING

register = template.Library()


def _chosen(field) -> int | None:
    value = field.value()
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("learning_stories/_leuven_scales.html")
def leuven_scales(form) -> dict:
    wellbeing, involvement = _chosen(form["wellbeing"]), _chosen(form["involvement"])
    errors = [*form["wellbeing"].errors, *form["involvement"].errors]
    return {
        "explanation": EXPLANATION,
        "errors": errors,
        "open": wellbeing is not None or involvement is not None or bool(errors),
        "scales": [
            ("wellbeing", "Wellbeing", "How at ease and happy did the child seem?", WELLBEING, wellbeing),
            ("involvement", "Involvement", "How absorbed were they in what they were doing?", INVOLVEMENT, involvement),
        ],
    }
