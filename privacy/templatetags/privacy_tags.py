"""Filters for the subject access summary PDF: data.json's keys and values as words."""

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils.html import format_html_join, linebreaks
from django.utils.safestring import mark_safe

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
    if isinstance(value, str) and ISO_DATE.match(value):
        return _when(value)
    if isinstance(value, dict):
        return format_html_join("", "<div>{}: {}</div>", ((label(k), _flat(v)) for k, v in value.items()))
    if isinstance(value, list):
        return format_html_join("", "<div>{}</div>", ((_flat(item),) for item in value)) if value else "—"
    return mark_safe(linebreaks(str(value), autoescape=True))  # escaped by linebreaks first


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[.\d]*([+-]\d{2}:\d{2})?)?$")


def _when(value: str) -> str:
    """An ISO 8601 date or time from data.json as people write it: 14 Mar 2024, 7 Dec 2026 09:35."""
    if "T" in value:
        return f"{datetime.fromisoformat(value):%-d %b %Y %H:%M}"
    return f"{date.fromisoformat(value):%-d %b %Y}"


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {_flat(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return ", ".join(_flat(item) for item in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str) and ISO_DATE.match(value):
        return _when(value)
    return "" if value is None else str(value)
