"""The care log on a tablet under the strict Content-Security-Policy: taps, a short sleep and Undo."""

import re
from datetime import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from children.day.models import Attendance, CareEntry
from children.day.selectors import moment
from children.models import Booking, Child
from children.tests.factories import BookingFactory
from demo.data import load_demo
from keyworker.tests.day import all_day_session
from nursery.models import Room
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning():
    """Half past ten today (the clock ticks on): a time any nursery is open, whatever the real hour."""
    with time_machine.travel(moment(timezone.localdate(), time(10, 30)), tick=True):
        yield


@pytest.fixture
def care_log(morning, live_server, tablet):
    """Leah's tablet on the Rainbows care log, with Ava, George and Lily signed in and nothing logged."""
    load_demo()
    three = list(Child.objects.filter(first_name__in=["Ava", "George", "Lily"]).order_by("first_name"))
    session = all_day_session(three[0].nursery)
    Attendance.objects.filter(child__in=three).delete()
    CareEntry.objects.filter(child__in=three).delete()
    Booking.objects.filter(child__in=three).delete()
    for child in three:
        BookingFactory(child=child, session=session, weekday=timezone.localdate().weekday())
    rainbows = Room.objects.get(name="Rainbows")
    log_in(tablet, live_server.url, "leah@rainbow.example")
    tablet.goto(f"{live_server.url}/children/rooms/{rainbows.pk}/register/")
    for child in three:
        tablet.get_by_role("button", name=f"Sign in {child.known_as}", exact=True).click()
        expect(tablet.get_by_role("button", name=f"Sign out {child.known_as}", exact=True)).to_be_visible()
    tablet.get_by_role("link", name="Care log").click()
    # Until the care log has loaded, a script run in the page may meet the register's document going away.
    tablet.wait_for_url("**/care-log/")
    tablet.wait_for_load_state()
    return tablet


def snapshot(page):
    """What the end-to-end journeys do after each step. Chromium leaves an empty style attribute on the form's
    inputs after a screenshot, which htmx used to copy onto the swapped-in inputs: two CSP errors per tap."""
    page.screenshot()


def test_tapping_a_meal_a_nappy_and_a_sleep_logs_no_console_errors(care_log):
    page = care_log
    page.wait_for_function("() => window.htmx !== undefined")  # the link's page has loaded its scripts
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert "style" not in page.evaluate("htmx.config.attributesToSettle")
    status = page.locator("#care-status")
    page.locator("label.chip", has_text="Ava").click()
    page.locator("label.chip", has_text="George").click()
    snapshot(page)
    page.get_by_text("Lunch", exact=True).click()
    page.get_by_role("button", name="Most", exact=True).click()
    expect(status).to_contain_text("Lunch: most: Ava and George")
    snapshot(page)
    page.get_by_role("button", name="Nappy Soiled").click()
    expect(status).to_contain_text("Nappy: soiled: Ava and George")
    snapshot(page)
    page.get_by_role("button", name="Asleep now").click()
    expect(status).to_contain_text("Asleep: Ava and George")
    snapshot(page)
    page.get_by_role("button", name=re.compile("^Checked.*Ava")).click()
    expect(status).to_contain_text("Sleep checked: Ava")
    snapshot(page)
    page.get_by_role("button", name=re.compile("^Woke up.*George")).click()
    expect(status).to_contain_text("Asleep for under 5 minutes?")
    snapshot(page)
    # The tablet's page fixture fails the test on any console error (e.g. a blocked inline style).
    assert page.problems == []


def test_woke_up_seconds_after_asleep_now_asks_first_and_yes_records_it(care_log):
    page = care_log
    status = page.locator("#care-status")
    page.locator("label.chip", has_text="Lily").click()
    page.get_by_role("button", name="Asleep now").click()
    expect(status).to_contain_text("Asleep: Lily")
    page.get_by_role("button", name="Woke up", exact=True).click()
    expect(status).to_contain_text("Asleep for under 5 minutes? Lily at")
    assert CareEntry.objects.get(child__first_name="Lily").ends_at is None
    expect(page.locator("label.chip", has_text="Lily")).to_have_class(re.compile("chip"))
    assert page.locator("#chip-" + str(Child.objects.get(first_name="Lily").pk)).is_checked()

    page.get_by_role("link", name="No, still asleep").click()
    expect(status).to_be_empty()
    expect(page.get_by_role("button", name=re.compile("^Woke up.*Lily"))).to_be_visible()

    page.get_by_role("button", name="Woke up", exact=True).click()
    page.get_by_role("button", name="Yes, woke up").click()
    expect(status).to_contain_text("Woke up: Lily")
    expect(page.get_by_text(re.compile(r"Slept \d\d:\d\d to \d\d:\d\d \(0 min\)"))).to_be_visible()


def test_undo_takes_back_the_last_tap_and_is_gone_after_ten_seconds(care_log):
    page = care_log
    page.clock.install()
    status = page.locator("#care-status")
    page.locator("label.chip", has_text="Ava").click()
    page.get_by_role("button", name="Nappy Wet").click()
    expect(status).to_contain_text("Nappy: wet: Ava")
    page.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Taken back: Nappy: wet for Ava.")
    expect(page.get_by_text("Nothing logged yet today.")).to_be_visible()
    assert not CareEntry.objects.filter(child__first_name="Ava").exists()

    page.get_by_role("button", name="Nappy Dry").click()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    # The ten seconds start once htmx has settled the offer in (its timer is set then), not at the click.
    expect(page.locator("[data-undo-offer][data-armed]")).to_have_count(1)
    page.clock.fast_forward(11_000)
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    expect(status).to_contain_text("Nappy: dry: Ava")
