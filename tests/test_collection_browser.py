"""Collection on a tablet: a parent names a one-off collector for today, and the room's staff sign the child out
with them once they have given the family's collection password."""

import pytest
from playwright.sync_api import expect

from children.collection.models import OneOffCollector
from children.day import services as day
from children.tests.factories import earlier_today
from demo.data import DEMO_PASSWORD
from tests.browser import TABLET, log_in, page_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family_tablet(browser):
    yield from page_at(browser, TABLET)


def test_a_parent_names_a_one_off_collector_and_staff_sign_the_child_out_with_them_after_the_password(
    live_server, tablet, family_tablet, child, parent, practitioner
):
    for person in (parent, practitioner):
        person.set_password(DEMO_PASSWORD)
        person.save()
    day.sign_in(child=child, by=practitioner, at=earlier_today(60))

    log_in(family_tablet, live_server.url, parent.email)
    family_tablet.goto(f"{live_server.url}/children/{child.pk}/")
    family_tablet.get_by_role("link", name="Who may collect, the password and one-off collectors").click()
    family_tablet.get_by_label("New collection password").fill("purple giraffe")
    family_tablet.get_by_label("Type it again").fill("purple giraffe")
    family_tablet.get_by_role("button", name="Set the password").click()
    expect(family_tablet.get_by_text("Collection password saved.")).to_be_visible()
    family_tablet.get_by_label("Their name").fill("Nan Jones")
    family_tablet.get_by_label("Who they are to your child").fill("Neighbour")
    family_tablet.get_by_role("button", name="Name this person").click()
    expect(family_tablet.get_by_text("The nursery will expect Nan Jones to collect Ava today.")).to_be_visible()

    log_in(tablet, live_server.url, practitioner.email)
    tablet.goto(f"{live_server.url}/children/rooms/{child.room_id}/register/")
    expect(tablet.get_by_text("Collected today by Nan Jones (Neighbour, one-off)")).to_be_visible()
    tablet.get_by_label("Who is collecting Ava?").select_option(label="Nan Jones (Neighbour, one-off)")
    password = tablet.get_by_label("Password Nan Jones gives")
    password.fill("purple giraf")
    tablet.get_by_role("button", name="Sign out Ava", exact=True).click()
    expect(tablet.locator("#register-status")).to_contain_text("not the family's collection password")
    expect(tablet.get_by_role("button", name="Sign out Ava", exact=True)).to_be_visible()

    expect(tablet.get_by_label("Who is collecting Ava?")).to_have_value(f"one_off:{OneOffCollector.objects.get().pk}")
    expect(tablet.get_by_label("Password Nan Jones gives")).to_have_value("")
    tablet.get_by_label("Password Nan Jones gives").fill("purple giraffe")
    tablet.get_by_role("button", name="Sign out Ava", exact=True).click()
    expect(tablet.locator("#register-status")).to_contain_text("collected by Nan Jones (Neighbour, one-off)")
    expect(tablet.get_by_role("button", name="Sign in Ava", exact=True)).to_be_visible()
    assert child.attendances.get().collected_by == "Nan Jones (Neighbour, one-off), password given"
