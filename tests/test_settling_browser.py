"""Settling in for a new starter: the key person on a tablet records a session; the parent sees it on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_person_records_a_settling_session_and_the_parent_sees_how_it_went(live_server, tablet, phone):
    load_demo()
    base = live_server.url
    evie = Child.objects.get(first_name="Evie", last_name="Adams")
    Child.objects.filter(pk=evie.pk).update(start_date=timezone.localdate() + timedelta(days=10))
    yesterday = f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}T10:00"  # 10:00 exists every day in London

    # Priya, Evie's key person, sees that Evie needs a plan, starts it and books a session that happened.
    log_in(tablet, base, "priya@rainbow.example")
    tablet.goto(f"{base}/children/{evie.pk}/")
    expect(tablet.get_by_text("Needs a settling-in plan")).to_be_visible()
    tablet.get_by_role("link", name="Open settling in").click()
    tablet.get_by_role("button", name="Start a settling-in plan").click()
    expect(tablet.get_by_text("Settling-in plan started for Evie.")).to_be_visible()
    tablet.get_by_role("link", name="Book a settling session").click()
    tablet.get_by_label("Starts").fill(yesterday)
    tablet.get_by_label("Length in minutes").fill("45")
    tablet.get_by_role("button", name="Book session").click()
    expect(tablet.get_by_text("Settling session booked.")).to_be_visible()
    tablet.get_by_role("link", name="Record how it went").click()
    tablet.get_by_label("Settled", exact=True).check()
    tablet.get_by_label("A short note (the family sees this)").fill("Painted with Priya and waved goodbye.")
    tablet.get_by_label("What helped (the family sees this)").fill("Her bunny from home")
    tablet.get_by_role("button", name="Save", exact=True).click()
    expect(tablet.get_by_text("Session recorded.")).to_be_visible()

    # Kate, Evie's mother, opens it on her phone.
    log_in(phone, base, "kate.adams@families.example")
    phone.goto(f"{base}/children/{evie.pk}/")
    phone.get_by_role("link", name="See the settling-in plan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Evie settling in")
    sessions = phone.locator(".settling-sessions")
    expect(sessions).to_contain_text("45 minutes")
    expect(sessions).to_contain_text("settled well")
    expect(sessions).to_contain_text("Painted with Priya and waved goodbye.")
    expect(sessions).to_contain_text("What helped: Her bunny from home")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
