"""Counts the live server's requests in flight, so a browser test's teardown can wait for them.

A browser may leave a request running when its page closes (a background sync, a late htmx call). If the
test database is flushed while that request still reads it, PostgreSQL's TRUNCATE and the request's locks
deadlock. The browser fixtures wait here until the live server is idle before the flush.
"""

import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_lock = threading.Lock()
_in_flight = 0


def count_requests(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        global _in_flight
        with _lock:
            _in_flight += 1
        try:
            return get_response(request)
        finally:
            with _lock:
                _in_flight -= 1

    return middleware


def wait_until_idle(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _in_flight and time.monotonic() < deadline:
        time.sleep(0.05)
