"""Answers remembered for one GET request only (core.request_memo)."""

from itertools import count

from django.http import HttpResponse
from django.test import RequestFactory

from core.request_memo import RememberPerRequest, remembered


def answers_during(method: str) -> list[int]:
    reads = count(1)

    def view(request):
        return HttpResponse(f"{remembered('x', lambda: next(reads))} {remembered('x', lambda: next(reads))}")

    middleware = RememberPerRequest(view)
    request = getattr(RequestFactory(), method)("/")
    return [*middleware(request).content.decode().split(), *middleware(request).content.decode().split()]


def test_a_get_request_reads_once_and_the_next_request_reads_again():
    assert answers_during("get") == ["1", "1", "2", "2"]


def test_a_request_that_changes_things_never_reuses_an_answer():
    assert answers_during("post") == ["1", "2", "3", "4"]


def test_outside_a_request_nothing_is_remembered():
    reads = count(1)
    assert [remembered("x", lambda: next(reads)) for _ in range(2)] == [1, 2]
