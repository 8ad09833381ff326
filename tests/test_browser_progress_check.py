"""The progress check at two as judged: the key person writes and shares it on a tablet, the parent reads
it on a phone and adds their view, and the key person reads the view and completes the check."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo.data import load_demo
from learning_stories.models import ProgressCheck
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEW = "Zara talks about her friends at tea time and now tries her coat on by herself."
AREAS = {
    "Communication and Language": "Zara uses two and three word sentences and loves naming animals.",
    "Physical Development": "Zara runs and climbs confidently and turns the pages of a book.",
    "Personal, Social and Emotional Development": "Zara settles quickly and plays alongside friends.",
}


def test_the_key_person_completes_a_check_that_the_parent_reads_and_comments_on(live_server, tablet, phone):
    load_demo()
    base = live_server.url

    # The key person finds Zara on the due list and starts her check.
    log_in(tablet, base, "priya@rainbow.example")
    tablet.get_by_role("button", name="Planning").click()
    tablet.get_by_role("link", name="Progress checks at two").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Progress checks at age two")
    due = tablet.get_by_role("region", name="Due")
    due.get_by_role("button", name="Start the check for Zara").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Progress check at age two: Zara Ahmed")
    expect(tablet.get_by_role("complementary")).to_contain_text("Zara stacked six blocks")  # evidence beside

    # A summary per prime area, progress as expected, saved as a draft first.
    for area, summary in AREAS.items():
        tablet.get_by_label(f"{area}: summary").fill(summary)
        tablet.get_by_role("group", name=f"Is progress in {area} as expected?").get_by_label("Yes").check()
    tablet.get_by_role("button", name="Save draft").click()
    expect(tablet.get_by_text("Draft saved.")).to_be_visible()
    cl = "Communication and Language"
    expect(tablet.get_by_label(f"{cl}: summary")).to_have_value(AREAS[cl])

    tablet.get_by_label("What Zara is good at").fill("Zara is a confident explorer who loves books.")
    tablet.get_by_label("What the nursery will do").fill("Offer Zara new words at story time.")
    tablet.get_by_label("What the family can do at home").fill("Name things together on walks.")
    tablet.get_by_role("button", name="Share with the family").click()
    expect(tablet.get_by_text("Shared with Zara's family.")).to_be_visible()
    # Zara's family has not agreed to sharing with the health visitor: no button to do it.
    expect(tablet.get_by_text("has not agreed to the nursery sharing with the health visitor")).to_be_visible()
    expect(tablet.get_by_role("button", name="Record that it was given to the health visitor")).to_have_count(0)
    check = ProgressCheck.objects.get(child__first_name="Zara")
    assert check.status == ProgressCheck.Status.SHARED
    assert [m.to for m in mail.outbox] == [["jess.ahmed@families.example"]]

    # The parent is told on their home page, reads the check on a phone and adds their view.
    log_in(phone, base, "jess.ahmed@families.example")
    phone.get_by_role("link", name="Read Zara's progress check").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Progress check at age two: Zara Ahmed")
    expect(phone.get_by_text(AREAS["Physical Development"])).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    phone.get_by_label("Your view").fill(VIEW)
    phone.get_by_role("button", name="Send my view").click()
    expect(phone.get_by_text("Thank you. Your view is saved")).to_be_visible()
    expect(phone.locator("[data-parent-view]")).to_have_text(VIEW)

    # The key person sees the family's view and completes the check.
    tablet.get_by_role("button", name="Planning").click()
    tablet.get_by_role("link", name="Progress checks at two").click()
    shared = tablet.get_by_role("region", name="Shared with families, not yet completed")
    zara = shared.get_by_role("listitem").filter(has_text="Zara Ahmed")
    expect(zara.get_by_text("Family's view added")).to_be_visible()
    zara.get_by_role("link", name="Zara Ahmed").click()
    expect(tablet.locator("[data-parent-view]")).to_have_text(VIEW)
    tablet.get_by_role("button", name="Mark the check completed").click()
    expect(tablet.get_by_text("Zara's progress check is completed.")).to_be_visible()
    check.refresh_from_db()
    assert check.status == ProgressCheck.Status.COMPLETED
    assert check.parent_comments == VIEW
