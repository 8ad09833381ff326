"""Families on their phones: consents that change what staff see at once."""

import pytest
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_withdraws_photo_consent_on_a_phone_and_the_key_person_sees_no_photos(live_server, phone, tablet):
    load_demo()
    zara = f"{live_server.url}/children/{Child.objects.get(first_name='Zara').pk}/"
    log_in(tablet, live_server.url, "priya@rainbow.example")
    tablet.goto(zara)
    expect(tablet.locator("main [data-photo-consent]")).to_have_text("Photo consent: Own story only")

    log_in(phone, live_server.url, "jess.ahmed@families.example")
    phone.get_by_role("link", name="Zara Ahmed").click()
    phone.get_by_role("link", name="Photos and sharing: your consents").click()
    own_story = phone.get_by_role("region", name="Photos in my child's own learning story")
    expect(own_story.get_by_text("Given", exact=True)).to_be_visible()
    own_story.get_by_role("button", name="Withdraw consent").click()
    expect(phone.get_by_role("status")).to_contain_text("Consent withdrawn")
    expect(phone.locator("main [data-photo-consent]")).to_have_text("Photo consent: No photos")
    newest = phone.get_by_role("row").nth(1)  # the history, newest first, under its header row
    for cell in ("Photos in my child's own learning story", "Withdrawn", "Jess Ahmed"):
        expect(newest.get_by_role("cell", name=cell, exact=True)).to_be_visible()

    tablet.reload()
    expect(tablet.locator("main [data-photo-consent]")).to_have_text("Photo consent: No photos")
