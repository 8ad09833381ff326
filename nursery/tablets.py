"""A room's shared tablet: making a browser one, who may switch in on it, switching in, and the gate.

A manager (fully signed in) makes a browser "the room's tablet": a ``TabletDevice`` whose long random token
lives in a secure, HttpOnly, SameSite=Lax cookie on that browser (only its SHA-256 is stored). While nobody is
switched in, the browser opens the tablet's room page and nothing else. A member of staff of the nursery
chooses their name and types their PIN (``accounts.pins``): the session becomes theirs, as a PIN session bound
to the tablet (``accounts.tablet``). Wrong PINs on a tablet are throttled by django-axes, as the log-in page is,
counted against the tablet; five wrong PINs in a row for one person, on any tablet, lock their PIN until they
next sign in fully. The tablet locks itself after the nursery's idle minutes, checked here on every request.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from accounts import pins
from accounts.languages import limit_to_staff_languages
from accounts.models import User
from accounts.tablet import (
    LAST_SEEN_KEY,
    full_sign_in_page,
    idle_seconds,
    mark_pin_user,
    pin_session_tablet_id,
    start_pin_session,
    touch,
)

from .current import choose
from .models import Nursery, Room, StaffMember, TabletDevice

COOKIE_NAME = "ks_tablet"
COOKIE_MAX_AGE = 400 * 24 * 60 * 60  # the longest a browser keeps a cookie (Chrome's cap)

# Apps above this one say which children a room's tablet shows: a function from a room to their names.
_room_children: list[Callable[[Room], list[str]]] = []


def register_room_children(names_for: Callable[[Room], list[str]]) -> None:
    if names_for not in _room_children:
        _room_children.append(names_for)


def room_children(room: Room) -> list[str]:
    return [name for names_for in _room_children for name in names_for(room)]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Making and revoking tablets ------------------------------------------------------------------------


def create_tablet(*, room: Room, name: str, by: User) -> tuple[TabletDevice, str]:
    """A new tablet for ``room``, and the token for its cookie (shown nowhere, kept only as a hash)."""
    token = secrets.token_urlsafe(48)
    device = TabletDevice.objects.create(
        nursery_id=room.nursery_id, room=room, name=name.strip(), token_hash=_hash(token), created_by=by
    )
    return device, token


def revoke_tablet(*, device: TabletDevice, by: User) -> None:
    """The browser stops being a tablet: whoever is switched in there is signed out on their next click."""
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.revoked_by = by
        device.save(update_fields=["revoked_at", "revoked_by"])


def set_idle_minutes(*, nursery: Nursery, minutes: int) -> None:
    nursery.tablet_idle_minutes = minutes
    nursery.save(update_fields=["tablet_idle_minutes"])


def tablets_of(nursery: Nursery):
    return TabletDevice.objects.filter(nursery=nursery, revoked_at__isnull=True).select_related("room", "created_by")


def tablet_for_token(token: str) -> TabletDevice | None:
    if not token or len(token) > 200:
        return None
    return (
        TabletDevice.objects.filter(token_hash=_hash(token), revoked_at__isnull=True, room__archived_on__isnull=True)
        .select_related("nursery", "room")
        .first()
    )


def set_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Who may switch in ----------------------------------------------------------------------------------


def tablet_people(device: TabletDevice):
    """The nursery's staff in post, the room's own first, by name: who may switch in on the tablet."""
    return (
        StaffMember.objects.in_post()
        .filter(nursery_id=device.nursery_id, user__is_active=True)
        .select_related("user", "room")
        .annotate(
            elsewhere=Case(When(room_id=device.room_id, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("elsewhere", "user__full_name", "pk")
    )


def access_tablet_person(device: TabletDevice, pk: int) -> StaffMember | None:
    return tablet_people(device).filter(pk=pk).first()


@dataclass
class SwitchIn:
    ok: bool
    message: str = ""


def _throttle_credentials(device: TabletDevice) -> dict:
    # Counted against the tablet (with the address), so trying many people's PINs is throttled too.
    return {"username": f"tablet:{device.pk}"}


def switch_in(request: HttpRequest, *, device: TabletDevice, post: StaffMember, pin: str) -> SwitchIn:
    """Check ``pin`` for the person of ``post`` and, if right, make the session theirs on this tablet."""
    credentials = _throttle_credentials(device)
    if not AxesProxyHandler.is_allowed(request, credentials):
        return SwitchIn(
            False,
            "Too many wrong PINs on this tablet. Wait 15 minutes and try again, or sign in with your e-mail "
            "address and password.",
        )
    outcome, left = pins.check_pin(user=post.user, pin=pin)
    if outcome is pins.Outcome.RIGHT:
        start_pin_session(request, post.user, tablet_id=device.pk)
        choose(request, device.nursery_id)  # the session's pages are about the tablet's nursery only
        TabletDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
        return SwitchIn(True)
    if outcome is pins.Outcome.NO_PIN:
        return SwitchIn(
            False,
            "You have not set a tablet PIN yet. Sign in with your e-mail address and password and choose one "
            "under “My tablet PIN” in your account menu.",
        )
    if outcome is pins.Outcome.WRONG:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        request.axes_locked_out = False  # this page says so itself, instead of the log-in page's lockout
        return SwitchIn(
            False, f"That PIN is not right. {left} more wrong PIN{'s' if left != 1 else ''} and it will be locked."
        )
    return SwitchIn(
        False,
        "Your PIN is locked after 5 wrong tries. Sign in with your e-mail address and password (on any "
        "computer or this tablet) to unlock it.",
    )


# --- The gate -------------------------------------------------------------------------------------------


def _open_paths() -> tuple[str, ...]:
    """What a tablet with nobody switched in may open: its room page and switching in, locking, static files,
    the log-in page (a manager may sign in fully on it), choosing English or Welsh, the app's service worker,
    manifest and offline page (so the tablet can install the app) and the accessibility statement."""
    return (
        reverse("nursery:tablet"),
        reverse("accounts:tablet_lock"),
        reverse("accounts:login"),
        reverse("accounts:language"),
        reverse("service_worker"),
        reverse("manifest"),
        reverse("offline"),
        reverse("accessibility"),
        settings.STATIC_URL,
        "/favicon.ico",
    )


def _go(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class TabletGate:
    """On a room's tablet: nobody switched in opens only the tablet's room page; a PIN session ends when the
    tablet is revoked, or after the nursery's idle minutes (and each request counts as use)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.COOKIES.get(COOKIE_NAME, "")
        device = tablet_for_token(token) if token else None
        request.tablet = device
        if device is not None:
            limit_to_staff_languages(request)
        response = self.gate(request, device) or self.get_response(request)
        if token and device is None:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")  # revoked: an ordinary browser again
        return response

    def idle_lock(self, request: HttpRequest, device: TabletDevice) -> HttpResponse | None:
        """Sign out whoever is signed in on the tablet after the nursery's idle minutes unused."""
        minutes = device.nursery.tablet_idle_minutes
        if idle_seconds(request) < minutes * 60:
            return None
        logout(request)
        messages.info(
            request,
            f"The tablet locked after {minutes} minute{'s' if minutes != 1 else ''} unused. "
            "Choose your name to carry on.",
        )
        return _go(request, reverse("nursery:tablet"))

    def gate(self, request: HttpRequest, device: TabletDevice | None) -> HttpResponse | None:
        if request.path.startswith(settings.STATIC_URL):
            return None
        tablet_id = pin_session_tablet_id(request)
        if tablet_id is not None:
            if device is None or device.pk != tablet_id or not request.user.is_authenticated:
                logout(request)
                messages.info(request, "This browser is no longer a room's tablet, so you were signed out.")
                return _go(request, reverse("accounts:login"))
            if locked := self.idle_lock(request, device):
                return locked
            if not (request.method == "GET" and request.headers.get("HX-Request") == "true"):
                touch(request)  # a page refreshing itself (the care log every minute) is not someone using it
            mark_pin_user(request)  # no manager's powers in a PIN session, on any page
            if request.path.startswith(reverse("admin:index")):
                return full_sign_in_page(request)  # the admin site needs a full sign-in, like managers' pages
            return None
        if device is not None and request.user.is_authenticated:
            # Signed in fully (e-mail and password) on a room's tablet: it locks after the idle minutes too.
            if LAST_SEEN_KEY not in request.session:
                touch(request)  # the idle time counts from the first page on the tablet
            elif locked := self.idle_lock(request, device):
                return locked
            if not (request.method == "GET" and request.headers.get("HX-Request") == "true"):
                touch(request)
            return None
        if device is not None and not request.user.is_authenticated:
            if request.path.startswith(_open_paths()):
                return None
            return _go(request, reverse("nursery:tablet"))
        return None
