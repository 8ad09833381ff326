"""Requests queued on a tablet with no connection (static/js/outbox.js), carried out once each.

The outbox sends each request with a key it made (``client_key``), its author's user id (the
``X-KeyStory-Author`` header) and ``X-KeyStory-Outbox: 1``. A view that takes such requests does its work in
``once()``: the first time it runs and its answer is kept; the same key again answers with the kept answer,
so a retry after a dropped connection never records anything twice. The answers are JSON: 200 done,
409 ``wrong_person`` (someone else is signed in now: the tablet keeps it for its author), 422 refused with the
reasons (shown on the tablet with what was saved, never dropped). A refusal that is a question (``Confirm``,
e.g. "a sleep under 5 minutes: is that right?") also says which field to add to send it anyway.
"""

import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse

from .models import ClientRequest


def from_outbox(request: HttpRequest) -> bool:
    return request.headers.get("X-KeyStory-Outbox") == "1"


def wrong_person(request: HttpRequest) -> JsonResponse | None:
    author = request.headers.get("X-KeyStory-Author")
    if author and author != str(request.user.pk):
        return JsonResponse({"ok": False, "wrong_person": True}, status=409)
    return None


def client_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return None


class Confirm(Exception):
    """``work`` asks the person first: the tablet shows ``question`` and offers to send again with ``field``."""

    def __init__(self, question: str, field: str, value: str):
        super().__init__(question)
        self.question, self.field, self.value = question, field, value


def refused(errors: list[str], status: int = 422, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors, **extra}, status=status)


def once(request: HttpRequest, work: Callable[[], tuple[str, str]]) -> JsonResponse:
    """Run ``work`` (returning what it did, or an error to show) once for the request's key."""
    if (answer := wrong_person(request)) is not None:
        return answer
    key = client_key(request)
    if key is None:
        return refused(["This was saved without a key, so it cannot be sent safely. Enter it again."], status=400)
    previous = ClientRequest.objects.filter(key=key).first()
    if previous is not None:
        if previous.user_id != request.user.pk:
            return refused(["This belongs to someone else."], status=404)
        return JsonResponse({"ok": True, "done": previous.done, "again": True})
    try:
        with transaction.atomic():
            try:
                done, error = work()
            except Confirm as question:
                transaction.set_rollback(True)
                return refused([question.question], confirm={"name": question.field, "value": question.value})
            if error:
                transaction.set_rollback(True)
                return refused([error])
            ClientRequest.objects.create(key=key, user=request.user, done=done[:500])
    except IntegrityError:  # the same key sent twice at once: the other request did it
        return JsonResponse({"ok": True, "done": "", "again": True})
    return JsonResponse({"ok": True, "done": done})
