"""Requests KeyStory has no use for, answered before any view sees them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

# Pages are read with GET (HEAD) and every change is a POST form or htmx post: nothing is PUT, PATCH or DELETE.
METHODS = ("GET", "HEAD", "POST")


class OnlyKnownMethods:
    """Answer 405 to any other method (PUT, DELETE, PATCH, OPTIONS, made-up ones), so no view that reads
    ``request.POST or None`` mistakes one for a GET, and none is ever half-handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return self.get_response(request)
