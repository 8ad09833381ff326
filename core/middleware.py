"""Requests KeyStory has no use for, answered before any view sees them."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

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


# The largest key a database row can have (a 64-bit integer): a bigger id in an address names nothing, and
# SQLite would refuse even to compare it (OverflowError), so it is answered 404 before any view queries it.
LARGEST_ID = 2**63 - 1


class IdsThatFit:
    """404 for an address whose ``<int:…>`` part is larger than any database id, for every URL now and later."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args: tuple, view_kwargs: dict) -> None:
        if any(isinstance(value, int) and value > LARGEST_ID for value in (*view_args, *view_kwargs.values())):
            raise Http404("No such page.")
