"""The accessibility statement: a public page saying what has been tested, what has not, and how to report a
problem. Its review date is written here, by whoever reviews it, not taken from the clock."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The day the statement was last checked against the tests (tests/test_accessibility_every_page.py) and
# the known issues below. Change it only after reviewing the statement again.
LAST_REVIEWED = date(2026, 12, 7)


def statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"last_reviewed": LAST_REVIEWED})
