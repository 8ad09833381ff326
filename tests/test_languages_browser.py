"""A parent switches KeyStory to Arabic on a phone: the page runs right to left, the menu mirrored."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from demo.data import load_demo
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_chooses_arabic_and_the_page_is_mirrored(live_server, phone):
    load_demo()
    log_in(phone, live_server.url, "jess.ahmed@families.example")
    phone.goto(live_server.url + reverse("children:my_details"))
    phone.get_by_label("Language of your pages and e-mails").select_option("ar")
    phone.get_by_role("button", name="Save my language").click()
    expect(phone.get_by_role("status")).to_contain_text("تم حفظ لغتك")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")

    phone.goto(live_server.url + reverse("keyworker:my_children"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("أطفالي")
    brand = phone.locator(".navbar-brand").bounding_box()
    menu = phone.locator(".navbar-toggler").bounding_box()
    assert brand["x"] > menu["x"]  # the name sits on the right and the menu button on the left
    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
    phone.screenshot(path=str(settings.VAR_DIR / "arabic-my-children.png"))
