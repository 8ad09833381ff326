"""A parent on their phone tells the nursery their child is ill; the key person sees it on My key children."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from keyworker.selectors import key_person_on
from tests.browser import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_reports_their_child_ill_on_a_phone_and_the_key_person_sees_it(live_server, phone, tablet):
    load_demo()
    zara = Child.objects.get(first_name="Zara")
    key_person = key_person_on(zara).user

    log_in(phone, live_server.url, "jess.ahmed@families.example")
    phone.get_by_role("link", name="Zara will be off").click()
    phone.get_by_label("First day off").fill(timezone.localdate().isoformat())
    phone.get_by_label("Ill").check()
    phone.get_by_label("Symptoms").fill("A temperature and a cough since last night")
    phone.get_by_role("button", name="Tell the nursery").click()
    expect(phone.get_by_text("Zara is reported off")).to_be_visible()
    reported = phone.get_by_role("region", name="Already reported")
    expect(reported.get_by_text("A temperature and a cough since last night")).to_be_visible()
    expect(reported.get_by_role("link", name="Change")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways

    log_in(tablet, live_server.url, key_person.email)
    tablet.goto(f"{live_server.url}/my-key-children/")
    notice = tablet.locator(".absence-notice", has_text="Off today")
    expect(notice).to_contain_text("A temperature and a cough since last night")
    expect(notice).to_contain_text("Reported by Jess Ahmed")
