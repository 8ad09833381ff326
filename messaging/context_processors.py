"""The unread count in the navigation: counted only when a page draws it, once per request, in one query."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_messages": 0}
    if not hasattr(request, "_unread_messages"):
        request._unread_messages = SimpleLazyObject(lambda: unread_count(user))
    return {"unread_messages": request._unread_messages}
