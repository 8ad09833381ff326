"""``{% pk_url "app:page" pk %}``: what ``{% url "app:page" pk %}`` gives for a page that takes one record's id,
for long lists. Reversing an address costs tens of microseconds each time, so a list of 200 children spent
several milliseconds on its links alone; here each page's address is reversed once per process (for a stand-in
id, whose place the real id then takes)."""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_STAND_IN = 918_273_645_546_372_819
_addresses: dict[tuple, tuple[str, str] | None] = {}


def pk_url(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a page whose one argument is a record's id."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, args=[pk])
    key = (viewname, get_script_prefix(), get_urlconf())
    if key not in _addresses:
        parts = reverse(viewname, args=[_STAND_IN]).split(str(_STAND_IN))
        _addresses[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    parts = _addresses[key]
    if parts is None:  # the stand-in reads as more than the id: leave it to reverse
        return reverse(viewname, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


register.simple_tag(pk_url, name="pk_url")
