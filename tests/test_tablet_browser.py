"""tablet: on a 768x1024 tablet, a manager makes the browser the room's tablet; a practitioner switches in with
their PIN, locks it with the button, switches in again and leaves it, and tablet.js locks it when unused."""

import pytest
from playwright.sync_api import expect

from accounts import pins
from demo.data import DEMO_PASSWORD
from tests.browser import log_in

from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_switches_in_on_the_rooms_tablet_and_it_locks(
    live_server, tablet, manager, practitioner, nursery, child
):
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    pins.set_pin(user=practitioner, pin="2468")
    nursery.tablet_idle_minutes = 1
    nursery.save()

    log_in(tablet, live_server.url, manager.email)
    tablet.goto(f"{live_server.url}/nursery/tablets/")
    tablet.get_by_role("combobox", name="Room").select_option(label="Butterflies")
    tablet.get_by_label("Name of this tablet").fill("Butterflies by the door")
    tablet.get_by_role("button", name="Make this browser the room's tablet").click()

    expect(tablet.get_by_role("heading", name="Who's using the tablet?")).to_be_visible()
    expect(tablet.get_by_text("Ava Taylor")).to_be_visible()
    assert violations(tablet) == []
    tablet.goto(f"{live_server.url}/children/")  # any other page: back to the room
    expect(tablet.get_by_role("heading", name="Who's using the tablet?")).to_be_visible()

    tablet.get_by_role("link", name="Priya Practitioner").click()
    tablet.get_by_label("Your PIN").fill("1357")
    tablet.get_by_role("button", name="Switch in").click()
    expect(tablet.get_by_text("That PIN is not right. 4 more wrong PINs")).to_be_visible()
    assert violations(tablet) == []
    tablet.get_by_label("Your PIN").fill("2468")
    tablet.get_by_role("button", name="Switch in").click()
    expect(tablet.get_by_text("Hello Priya.")).to_be_visible()
    expect(tablet.get_by_text("Priya is using it.")).to_be_visible()

    tablet.get_by_role("button", name="Lock").click()
    expect(tablet.get_by_text("The tablet is locked. Choose your name to carry on.")).to_be_visible()
    expect(tablet.get_by_role("heading", name="Who's using the tablet?")).to_be_visible()

    # Switched in again and left alone: tablet.js presses Lock after the nursery's minute.
    tablet.clock.install()
    tablet.get_by_role("link", name="Priya Practitioner").click()
    tablet.get_by_label("Your PIN").fill("2468")
    tablet.get_by_role("button", name="Switch in").click()
    expect(tablet.get_by_text("Priya is using it.")).to_be_visible()
    tablet.clock.fast_forward("01:01")
    expect(tablet.get_by_text("The tablet is locked. Choose your name to carry on.")).to_be_visible()

    # Switched in again and left alone while offline: the lock cannot reach the server, so the page locks itself.
    tablet.get_by_role("link", name="Priya Practitioner").click()
    tablet.get_by_label("Your PIN").fill("2468")
    tablet.get_by_role("button", name="Switch in").click()
    expect(tablet.get_by_text("Priya is using it.")).to_be_visible()
    tablet.context.set_offline(True)
    tablet.clock.fast_forward("01:01")
    expect(tablet.get_by_role("alertdialog", name="Locked — connect to switch in")).to_be_visible()
    expect(tablet.get_by_role("button", name="Lock")).to_have_count(0)  # the page under the cover is inert
    assert violations(tablet) == []
    tablet.context.set_offline(False)  # back online: the server locks it, and the room's page opens
    expect(tablet.get_by_text("The tablet is locked. Choose your name to carry on.")).to_be_visible()
    expect(tablet.get_by_role("alertdialog")).to_have_count(0)
