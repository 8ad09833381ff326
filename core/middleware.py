"""Requests KeyStory has no use for: methods no page takes, and ids larger than any database row can have."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .views import PlainBadRequest, bad_request

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


# The largest key a database row can have (a 64-bit integer). SQLite cannot even compare a bigger number
# (OverflowError), where PostgreSQL just finds nothing.
LARGEST_ID = 2**63 - 1
SQLITE_OVERFLOW = "too large to convert to SQLite INTEGER"


class NumbersThatFit:
    """An id larger than any database key names nothing: in the address (``<int:pk>``) it answers 404 before
    any view queries it; in a form or the query string (``children=99999999999999999999``, which Django's
    choice fields and ``__in`` lookups pass to SQLite unchecked) the overflow answers 400 with a reason."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args: tuple, view_kwargs: dict) -> None:
        if any(isinstance(value, int) and value > LARGEST_ID for value in (*view_args, *view_kwargs.values())):
            raise Http404("No such page.")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError) and SQLITE_OVERFLOW in str(exception):
            return bad_request(request, PlainBadRequest("A number in what was sent is too large to be anything here."))
        return None
