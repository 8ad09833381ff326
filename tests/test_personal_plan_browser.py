"""A personal plan: the key person writes it on a tablet, and a parent agrees it on a phone."""

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_PASSWORD
from keyworker.personal_plans.models import PersonalPlan
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_person_writes_a_plan_on_a_tablet_and_the_parent_agrees_it_on_a_phone(
    live_server, tablet, phone, child, parent, practitioner
):
    for person in (parent, practitioner):
        person.set_password(DEMO_PASSWORD)
        person.save()

    log_in(tablet, live_server.url, practitioner.email)
    tablet.goto(f"{live_server.url}/my-key-children/")
    expect(tablet.get_by_text("No personal plan yet: write one with the family.")).to_be_visible()
    tablet.get_by_role("link", name="Personal plan for Ava Taylor").click()
    tablet.get_by_role("link", name="Write the plan with the family").click()
    tablet.get_by_label("Wellbeing").fill("Settles with a cuddle and her blue blanket.")
    tablet.get_by_label("Care and routines").fill("Naps after lunch. No nuts.")
    tablet.get_by_label("What we are working on").fill("Taking turns\nPutting on her coat")
    tablet.get_by_label("How we work together").fill("We chat at pick-up on Fridays.")
    tablet.get_by_role("button", name="Save the plan").click()
    expect(tablet.get_by_text("Personal plan saved (version 1).")).to_be_visible()
    expect(tablet.get_by_text("not agreed with the family yet")).to_be_visible()

    log_in(phone, live_server.url, parent.email)
    phone.get_by_role("link", name="Ava's personal plan").click()
    expect(phone.get_by_role("heading", name="Care and routines")).to_be_visible()
    expect(phone.get_by_text("Putting on her coat")).to_be_visible()
    phone.get_by_label("We agreed this plan").check()
    phone.get_by_role("button", name="Send to the key person").click()
    expect(phone.get_by_text("We agreed this plan.")).to_be_visible()
    expect(phone.get_by_text("agreed with the family on")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on the phone
    assert PersonalPlan.objects.get().responses.get().author == parent
