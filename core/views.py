"""Friendly error pages that keep the page shell (navigation, demo banner)."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template


class PlainBadRequest(BadRequest):
    """A 400 whose message is written for the person who sent the request, and shown on the page."""


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Only our own messages are meant for people; Django's (e.g. a bad Host header) are not.
    reason = str(exception) if isinstance(exception, PlainBadRequest) else ""
    return render(request, "errors/400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever broke may be what they depend on.
    return HttpResponse(get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)
