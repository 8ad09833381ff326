"""Medicines: a parent asks on a phone, a practitioner gives the dose with a witness on a tablet, the parent
reads it the same day."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from children.medicines.models import MedicineDose
from children.models import Child
from children.tests.factories import AttendanceFactory
from demo.data import load_demo
from nursery.models import Room
from tests.browser import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ava_here():
    """The demo, with Ava signed in (since midnight at the latest, so any hour works)."""
    load_demo()
    ava = Child.objects.get(first_name="Ava", last_name="Taylor")
    ava.attendances.all().delete()
    AttendanceFactory(child=ava)
    return ava


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_parent_asks_staff_give_it_with_a_witness_and_the_parent_reads_it(live_server, tablet, phone, ava_here):
    # The dose is given now: the family agrees to now, so the time needs no reason (tested on its own).
    agreed = f"{timezone.localtime():%H:%M}"
    log_in(phone, live_server.url, "sam.taylor@families.example")
    phone.goto(f"{live_server.url}/children/{ava_here.pk}/")
    phone.get_by_role("link", name="Ask the nursery to give a medicine to Ava").click()
    phone.get_by_label("Name of the medicine").fill("Amoxicillin")
    phone.locator("#id_dose").fill("5 ml")  # the label reads "Dose*"
    phone.get_by_label("Prescribed by").fill("Dr Patel")
    phone.get_by_label("Times to give it").fill(agreed)
    phone.get_by_label("What it is for").fill("Ear infection")
    assert fits(phone)
    phone.get_by_label("I give my permission", exact=False).check()
    phone.get_by_role("button", name="Give permission").click()
    expect(phone.get_by_text("Thank you. The nursery can now give Amoxicillin to Ava.")).to_be_visible()
    expect(phone.get_by_text("Given by Sam Taylor with their account")).to_be_visible()

    rainbows = Room.objects.get(name="Rainbows")
    log_in(tablet, live_server.url, "leah@rainbow.example")
    tablet.goto(f"{live_server.url}/children/rooms/{rainbows.pk}/register/")
    tablet.get_by_role("link", name="Medicines", exact=True).click()
    expect(tablet.get_by_text(f"Due at {agreed}")).to_be_visible()
    tablet.get_by_role("link", name="Record a dose of Amoxicillin for Ava").click()
    expect(tablet.get_by_label("Dose given")).to_have_value("5 ml")
    tablet.get_by_label("Witness").select_option(label="Ben Carter")
    tablet.get_by_role("button", name="Save the dose").click()
    expect(tablet.get_by_text("Saved: Amoxicillin for Ava.", exact=False)).to_be_visible()
    dose = MedicineDose.objects.get()
    assert (dose.given_by.full_name, dose.witness.full_name) == ("Leah Morgan", "Ben Carter")

    phone.goto(f"{live_server.url}/")
    medicines = phone.locator("section", has=phone.get_by_role("heading", name="Medicines given"))
    expect(medicines.get_by_text("Given by Leah Morgan, seen by Ben Carter")).to_be_visible()
    assert fits(phone)
    medicines.get_by_role("button", name="I have read this").click()
    expect(phone.get_by_text("Thank you: the nursery can see you have read it.")).to_be_visible()
    dose.refresh_from_db()
    assert dose.acknowledged_by.full_name == "Sam Taylor"
