"""The demo, as people use it: Debian's Chromium at tablet and phone sizes, driven by Playwright."""

import pytest
from playwright.sync_api import expect

from demo.data import DEMO_ACCOUNTS, load_demo
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    "manager@rainbow.example": "Rainbow Nursery today",
    "priya@rainbow.example": "My key children",
    "sam.taylor@families.example": "My children",
    "jess.ahmed@families.example": "My children",
    "jo.fox@families.example": "My children",  # move: the demo leaver's family
}


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.what.split(",")[0])
def test_each_demo_account_logs_in_on_a_tablet_and_sees_its_home(live_server, tablet, account):
    load_demo()
    log_in(tablet, live_server.url, account.email)
    expect(tablet.get_by_role("heading", level=1)).to_have_text(HOMES[account.email])
    expect(tablet.get_by_text("Demo mode")).to_be_visible()


def test_the_login_page_shows_the_demo_accounts_and_fills_the_form(live_server, tablet):
    load_demo()
    tablet.goto(f"{live_server.url}/accounts/login/")
    expect(tablet.get_by_role("heading", name="Demo accounts")).to_be_visible()
    tablet.get_by_role("button", name="Use Manager").click()
    tablet.get_by_role("button", name="Log in").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Rainbow Nursery today")


def test_parent_on_a_phone_opens_the_menu_and_sees_both_children(live_server, phone):
    load_demo()
    log_in(phone, live_server.url, "sam.taylor@families.example")
    expect(phone.get_by_role("heading", name="Ava Taylor")).to_be_visible()
    expect(phone.get_by_role("heading", name="Leo Taylor")).to_be_visible()
    phone.get_by_role("button", name="Show menu").click()
    expect(phone.get_by_role("link", name="My children")).to_be_visible()
    phone.get_by_role("button", name="Account menu for Sam").click()
    phone.get_by_role("button", name="Log out").click()
    # Logging out is a POST and a redirect: on a busy CI machine the live server can take longer than 5 s.
    expect(phone.get_by_role("heading", name="Log in to KeyStory")).to_be_visible(timeout=20_000)


def test_parent_who_changes_the_address_to_another_child_sees_not_found(live_server, tablet):
    from children.models import Child

    load_demo()
    other = Child.objects.get(first_name="Zara")
    log_in(tablet, live_server.url, "sam.taylor@families.example")
    response = tablet.goto(f"{live_server.url}/children/{other.pk}/")
    assert response.status == 404
    expect(tablet.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    tablet.problems.clear()  # the browser logs the 404 response itself as a console error
