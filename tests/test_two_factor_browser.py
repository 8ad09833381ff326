"""twofa: a manager turns on two-step sign-in in a browser, then signs in with a code from the app and, another
time, with a recovery code; under the strict Content-Security-Policy (the QR code is inline SVG)."""

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from demo.data import DEMO_PASSWORD
from tests.browser import log_in

from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str) -> str:
    """What an authenticator app shows now for the set-up key the page gave (spaces as shown)."""
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Account menu for").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to KeyStory")).to_be_visible()


def test_a_manager_turns_on_two_step_sign_in_and_signs_in_with_a_code_then_a_recovery_code(
    live_server, tablet, manager
):
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    # The clock ticks on; each sign-in below is a 30-second step later, as a code once used is spent.
    with time_machine.travel(timezone.now(), tick=True) as clock:
        log_in(tablet, live_server.url, manager.email)
        tablet.get_by_role("button", name="Account menu for").click()
        tablet.get_by_role("link", name="Two-step sign-in").click()
        tablet.get_by_role("link", name="Turn on two-step sign-in").click()

        expect(tablet.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
        assert violations(tablet) == []
        secret = tablet.get_by_test_id("two-factor-secret").inner_text()
        tablet.get_by_label("Code from the app").fill("000000")
        tablet.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(tablet.get_by_text("That code is not right.")).to_be_visible()
        clock.shift(2)  # after a wrong code the next waits a second
        tablet.get_by_label("Code from the app").fill(app_code(secret))
        tablet.get_by_role("button", name="Turn on two-step sign-in").click()

        expect(tablet.get_by_role("heading", name="Recovery codes")).to_be_visible()
        codes = tablet.get_by_test_id("recovery-codes").get_by_role("listitem").all_inner_texts()
        assert len(codes) == 10
        tablet.get_by_role("link", name="I have kept them safe: carry on").click()
        log_out(tablet)

        # With a code from the app.
        clock.shift(timedelta(seconds=30))
        log_in(tablet, live_server.url, manager.email)
        expect(tablet.get_by_role("heading", name="Type your code")).to_be_visible()
        assert violations(tablet) == []
        tablet.get_by_label("Code from your app, or a recovery code").fill(app_code(secret))
        tablet.get_by_role("button", name="Carry on").click()
        expect(tablet.get_by_role("link", name="Overview")).to_be_visible()
        log_out(tablet)

        # With a recovery code: it works once, and the page says how many are left.
        log_in(tablet, live_server.url, manager.email)
        tablet.get_by_label("Code from your app, or a recovery code").fill(codes[0])
        tablet.get_by_role("button", name="Carry on").click()
        expect(tablet.get_by_text("That recovery code is now used up; you have 9 left.")).to_be_visible()
        expect(tablet.get_by_role("link", name="Overview")).to_be_visible()
