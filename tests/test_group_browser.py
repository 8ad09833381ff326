"""A group owner on a tablet adds a nursery; its new manager accepts the invitation and sees only their own."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory
from core.models import OutgoingMail
from demo.data import DEMO_PASSWORD
from nursery.models import NurseryGroup
from nursery.tests.factories import NurseryFactory, RoomFactory
from tests.browser import TABLET, log_in, page_at
from tests.helpers import link_path_in
from tests.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_adds_a_nursery_whose_new_manager_sees_none_of_the_first_nurserys_children(
    live_server, browser, tablet
):
    group = NurseryGroup.objects.create(name="Rainbow Group")
    rainbow = NurseryFactory(name="Rainbow Nursery", group=group)
    ChildFactory(nursery=rainbow, room=RoomFactory(nursery=rainbow), first_name="Ava", last_name="Taylor")
    owner = UserFactory(email="gill@rainbow.example", full_name="Gill Owner")
    owner.set_password(DEMO_PASSWORD)
    owner.save()
    group.owners.add(owner)

    owner_page = tablet
    log_in(owner_page, live_server.url, "gill@rainbow.example")
    expect(owner_page.get_by_role("heading", level=1)).to_have_text("Rainbow Group: overview across nurseries")
    assert violations(owner_page) == []
    owner_page.get_by_role("button", name="Account menu for").click()
    owner_page.get_by_role("link", name="Add a nursery").click()
    assert violations(owner_page) == []
    owner_page.get_by_label("Nursery name").fill("Meadow Nursery")
    owner_page.get_by_label("First manager's full name").fill("Nia Newman")
    owner_page.get_by_label("First manager's e-mail address").fill("nia@meadow.example")
    owner_page.get_by_role("button", name="Add the nursery and invite its manager").click()
    expect(owner_page.get_by_role("status")).to_contain_text("invitation for nia@meadow.example is on its way")
    expect(owner_page.get_by_role("cell", name="Meadow Nursery")).to_be_visible()
    assert violations(owner_page) == []
    owner_page.get_by_role("link", name="Overview across nurseries").first.click()
    owner_page.get_by_role("link", name="1 children on roll at Rainbow Nursery").click()
    expect(owner_page.get_by_role("heading", level=1)).to_have_text("Rainbow Nursery")
    expect(owner_page.get_by_test_id("current-nursery")).to_have_text("Rainbow Nursery")
    assert violations(owner_page) == []

    assert OutgoingMail.objects.get(to="nia@meadow.example").status == OutgoingMail.Status.SENT
    path = link_path_in(next(message for message in mail.outbox if message.to == ["nia@meadow.example"]))
    second = page_at(browser, TABLET)  # the new manager's own browser
    manager_page = next(second)
    manager_page.goto(f"{live_server.url}{path}")
    manager_page.get_by_label("Choose a password").fill("meadow-grass-42")
    manager_page.get_by_label("Type the password again").fill("meadow-grass-42")
    manager_page.get_by_role("button", name="Create my account").click()
    manager_page.wait_for_url(lambda url: "/invitations/" not in url and "/accounts/" not in url)

    manager_page.goto(f"{live_server.url}/children/")
    expect(manager_page.get_by_test_id("current-nursery")).to_have_text("Meadow Nursery")
    expect(manager_page.get_by_role("main")).not_to_contain_text("Ava")
    manager_page.goto(f"{live_server.url}/overview/")
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Meadow Nursery today")
    expect(manager_page.get_by_role("main")).not_to_contain_text("Ava")
    next(second, None)  # closes it, failing on any console error
