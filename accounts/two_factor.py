"""Two-step sign-in: who must use it, whether this session has passed the second step, and the gate.

After the password, someone with a confirmed authenticator app (a django-otp ``TOTPDevice``) types a code
from it, or one of their single-use recovery codes (a ``StaticDevice``), before any page opens. Someone who
must use it and has not set it up is sent to set it up first.

This app does not know who manages a nursery, so apps above it say who must use it, from their
``AppConfig.ready``, with ``register_requirement``: "this person must, and here is why" (or ``None``). This app
registers one itself: whoever can open the admin site (``administrators_must``).

On a shared nursery tablet the code step can be skipped for a while: a signed cookie, bound to the person and
their app, trusts the browser for ``TWO_FACTOR_TRUST_HOURS`` (12) from the moment the code was typed. The
session it verifies ends its trust at the same moment, so the code step is never skipped for longer.
"""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import pins
from .models import User
from .tablet import is_pin_session

Requirement = Callable[[User], str | None]
_requirements: list[Requirement] = []

# When a session verified by a trusted-device cookie stops being verified (a POSIX timestamp).
TRUSTED_UNTIL_SESSION_KEY = "two_factor_trusted_until"
TRUST_SALT = "keystory.two-factor.trusted-device"


def register_requirement(requirement: Requirement) -> None:
    """Add a check saying why someone must use two-step sign-in (registering twice changes nothing)."""
    if requirement not in _requirements:
        _requirements.append(requirement)


def required_because(user: User) -> str | None:
    """Why ``user`` must use two-step sign-in, as a sentence for them, or None if it is their choice."""
    if not user.is_authenticated:
        return None
    return next((reason for requirement in _requirements if (reason := requirement(user))), None)


def administrators_must(user: User) -> str | None:
    """Whoever can open the admin site (``is_staff`` or ``is_superuser``) can read and change every record
    there, so they use two-step sign-in like a manager (unless the install's TWO_FACTOR_REQUIRED is off)."""
    if settings.TWO_FACTOR_REQUIRED and (user.is_staff or user.is_superuser):
        return "You can open KeyStory's administration site, so you use two-step sign-in."
    return None


def authenticator(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    """Whether this session has passed the second step (django-otp's OTPMiddleware finds the device)."""
    return request.user.is_verified()


# --- Trusting a shared tablet ------------------------------------------------------------------------


def trust_cookie_name(user: User) -> str:
    # One cookie per person, so a second member of staff trusting the same tablet leaves the first's alone.
    return f"ks_trusted_{user.pk}"


def _device_fingerprint(device: TOTPDevice) -> str:
    """Changes when the app is reset and set up again, so an old cookie never trusts a new app."""
    return hashlib.sha256(f"{device.persistent_id}:{device.key}".encode()).hexdigest()[:32]


def trust_this_browser(response: HttpResponse, *, user: User, device: TOTPDevice) -> None:
    """Set the signed cookie that skips the code step on this browser for the next 12 hours."""
    hours = settings.TWO_FACTOR_TRUST_HOURS
    until = timezone.now() + timedelta(hours=hours)
    value = signing.dumps(
        {"user": user.pk, "device": _device_fingerprint(device), "until": int(until.timestamp())}, salt=TRUST_SALT
    )
    response.set_cookie(
        trust_cookie_name(user),
        value,
        max_age=hours * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def trusted_until(request: HttpRequest, *, user: User, device: TOTPDevice) -> datetime | None:
    """When this browser's trust for ``user`` and ``device`` ends, if it is trusted now."""
    raw = request.COOKIES.get(trust_cookie_name(user))
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=TRUST_SALT, max_age=timedelta(hours=settings.TWO_FACTOR_TRUST_HOURS))
        until = datetime.fromtimestamp(int(data["until"]), tz=UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    if data.get("user") != user.pk or data.get("device") != _device_fingerprint(device) or until <= timezone.now():
        return None
    return until


# --- The gate --------------------------------------------------------------------------------------

# Pages someone between their password and their code may open (the rest waits for the second step).
OPEN_URL_NAMES = ("accounts:logout", "accounts:two_factor_verify", "accounts:two_factor_setup")


def _open_paths() -> tuple[str, ...]:
    return (*(reverse(name) for name in OPEN_URL_NAMES), settings.STATIC_URL)


def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    # An htmx request (this runs before django-htmx's middleware) swaps part of a page: send the whole page.
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "GET" and not htmx:
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)


class SecondStep:
    """Sends someone signed in with their password, but not past the second step, to type a code (or, when
    they must use two-step sign-in and have not set it up, to set it up) before any other page opens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(_open_paths()):
            answer = self.second_step(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def second_step(self, request: HttpRequest) -> HttpResponse | None:
        if is_pin_session(request):
            return None  # switched in on a room's tablet: no code step, and no page that needs a full sign-in
        user = request.user
        self.end_expired_trust(request)
        if is_verified(request):
            return None
        device = authenticator(user)
        if device is None:
            return _redirect(request, "accounts:two_factor_setup") if required_because(user) else None
        until = trusted_until(request, user=user, device=device)
        if until is None:
            return _redirect(request, "accounts:two_factor_verify")
        otp_login(request, device)
        pins.unlock(user=user)  # the full sign-in is complete (a trusted browser): the PIN works again
        request.session[TRUSTED_UNTIL_SESSION_KEY] = until.timestamp()
        return None

    @staticmethod
    def end_expired_trust(request: HttpRequest) -> None:
        """A session the trusted-device cookie let through stops being verified when that trust ends."""
        until = request.session.get(TRUSTED_UNTIL_SESSION_KEY)
        if until is not None and timezone.now().timestamp() >= until:
            request.session.pop(TRUSTED_UNTIL_SESSION_KEY)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            request.user.otp_device = None
