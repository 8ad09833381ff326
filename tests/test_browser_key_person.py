"""The key person system in the browser: the manager closes the demo's holes, and a parent sees the change."""

import re

import pytest
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_assigns_reassigns_and_moves_a_group_and_a_parent_sees_the_new_key_person(live_server, tablet, phone):
    load_demo()
    zara = Child.objects.get(first_name="Zara")
    log_in(tablet, live_server.url, "manager@rainbow.example")

    # The dashboard shows each hole the demo has.
    starters = tablet.get_by_role("region", name="Children without a key person")
    expect(starters.get_by_role("link", name="Nell Harper", exact=True)).to_be_visible()
    cover = tablet.get_by_role("region", name=re.compile("Key person not in"))
    expect(cover.get_by_text("Buddy Leah Morgan covers").first).to_be_visible()
    shortfalls = tablet.get_by_role("region", name="Ratio shortfalls this week")
    expect(shortfalls.get_by_text("Rainbows").first).to_be_visible()
    expect(tablet.get_by_text("Over their limit: Priya Shah (10 of 8)")).to_be_visible()

    # Assign the unassigned starter.
    tablet.get_by_role("link", name="Choose key person for Nell Harper").click()
    tablet.get_by_role("combobox", name="Key person").select_option(label="Tom Hughes, Caterpillars")
    tablet.get_by_label("Why").fill("Allocated before starting")
    tablet.get_by_role("button", name="Save key person").click()
    expect(tablet.get_by_role("status").filter(has_text="Tom Hughes is Nell's key person")).to_be_visible()
    tablet.goto(f"{live_server.url}/overview/")
    expect(tablet.get_by_text("Every new starter has a key person.")).to_be_visible()

    # Reassign one child, who bonded with someone else.
    tablet.goto(f"{live_server.url}/key-person/{zara.pk}/")
    tablet.get_by_role("combobox", name="Key person").select_option(label="Grace Okafor, Caterpillars")
    tablet.get_by_label("Why").fill("Bonded with Grace")
    tablet.get_by_role("button", name="Save key person").click()
    expect(tablet.get_by_role("heading", name="Key person", exact=True)).to_be_visible()
    expect(tablet.locator("#key-person-heading + div")).to_contain_text("Grace Okafor")

    # Move Ben's whole group to Leah: over her limit, so the manager must say so.
    tablet.goto(f"{live_server.url}/key-groups/")
    tablet.get_by_role("link", name="Move the whole group of Ben Carter").click()
    tablet.get_by_label("New key person").select_option(label="Leah Morgan, Rainbows")
    tablet.get_by_label("Why").fill("Ben is leaving")
    tablet.get_by_role("button", name="Move the group").click()
    expect(tablet.get_by_text("its limit is 8")).to_be_visible()
    tablet.get_by_label("Go over the limit").check()
    tablet.get_by_role("button", name="Move the group").click()
    expect(tablet.get_by_text("6 children moved from Ben Carter to Leah Morgan.")).to_be_visible()
    expect(tablet.get_by_role("region", name="Ben Carter")).to_contain_text("0 key children")

    # Zara's parent sees the new key person and the notice.
    log_in(phone, live_server.url, "jess.ahmed@families.example")
    expect(phone.get_by_text("New key person for Zara:")).to_be_visible()
    expect(phone.get_by_text("Key person: Grace Okafor")).to_be_visible()
