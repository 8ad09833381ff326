"""setup: a new nursery's first manager, from start_nursery's link, works through the checklist on a tablet,
invites a practitioner and a parent who both accept, becomes a child's key person and marks a SENCO. Nothing
needs /admin/."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from children.models import Child
from keyworker.selectors import key_person_on
from nursery.models import Nursery, StaffMember

from .browser import TABLET, page_at
from .helpers import link_path_in
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "bluebells-in-spring"


def back_to_checklist(page: Page) -> None:
    page.get_by_role("button", name="Setting").click()
    page.get_by_role("link", name="Set-up checklist").click()
    expect(page.get_by_role("heading", name="Set up your nursery", level=1)).to_be_visible()


def step(page: Page, title: str):
    return page.locator(".setup-step").filter(has=page.get_by_role("heading", name=title))


def accept_in_own_browser(browser: Browser, base_url: str, email: str, name: str) -> None:
    """The invited person opens the link in their e-mail on their own tablet and chooses a password."""
    message = next(message for message in mail.outbox if message.to == [email])
    pages = page_at(browser, TABLET)
    page = next(pages)
    page.goto(f"{base_url}{link_path_in(message)}")
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(lambda url: "/invitations/" not in url)
    expect(page.get_by_test_id("current-nursery")).to_have_text("Little Acorns")
    next(pages, None)  # closes it, failing on any console error


def test_a_new_manager_sets_a_password_from_the_printed_link_and_works_through_the_checklist(
    live_server, browser, tablet, settings, tmp_path
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

    # Invite staff: a practitioner
    tablet.get_by_role("link", name="Invite staff").click()
    tablet.get_by_label("Full name").fill("Tom Hughes")
    tablet.get_by_label("E-mail address").fill("tom@example.org")
    tablet.get_by_label("Practitioner").check()
    assert violations(tablet) == []
    tablet.get_by_role("button", name="Send invitation").click()
    expect(tablet.get_by_text("Invitation for tom@example.org saved")).to_be_visible()
    back_to_checklist(tablet)
    expect(step(tablet, "Invite your staff").get_by_text("Done", exact=True)).to_be_visible()

    # Children and their families, from the spreadsheet template
    step(tablet, "Add children and invite their families").get_by_role(
        "link", name="Import children and families (CSV)"
    ).click()
    with tablet.expect_download() as download:
        tablet.get_by_role("link", name="Download the template").click()
    template = tmp_path / "children.csv"
    download.value.save_as(template)
    tablet.get_by_label("Your CSV file").set_input_files(str(template))
    tablet.get_by_role("button", name="Check the file").click()
    expect(tablet.get_by_role("heading", name="Children to add (1)")).to_be_visible()
    tablet.get_by_role("button", name="Import 1 child").click()
    expect(tablet.get_by_text("1 child added.")).to_be_visible()
    back_to_checklist(tablet)
    expect(tablet.get_by_text("All done: Little Acorns is set up.")).to_be_visible()
    assert violations(tablet) == []

    # The practitioner and a parent each accept in their own browser
    accept_in_own_browser(browser, live_server.url, "tom@example.org", "Tom Hughes")
    accept_in_own_browser(browser, live_server.url, "sam.example@example.com", "Sam Example")

    # The manager makes herself Ada's key person, then marks Tom as the SENCO
    ada = Child.objects.get(first_name="Ada")
    tablet.goto(f"{live_server.url}/key-person/{ada.pk}/")
    tablet.get_by_role("combobox", name="Key person").select_option(label="Maya Patel")
    tablet.get_by_label("Why").fill("Allocated before starting")
    tablet.get_by_role("button", name="Save key person").click()
    expect(tablet.get_by_role("status").filter(has_text="Maya Patel is Addie's key person")).to_be_visible()
    tablet.get_by_role("button", name="Setting").click()
    tablet.get_by_role("link", name="Staff", exact=True).click()
    tablet.get_by_role("link", name="Edit post of Tom Hughes").click()
    tablet.get_by_label("SENCO").check()
    tablet.get_by_role("button", name="Save post").click()
    expect(tablet.get_by_text("Tom Hughes's post saved.")).to_be_visible()
    expect(tablet.get_by_role("row", name="Tom Hughes").get_by_text("SENCO")).to_be_visible()
    assert violations(tablet) == []

    assert key_person_on(ada).user.email == "maya@example.org"
    assert StaffMember.objects.get(user__email="tom@example.org").is_senco
    assert ada.guardianships.get().user.email == "sam.example@example.com"
