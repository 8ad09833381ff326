"""The language choice (account page) and the small language switcher (foot of every page, log-in page too)."""

from django import template
from django.utils import translation

from ..language_views import LanguageForm
from ..languages import choices

register = template.Library()


def _user(context):
    user = context.get("user")
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("accounts/_language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    request = context.get("request")
    return {
        "languages": choices(_user(context)),
        "current": translation.get_language(),
        "next": request.path if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accounts/_language_choice.html", takes_context=True)
def language_choice(context) -> dict:
    request = context.get("request")
    return {
        "form": LanguageForm(user=_user(context)),
        "next": request.path if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def html_lang() -> str:
    """The active language as HTML's ``lang`` wants it: "en-GB", "pl", "ar"."""
    language, _, region = translation.get_language().partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag
def html_dir() -> str:
    """ "rtl" for Arabic and Urdu, else "ltr"."""
    return "rtl" if translation.get_language_bidi() else "ltr"


def _dated(value, english: str, named: str) -> str:
    from django.template.defaultfilters import date
    from django.utils.formats import get_format

    code = translation.get_language() or "en-gb"
    # English keeps the nursery's "7 December 2026"; Urdu and Punjabi have no Django formats (American default).
    pattern = english if code.startswith("en") or code in ("ur", "pa") else get_format(named)
    return date(value, pattern)


@register.filter
def long_date(value) -> str:
    """A date as the reader's language writes it: "7 December 2026", "7 grudnia 2026", "7 de diciembre de 2026"."""
    return _dated(value, "j F Y", "DATE_FORMAT")


@register.filter
def day_month(value) -> str:
    """Day and month as the reader's language writes them: "7 December", "7 grudnia"."""
    return _dated(value, "j F", "MONTH_DAY_FORMAT")
