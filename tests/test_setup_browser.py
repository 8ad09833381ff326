"""setup: a new nursery's first manager, from start_nursery's link, works through the checklist on a tablet."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from nursery.models import Nursery

from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "bluebells-in-spring"


def back_to_checklist(page: Page) -> None:
    page.get_by_role("button", name="Setting").click()
    page.get_by_role("link", name="Set-up checklist").click()
    expect(page.get_by_role("heading", name="Set up your nursery", level=1)).to_be_visible()


def step(page: Page, title: str):
    return page.locator(".setup-step").filter(has=page.get_by_role("heading", name=title))


def test_a_new_manager_sets_a_password_from_the_printed_link_and_works_through_the_checklist(
    live_server, tablet, settings
):
    settings.SITE_URL = live_server.url
    out = StringIO()
    call_command("start_nursery", name="Little Acorns", manager_email="maya@example.org", stdout=out)
    link = next(line for line in out.getvalue().splitlines() if line.startswith(live_server.url))

    tablet.goto(link)
    tablet.get_by_label("Your full name").fill("Maya Patel")
    tablet.get_by_label("Choose a password").fill(PASSWORD)
    tablet.get_by_label("Type the password again").fill(PASSWORD)
    tablet.get_by_role("button", name="Create my account").click()

    expect(tablet.get_by_role("heading", name="Set up your nursery", level=1)).to_be_visible()
    expect(tablet.get_by_text("0 of 7 steps done.")).to_be_visible()
    assert violations(tablet) == []

    # Nursery details
    tablet.get_by_role("link", name="Fill in the details").click()
    tablet.get_by_label("Address", exact=True).fill("1 Meadow Lane\nNorwich NR1 1AA")
    tablet.get_by_label("Phone number").fill("01603 123456")
    tablet.get_by_label("Ofsted URN").fill("EY123456")
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Save").click()
    expect(step(tablet, "Nursery details").get_by_text("Done", exact=True)).to_be_visible()

    # A room: an empty name is explained, then the room is added
    tablet.get_by_role("link", name="Add rooms").click()
    tablet.get_by_role("link", name="Add a room").click()
    tablet.get_by_label("Youngest age (months)").fill("0")
    tablet.get_by_label("Oldest age (months)").fill("60")
    tablet.get_by_label("Places").fill("12")
    tablet.get_by_role("button", name="Add room").click()
    expect(tablet.get_by_text("This field is required.")).to_be_visible()
    assert violations(tablet) == []
    tablet.get_by_label("Room name").fill("Acorns")
    tablet.get_by_role("button", name="Add room").click()
    expect(tablet.get_by_role("heading", name="Acorns")).to_be_visible()
    assert violations(tablet) == []
    back_to_checklist(tablet)

    # Session times
    tablet.get_by_role("link", name="Set session times").click()
    tablet.get_by_label("Name").fill("Full day")
    tablet.get_by_label("Starts at").fill("08:00")
    tablet.get_by_label("Ends at").fill("18:00")
    tablet.get_by_role("button", name="Add session").click()
    expect(tablet.get_by_text("Full day saved.")).to_be_visible()
    back_to_checklist(tablet)

    # The framework
    tablet.get_by_role("link", name="Choose the framework").click()
    tablet.get_by_label("Framework for new observations").select_option(label="Birth to 5 Matters")
    tablet.get_by_role("button", name="Use this framework").click()
    expect(tablet.get_by_text("New observations now use Birth to 5 Matters.")).to_be_visible()
    back_to_checklist(tablet)

    # Checking observations: kept as it is, from the checklist
    review = step(tablet, "Checking observations before families see them")
    expect(review.get_by_text("Now: a manager checks each observation first.")).to_be_visible()
    review.get_by_role("button", name="Keep this").click()

    expect(tablet.get_by_text("5 of 7 steps done.")).to_be_visible()
    for title in ["Nursery details", "Rooms", "Session times", "The framework you use"]:
        expect(step(tablet, title).get_by_text("Done", exact=True)).to_be_visible()
    expect(
        step(tablet, "Checking observations before families see them").get_by_text("Done", exact=True)
    ).to_be_visible()
    for title in ["Invite your staff", "Add children and invite their families"]:
        expect(step(tablet, title).get_by_text("Not done yet")).to_be_visible()
    assert violations(tablet) == []

    # Until the list is done, the manager's home page is the checklist
    tablet.get_by_role("link", name="KeyStory", exact=True).click()
    expect(tablet.get_by_role("heading", name="Set up your nursery", level=1)).to_be_visible()
    nursery = Nursery.objects.get()
    assert nursery.address == "1 Meadow Lane\nNorwich NR1 1AA"
    assert nursery.ofsted_urn == "EY123456"
