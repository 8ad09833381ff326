"""The day on a tablet: a practitioner logs care for three children and sends feedback; a parent reads it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from children.day.models import Attendance, CareEntry
from children.models import Booking, Child
from children.tests.factories import BookingFactory
from demo.data import load_demo
from keyworker.tests.day import all_day_session
from nursery.models import Room
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_children_booked_now():
    """The demo, with Ava, George and Lily booked today into a session that is running whatever the hour."""
    load_demo()
    three = list(Child.objects.filter(first_name__in=["Ava", "George", "Lily"]).order_by("first_name"))
    session = all_day_session(three[0].nursery)
    Attendance.objects.filter(child__in=three).delete()
    CareEntry.objects.filter(child__in=three).delete()
    Booking.objects.filter(child__in=three).delete()
    for child in three:
        BookingFactory(child=child, session=session, weekday=timezone.localdate().weekday())
    return three


def test_a_meal_a_sleep_and_a_nappy_for_three_children_then_feedback_the_parent_reads(
    live_server, tablet, phone, three_children_booked_now
):
    names = [child.known_as for child in three_children_booked_now]
    rainbows = Room.objects.get(name="Rainbows")
    log_in(tablet, live_server.url, "leah@rainbow.example")

    tablet.goto(f"{live_server.url}/children/rooms/{rainbows.pk}/register/")
    for name in names:
        tablet.get_by_role("button", name=f"Sign in {name}", exact=True).click()
        expect(tablet.get_by_role("button", name=f"Sign out {name}", exact=True)).to_be_visible()

    tablet.get_by_role("link", name="Care log").click()
    taps = 0
    for name in names:
        tablet.locator("label.chip", has_text=name).click()
        taps += 1
    status = tablet.locator("#care-status")
    tablet.get_by_text("Lunch", exact=True).click()
    tablet.get_by_role("button", name="All", exact=True).click()
    expect(status).to_contain_text("Lunch: all: Ava, George and Lily")
    tablet.get_by_role("button", name="Nappy Wet").click()
    expect(status).to_contain_text("Nappy: wet: Ava, George and Lily")
    tablet.get_by_role("button", name="Asleep now").click()
    expect(status).to_contain_text("Asleep: Ava, George and Lily")
    taps += 4
    assert taps <= 12
    expect(tablet.get_by_role("heading", name="Asleep now")).to_be_visible()
    expect(tablet.get_by_role("button", name="Checked Ava")).to_be_visible()
    assert CareEntry.objects.filter(child__in=three_children_booked_now).count() == 9

    tablet.get_by_role("link", name="Feedback", exact=True).click()
    tablet.get_by_role("link", name="Long day").click()
    expect(tablet.get_by_text("Food and drink: lunch (all).").first).to_be_visible()
    tablet.get_by_label("Note for Ava's family (optional)").fill("Ava counted all the ducks in the pond.")
    tablet.get_by_role("button", name="Send feedback").click()
    expect(tablet.get_by_text("Feedback sent for 3 children")).to_be_visible()

    log_in(phone, live_server.url, "sam.taylor@families.example")
    today = phone.locator("#family-today")
    expect(today.get_by_text("End of the long day, from Leah")).to_be_visible()
    expect(today.get_by_text("Ava counted all the ducks in the pond.")).to_be_visible()
    expect(today.get_by_text("Nappies and toilet: nappy wet at").first).to_be_visible()
