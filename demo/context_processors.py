"""The demo banner and the demo accounts listed on the login page, while the site runs in demo mode."""

from django.conf import settings
from django.http import HttpRequest

from .data import DEMO_ACCOUNTS, DEMO_PASSWORD


def demo(request: HttpRequest) -> dict:
    if not settings.DEMO_MODE:
        return {"demo_mode": False}
    return {"demo_mode": True, "demo_accounts": DEMO_ACCOUNTS, "demo_password": DEMO_PASSWORD}
