"""A room move as judged, on a tablet: plan, two trial visits, a handover, the move, the child's page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from keyworker.selectors import key_person_on
from nursery.models import Room
from tests.browser import log_in
from transitions.models import HandoverNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Evie settles with her bunny and likes a story before her nap."


def switch_to(page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, base_url, email)


def at(days: int, hour: int) -> str:
    return f"{timezone.localdate() + timedelta(days=days):%Y-%m-%d}T{hour:02d}:00"


def test_a_room_move_with_two_trial_visits_and_a_handover(live_server, tablet):
    load_demo()
    base, page = live_server.url, tablet
    evie = Child.objects.get(first_name="Evie", last_name="Adams")
    child_page = f"{base}/children/{evie.pk}/"

    # The manager plans Evie's move to Rainbows, with Leah as her new key person.
    log_in(page, base, "manager@rainbow.example")
    page.goto(child_page)
    page.get_by_role("link", name="Plan a room move or leaving").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a move for Evie Adams")
    rainbows = Room.objects.get(nursery=evie.nursery, name="Rainbows")
    expect(page.get_by_label("New room")).to_have_value(str(rainbows.pk))  # suggested: the next room up
    page.get_by_label("Move date").fill(f"{timezone.localdate() + timedelta(days=14):%Y-%m-%d}")
    page.get_by_label("New key person").select_option(label="Leah Morgan, Rainbows")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moving room: Evie Adams")

    # Two trial visits, accompanied by Priya, her key person now.
    for day in (1, 3):
        page.get_by_role("link", name="Plan a trial visit").click()
        page.get_by_label("Starts").fill(at(day, 10))
        page.get_by_label("Ends").fill(at(day, 11))
        page.get_by_label("Who goes with the child").select_option(label="Priya Shah, Butterflies")
        page.get_by_role("button", name="Save visit").click()
        expect(page.get_by_text("Trial visit planned.")).to_be_visible()
    expect(page.get_by_text("No visit has happened yet.")).to_be_visible()

    # How each went: unsettled at first, confident the second time.
    page.get_by_role("link", name="Record how it went").first.click()
    page.get_by_label("Settling, needs more visits").check()
    page.get_by_label("Notes").fill("Stayed close to Priya, then played with the sand.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Evie is not confident yet: 1 visit so far.")).to_be_visible()
    page.get_by_role("link", name="Record how it went").click()
    page.get_by_label("Confident").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Evie was confident at the last visit.")).to_be_visible()
    expect(page.locator("main .badge")).to_have_text("Ready to move")
    plan_url = page.url

    # Priya, the current key person, writes the handover note.
    switch_to(page, base, "priya@rainbow.example")
    page.goto(plan_url)
    page.get_by_label("Note for the new key person").fill(NOTE)
    page.get_by_role("button", name="Save handover note").click()
    expect(page.get_by_text("Handover note saved for the new key person.")).to_be_visible()

    # Leah, the new key person, reads it; it is marked read.
    switch_to(page, base, "leah@rainbow.example")
    page.goto(plan_url)
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text("new for you")).to_be_visible()
    assert HandoverNote.objects.get(text=NOTE).read_at is not None

    # The manager applies the move; Evie's page shows her new room and key person.
    switch_to(page, base, "manager@rainbow.example")
    page.goto(plan_url)
    page.get_by_role("button", name="Move now").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    page.goto(child_page)
    expect(page.locator("#key-person-heading + div")).to_contain_text("Leah Morgan")
    expect(page.locator("main")).to_contain_text("Rainbows")
    evie.refresh_from_db()
    assert evie.room.name == "Rainbows"
    assert key_person_on(evie).user.email == "leah@rainbow.example"
