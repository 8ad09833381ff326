"""PIN sessions on a room's shared tablet, as far as this app knows them, and the full sign-in guard.

A member of staff switches in on a room's tablet with their PIN (``nursery.tablets`` knows the tablets and
rooms); the session is then theirs, like any other, marked as a PIN session bound to that tablet. Everything
recorded names them. A PIN session is weaker than a full sign-in (e-mail, password and, where used, the
code from the app), so it opens no manager's page, no export or download and no account setting:
``full_sign_in_required`` is the one check those views pass through (``nursery.permissions`` applies it to
every manager-only page), and it answers with a page asking for a full sign-in.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import User

# The tablet's id, in a PIN session only.
PIN_SESSION_KEY = "tablet_pin_session"
# When the person last used the tablet (a POSIX timestamp): the tablet locks after the nursery's idle minutes.
LAST_SEEN_KEY = "tablet_last_seen"
# Set on the request while a PIN switch-in signs the person in, so a PIN does not unlock itself.
_PIN_SIGN_IN = "_tablet_pin_sign_in"

# Set on the user object of a PIN session's request: a PIN session holds no manager's powers.
PIN_USER_ATTR = "_tablet_pin_session"

View = Callable[..., HttpResponse]


def pin_session_tablet_id(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    tablet_id = session.get(PIN_SESSION_KEY) if session is not None else None
    return tablet_id if isinstance(tablet_id, int) else None


def is_pin_session(request: HttpRequest) -> bool:
    return pin_session_tablet_id(request) is not None


def mark_pin_user(request: HttpRequest) -> None:
    """Mark the signed-in user as acting through a PIN session, so the manager's powers worked out from the
    user alone (``nursery.selectors.managed_nursery_ids``, ``StaffMember.is_manager``) are off for them."""
    setattr(request.user, PIN_USER_ATTR, True)


def is_pin_user(user) -> bool:
    """Whether ``user`` is acting through a PIN session on a room's tablet (see ``mark_pin_user``)."""
    return bool(getattr(user, PIN_USER_ATTR, False))


def is_pin_sign_in(request: HttpRequest) -> bool:
    return bool(getattr(request, _PIN_SIGN_IN, False))


def start_pin_session(request: HttpRequest, user: User, *, tablet_id: int) -> None:
    """Make the session ``user``'s, as a PIN session on the tablet ``tablet_id`` (the caller checked the PIN)."""
    if request.user.is_authenticated:
        logout(request)  # whoever was switched in before is switched out first
    setattr(request, _PIN_SIGN_IN, True)
    try:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    finally:
        setattr(request, _PIN_SIGN_IN, False)
    request.session[PIN_SESSION_KEY] = tablet_id
    mark_pin_user(request)
    touch(request)


def touch(request: HttpRequest) -> None:
    request.session[LAST_SEEN_KEY] = int(timezone.now().timestamp())


def idle_seconds(request: HttpRequest) -> float:
    last = request.session.get(LAST_SEEN_KEY)
    if not isinstance(last, int | float):
        return float("inf")
    return timezone.now().timestamp() - last


def full_sign_in_page(request: HttpRequest) -> HttpResponse:
    """What a PIN session sees instead of a page that needs a full sign-in."""
    return render(request, "accounts/full_sign_in_required.html", status=403)


def full_sign_in_required(view: View) -> View:
    """Refuse a PIN session (a clear page, not an error): the view needs e-mail, password and second step."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_pin_session(request):
            return full_sign_in_page(request)
        return view(request, *args, **kwargs)

    wrapper.full_sign_in_required = True
    return wrapper
