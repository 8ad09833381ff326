"""Answers worked out once per request: who the signed-in person is as staff, for instance, is asked by the
sign-in checks, the page itself and the navigation, and would otherwise be read from the database each time.

Only while a GET or HEAD request is answered (``RememberPerRequest``): a request that changes things reads
afresh. Outside a request (tasks, shell, tests calling selectors) nothing is remembered.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("keystory_request_memo", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``; callers must not change what it returns."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


@contextmanager
def forget_for_now() -> Iterator[None]:
    """Nothing is remembered (or read from what was) inside the block, as outside a request."""
    token = _memo.set(None)
    try:
        yield
    finally:
        _memo.reset(token)


class RememberPerRequest:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
