"""Dates from outside (an address, a form, an imported file) kept within bounds KeyStory can work with.

Python's dates run from year 1 to 9999: a register "for 9999-12-31" cannot show the next day, and a meeting at
23:30 that day cannot end. So every date that comes in is checked against one window, ``EARLIEST`` to
``LATEST``, before anything adds days to it. ``install_date_bounds()`` (run by core's AppConfig) gives every
form's date and date-time field that check with a plain message; a date in a page's address goes through
``parse_day_param``, which answers 400 instead. Rules that depend on what a date is about (a child's birthday,
an entry within the child's life) sit beside their model and use these helpers.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .views import PlainBadRequest

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = f"Enter a date between {EARLIEST.year} and {LATEST.year}."


def _day(value: date | datetime) -> date:
    # The date as written, in its own offset: converting 0001-01-01T00:00+14:00 to UTC would overflow, and
    # a few hours either way do not matter to bounds counted in years.
    return value.date() if isinstance(value, datetime) else value


def within_bounds(value: date | datetime) -> bool:
    return EARLIEST <= _day(value) <= LATEST


def validate_within_bounds(value: date | datetime | None) -> None:
    """A validator for any date or date-time field: refuses year 1, year 9999 and everything far outside."""
    if value is not None and not within_bounds(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def parse_day_param(value: str | None, *, default: date | None = None, name: str = "day") -> date:
    """A date from the query string (``?day=2026-03-14``), or ``default`` (today) when none is given.

    A value that is not a date, or is outside ``EARLIEST``..``LATEST``, raises ``PlainBadRequest`` (answered 400).
    """
    if not value:
        return default or timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise PlainBadRequest(f"The {name} in this address is not a date: write it as 2026-03-14.") from None
    if not within_bounds(day):
        raise PlainBadRequest(
            f"The {name} in this address is outside the years KeyStory shows ({EARLIEST.year} to {LATEST.year})."
        )
    return day


def install_date_bounds() -> None:
    """Every form's DateField and DateTimeField (model forms and subclasses included) refuses dates outside the
    window. Patched on ``validate``, looked up at each use, so fields made before apps were ready are covered."""
    for field in (forms.DateField, forms.DateTimeField):
        if getattr(field.validate, "checks_bounds", False):
            continue
        field.validate = _bounded(field.validate)


def _bounded(validate):
    def validate_and_bound(self, value) -> None:
        validate(self, value)
        validate_within_bounds(value)

    validate_and_bound.checks_bounds = True
    return validate_and_bound
