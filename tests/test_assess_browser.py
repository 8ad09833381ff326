"""Assessments as a nursery uses them: the manager sets a point, the key person fills in the grid on a
tablet (a slip is caught without losing the typing), the tracker counts it and the family reads it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from learning_stories.models import Assessment
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, base_url, email)


def test_key_person_assesses_zara_on_one_page_and_her_mother_reads_it(live_server, tablet):
    load_demo()
    base, page = live_server.url, tablet
    today = timezone.localdate()

    # The manager adds this term's assessment point.
    log_in(page, base, "manager@rainbow.example")
    page.goto(base + "/stories/assessments/points/")
    page.get_by_label("Name").fill("This term")
    page.get_by_label("First day").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("Last day").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add the point").click()
    expect(page.get_by_text("This term added")).to_be_visible()

    # Priya opens Zara's page, goes to her assessments and the new point.
    switch_to(page, base, "priya@rainbow.example")
    page.get_by_role("link", name="My key children").click()
    page.get_by_role("link", name="Zara Ahmed").first.click()
    page.get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name="This term").click()
    cl = page.locator("fieldset", has_text="Communication and Language")
    cl.get_by_label("Not on track").check()
    cl.get_by_role("textbox").fill("Uses single words; two-word phrases are just starting.")
    pd = page.locator("fieldset", has_text="Physical Development")
    pd.get_by_label("On track", exact=True).check()
    # A slip: a date before the point began. The message says why; the typing is still there.
    page.get_by_label("Date of the assessment").fill((today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the assessments").click()
    expect(page.get_by_text("This term runs from")).to_be_visible()
    expect(cl.get_by_role("textbox")).to_have_value("Uses single words; two-word phrases are just starting.")
    page.get_by_label("Date of the assessment").fill(today.isoformat())
    pd.get_by_role("textbox").fill("Climbs the low frame and jumps off with two feet.")
    page.get_by_role("button", name="Save the assessments").click()
    expect(page.get_by_text("Zara's assessments at This term saved.")).to_be_visible()
    assert Assessment.objects.filter(child__first_name="Zara", point__name="This term").count() == 2

    # The tracker for her key group counts it.
    page.get_by_role("button", name="Planning").click()
    page.get_by_role("link", name="Trackers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tracker: Priya Shah's key group at This term")
    expect(page.locator("tfoot tr").first).to_contain_text("0 of 1")

    # Zara's mother reads it in plain words.
    switch_to(page, base, "jess.ahmed@families.example")
    zara = Child.objects.get(first_name="Zara")
    page.goto(base + reverse("children:detail", args=[zara.pk]))
    expect(page.get_by_text("At This term: 1 of 2 areas developing as expected.")).to_be_visible()
    page.get_by_role("link", name="How Zara is getting on").click()
    expect(page.get_by_text("Needs a little more time and help here").first).to_be_visible()
    expect(page.get_by_text("Climbs the low frame and jumps off with two feet.")).to_be_visible()
