"""Whether a person may sign in: the apps above this one say what gives someone standing and what ends it.

A person signs in because of what they are somewhere: a member of staff in post, a child's guardian, a
group owner. This app knows none of that, so apps above it register, in their ``AppConfig.ready``:

- an *ending*: "this person's standing here has ended, and here is why", e.g. every staff post of theirs
  has reached its leaving date (``None`` when nothing has ended, or when the app never gave them standing);
- a *standing*: "this person still has standing here", e.g. they are the guardian of a child.

Someone is refused when some app says their standing has ended and no app says they still have some, so a
member of staff who leaves but is also a parent keeps signing in as a parent. Superusers are never refused.
Endings are asked first (the usual answer is "nothing ended", in one query); standings only for leavers.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from .models import User

Ending = Callable[[User], str | None]
Standing = Callable[[User], bool]

_endings: list[Ending] = []
_standings: list[Standing] = []


def register_ending(ending: Ending) -> None:
    """Add a check saying why the user's standing through an app has ended (registering twice changes nothing)."""
    if ending not in _endings:
        _endings.append(ending)


def register_standing(standing: Standing) -> None:
    """Add a check saying whether the user still has standing through an app."""
    if standing not in _standings:
        _standings.append(standing)


def refusal(user: User) -> str | None:
    """Why ``user`` may not sign in now, as a sentence for them, or None if they may."""
    if not user.is_authenticated or user.is_superuser:
        return None
    reasons = [reason for ending in _endings if (reason := ending(user))]
    if not reasons or any(standing(user) for standing in _standings):
        return None
    return reasons[0]


class SignOutWithoutStanding:
    """Signs out, on their next request, someone already signed in whose standing has ended (e.g. a member of
    staff on their leaving date), saying why on the log-in page they are then sent to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = refusal(request.user)
        if reason:
            logout(request)
            messages.error(request, reason)
        return self.get_response(request)
