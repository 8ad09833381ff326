"""Naming a face on the capture page with a tablet (768 by 1024): the faces found become boxes over the photo,
and tapping one lets the practitioner say which child it is."""

import pytest
from playwright.sync_api import expect

from demo.data import load_demo
from learning_stories.models import PhotoFace
from learning_stories.tests.faces import GROUP_PHOTO
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_taps_a_face_box_and_names_the_child(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.locator("label.chip", has_text="Jack Green").click()
    page.locator("#choose-photos").set_input_files(
        [{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": GROUP_PHOTO}]
    )
    boxes = page.locator("[data-face-box]")
    expect(boxes).to_have_count(2)
    first = page.get_by_role("button", name="Face 1: not named, blurred for families")
    box = first.bounding_box()
    assert box["width"] > 20, "the box has the face's width, not collapsed"
    assert box["height"] > 20, "the box has the face's height, not collapsed"

    first.click()  # the box hands over to its list of children
    select = page.get_by_label("Face 1", exact=True)
    expect(select).to_be_focused()
    select.select_option(label="Zara")

    expect(page.get_by_role("button", name="Face 1: Zara")).to_be_visible()
    face = PhotoFace.objects.order_by("x").first()
    assert face.child.first_name == "Zara"
