"""Pages of two-step sign-in: the code step after the password, setting up an app, recovery codes, turning off."""

import math
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device

from . import pins, services, two_factor
from .forms import AuthenticatorCodeForm, ConfirmPasswordForm, SecondStepForm
from .tablet import full_sign_in_required

# Recovery codes just made, kept in the session only until the page that shows them once has been opened.
NEW_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once the step is done: the page first asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _throttled_message(device: Device) -> str | None:
    """What to tell someone after too many wrong codes in a row, while they must wait."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = (details or {}).get("locked_until")
    wait = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    return (
        f"Too many wrong codes in a row. Wait {wait} second{'s' if wait != 1 else ''}, "
        "then type the newest code. Each wrong code makes the wait longer."
    )


def qr_code_svg(data: str) -> SafeString:
    """The QR code as inline SVG: no image request and no style attribute (the CSP allows neither)."""
    svg = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    start = svg.index("<svg") + len("<svg")
    end = svg.index(">", start)
    attributes = " ".join(part for part in svg[start:end].split() if not part.startswith(("width=", "height=")))
    label = 'class="qr-code" role="img" aria-label="QR code to scan with your authenticator app"'
    return mark_safe(f"<svg {attributes} {label}>{svg[end + 1 :]}")  # drawn here by qrcode: no outside text


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code (which is then used up)."""
    user = request.user
    device = two_factor.authenticator(user)
    if device is None or two_factor.is_verified(request):
        return redirect(_next_url(request))
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        used = device if form.is_app_code else two_factor.recovery_codes(user)
        refusal = _throttled_message(used) if used else None
        if refusal:
            form.add_error("code", refusal)
        elif used and verify_token(user, used.persistent_id, form.cleaned_data["code"]):
            otp_login(request, used)
            pins.unlock(user=user)  # the full sign-in is complete: a PIN locked by wrong tries works again
            request.session.pop(two_factor.TRUSTED_UNTIL_SESSION_KEY, None)
            if used != device:
                left = used.token_set.count()
                messages.warning(
                    request,
                    f"That recovery code is now used up; you have {left} left. "
                    "Make new ones from “Two-step sign-in” in your account menu if you are running short.",
                )
            response = redirect(_next_url(request))
            if form.cleaned_data["trust"]:
                two_factor.trust_this_browser(response, user=user, device=device)
            return response
        else:
            form.add_error(
                "code",
                "That code is not right. Type the newest six digits from your app (check your phone sets its "
                "time automatically), or one of your recovery codes.",
            )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@full_sign_in_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm with a code."""
    user = request.user
    if two_factor.authenticator(user):
        return redirect("accounts:two_factor")
    device = services.start_authenticator(user=user)
    form = AuthenticatorCodeForm(request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        refusal = _throttled_message(device)
        codes = None if refusal else services.confirm_authenticator(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            pins.unlock(user=user)  # the full sign-in is complete: a PIN locked by wrong tries works again
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, "Two-step sign-in is on.")
            return redirect(_with_next("accounts:two_factor_recovery_codes", next_url))
        form.add_error(
            "code",
            refusal
            or "That code is not right. Type the newest six digits the app shows for KeyStory; if it still "
            "fails, check your phone sets its time automatically.",
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "required_because": two_factor.required_because(user),
            "qr_code": qr_code_svg(device.config_url),
            "secret": _spaced(b32encode(device.bin_key).decode()),
        },
    )


@never_cache
@login_required
@full_sign_in_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; asking again makes new ones and the old ones stop working."""
    if not two_factor.authenticator(request.user):
        return redirect("accounts:two_factor")
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.new_recovery_codes(user=request.user)
        messages.success(request, "New recovery codes made. The old ones no longer work.")
        return redirect("accounts:two_factor_recovery_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    left = device.token_set.count() if (device := two_factor.recovery_codes(request.user)) else 0
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "left": left, "next": _next_url(request)},
    )


def _overview(request: HttpRequest, form: ConfirmPasswordForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    codes = two_factor.recovery_codes(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": two_factor.authenticator(user),
            "codes_left": codes.token_set.count() if codes else 0,
            "required_because": two_factor.required_because(user),
            "events": user.security_events.select_related("by")[:10],
            "form": form,
        },
        status=status,
    )


@never_cache
@login_required
@full_sign_in_required
def overview(request: HttpRequest) -> HttpResponse:
    """Whether two-step sign-in is on, why it is required (if it is), and what can be done about it."""
    return _overview(request, ConfirmPasswordForm(request=request))


@require_POST
@sensitive_post_parameters("password")
@login_required
@full_sign_in_required
def turn_off(request: HttpRequest) -> HttpResponse:
    """Remove the app and recovery codes, with the password. Someone who must use two-step sign-in is sent
    to set it up again straight away (e.g. on a new phone)."""
    user = request.user
    form = ConfirmPasswordForm(request.POST, request=request)
    if not form.is_valid():
        return _overview(request, form, status=400)
    services.remove_two_factor(user=user, by=user)
    if two_factor.required_because(user):
        messages.info(request, "Your old app no longer works. Set up the app on your phone again to carry on.")
        return redirect("accounts:two_factor_setup")
    messages.success(request, "Two-step sign-in is off. You sign in with your password only.")
    return redirect("accounts:two_factor")
