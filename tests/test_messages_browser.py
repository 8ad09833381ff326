"""A parent on a phone writes to the key person, who replies on a tablet with a photo of the child (her family
agreed to photos); the parent sees the reply and the photo waiting."""

import pytest
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from keyworker.selectors import key_person_on
from tests.browser import log_in
from tests.images import camera_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_writes_on_a_phone_the_key_person_replies_on_a_tablet_and_the_parent_sees_it_unread(
    live_server, phone, tablet
):
    load_demo()
    zara = Child.objects.get(first_name="Zara")
    key_person = key_person_on(zara).user

    log_in(phone, live_server.url, "jess.ahmed@families.example")
    phone.get_by_role("button", name="Show menu").click()
    phone.get_by_role("link", name="Messages").click()
    phone.get_by_role("link", name="Messages about Zara").click()
    expect(phone.get_by_test_id("opening-hours")).to_contain_text("We usually reply during opening hours")
    phone.get_by_label("Your message").fill("Zara has a little cough today.")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_test_id("thread")).to_contain_text("Zara has a little cough today.")
    expect(phone.get_by_test_id("receipt")).to_have_text("Not read yet")

    log_in(tablet, live_server.url, key_person.email)
    expect(tablet.get_by_test_id("unread-count")).to_contain_text("1")
    tablet.get_by_role("link", name="Messages").click()
    tablet.get_by_role("link", name="Zara Ahmed").click()
    expect(tablet.get_by_test_id("thread")).to_contain_text("Zara has a little cough today.")
    tablet.get_by_label("Your message").fill("Thank you, we will keep an eye on her.")
    tablet.get_by_label("Add a photo (optional)").set_input_files(
        {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=1200, height=900)}
    )
    expect(tablet.get_by_text("Tick nobody if only Zara is in it.")).to_be_visible()  # default: Zara alone
    tablet.get_by_role("button", name="Send").click()
    expect(tablet.get_by_test_id("thread")).to_contain_text("Thank you, we will keep an eye on her.")
    expect(tablet.get_by_test_id("message-photo")).to_have_count(1)

    phone.goto(f"{live_server.url}/")  # the family's home page: the reply waits in the navigation
    expect(phone.get_by_test_id("unread-count-phone")).to_contain_text("1")
    phone.get_by_test_id("unread-count-phone").click()
    expect(phone.get_by_test_id("family-conversations")).to_contain_text("1 new")
    phone.get_by_role("link", name="Messages about Zara").click()
    expect(phone.get_by_test_id("thread")).to_contain_text("Thank you, we will keep an eye on her.")
    photo = phone.get_by_test_id("message-photo")
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    expect(phone.get_by_test_id("receipt")).to_have_text(f"Seen by {key_person.get_short_name()}")
    expect(phone.get_by_test_id("unread-count-phone")).to_have_count(0)
