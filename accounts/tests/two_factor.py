"""Helpers for tests of two-step sign-in: the code an authenticator app shows, and setting one up."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from accounts.tests.factories import PASSWORD

# TOTP codes change every 30 seconds; a code once used is not accepted again, so tests move the clock on.
STEP_SECONDS = 30


def app_code(device: TOTPDevice) -> str:
    """The six digits the person's app shows now (for the frozen clock), from the device's own key."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def set_up_app(user: User) -> tuple[TOTPDevice, list[str]]:
    """Two-step sign-in turned on for ``user``: their app and their recovery codes. Move the clock on by a
    step before signing in with an app code (the code used here is spent)."""
    device = services.start_authenticator(user=user)
    codes = services.confirm_authenticator(device=device, token=app_code(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def sign_in(client, user: User, password: str = PASSWORD):
    """The first step: e-mail and password on the log-in form."""
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password})
