"""Filters for the subject access summary PDF: data.json's keys and values as words."""

from typing import Any

from django import template
from django.utils.html import format_html_join, linebreaks

register = template.Library()


@register.filter
def label(name: str) -> str:
    """``date_of_birth`` → "Date of birth"."""
    return str(name).replace("_", " ").capitalize()


@register.filter
def shown(value: Any) -> str:
    """A value as words: yes/no, lists one per line, nested rows as "key: value" lines, dates as given."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value in (None, ""):
        return "—"
    if isinstance(value, dict):
        return format_html_join("", "<div>{}: {}</div>", ((label(k), _flat(v)) for k, v in value.items()))
    if isinstance(value, list):
        return format_html_join("", "<div>{}</div>", ((_flat(item),) for item in value)) if value else "—"
    return linebreaks(str(value), autoescape=True)


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {_flat(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return ", ".join(_flat(item) for item in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)
