"""Small template filters for the key person pages."""

from django import template

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """'Priya Shah' -> 'PS': a placeholder where a photo is not set."""
    parts = name.split()
    return "".join(part[0] for part in (parts[:1] + parts[1:][-1:])).upper()
