"""The learning story as judged: a practitioner on a tablet, the manager, and two families."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from children.models import Child
from demo.data import load_demo
from learning_stories.models import Observation, ObservationPhoto
from tests.browser import log_in
from tests.images import GPS_IFD, camera_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Built a bridge over the sand river and tested it with a toy car."


def switch_to(page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, base_url, email)


def test_two_photos_of_two_children_reach_each_family_as_consent_allows(live_server, tablet):
    load_demo()
    base = live_server.url
    page = tablet

    # A practitioner observes Zara (her room) and Ava (another room) with two photos, tags two areas, sends.
    log_in(page, base, "priya@rainbow.example")
    page.get_by_role("link", name="Observe").click()
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_text("Children in other rooms").click()
    page.locator("label.chip", has_text="Ava Taylor").click()
    photos = [
        {"name": f"IMG_000{n}.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=1200, height=900)}
        for n in (1, 2)
    ]
    page.locator("#choose-photos").set_input_files(photos)
    expect(page.locator("[data-photo-card]")).to_have_count(2)
    expect(page.locator("[data-photo-card]").first.get_by_label("Ava")).to_be_checked()
    page.get_by_label("What happened?").fill(TEXT)
    page.locator("label.chip", has_text="Physical Development").click()
    page.locator("label.chip", has_text="Understanding the World").click()
    # No faces are found on these photos while Zara's family keeps her to her own story: the practitioner
    # confirms no face of hers shows before sending.
    # (Her tap on "I've checked the faces": learning_stories/tests/test_faces.py drives the button.)
    ObservationPhoto.objects.filter(observation__author__email="priya@rainbow.example").update(faces_checked=True)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Observation: Ava, Zara")
    observation = Observation.objects.get(text=TEXT)
    assert observation.status == Observation.Status.AWAITING_REVIEW
    assert set(observation.areas.values_list("code", flat=True)) == {"PD", "UW"}
    photo_urls = [f"{base}/stories/photos/{photo.pk}/" for photo in observation.photos.all()]
    assert len(photo_urls) == 2

    # The manager publishes it from the review queue.
    switch_to(page, base, "manager@rainbow.example")
    page.get_by_role("link", name="To check").click()
    entry = page.locator("section", has_text=TEXT)
    entry.get_by_role("button", name="Publish to the family").click()
    expect(page.get_by_text("Shared with the family.")).to_be_visible()

    # Parent A (Ava's) sees only Ava's name; the photos, checked to show no face of Zara's, are shown.
    switch_to(page, base, "sam.taylor@families.example")
    page.goto(f"{base}/stories/observations/{observation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Observation: Ava, a friend")
    expect(page.locator("main img")).to_have_count(2)
    assert "Zara" not in page.locator("main").inner_text()
    assert page.request.get(photo_urls[0]).status == 200

    # Zara's family sees the photos (Ava's family agreed), cleaned of the camera's GPS position.
    switch_to(page, base, "jess.ahmed@families.example")
    page.goto(f"{base}/stories/observations/{observation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Observation: a friend, Zara")
    expect(page.locator("main img")).to_have_count(2)
    served = page.request.get(photo_urls[0])
    assert served.status == 200
    image = Image.open(io.BytesIO(served.body()))
    assert image.format == "JPEG"
    assert not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info

    # Parent B, of a child not in the observation, finds neither the observation nor its photos.
    switch_to(page, base, "olivia.green@families.example")
    assert page.goto(f"{base}/stories/observations/{observation.pk}/").status == 404
    for url in photo_urls:
        assert page.request.get(url).status == 404
    page.problems.clear()  # the browser logs the deliberate 404 itself


def test_a_dropped_connection_at_send_keeps_the_observation_and_sends_it_when_back(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.get_by_label("What happened?").fill("Poured water from jug to cup without spilling.")
    page.context.set_offline(True)
    page.get_by_role("button", name="Send for review").click()
    # It waits in the tablet's outbox (static/js/outbox.js), and the page is ready for the next one.
    expect(page.get_by_text("No connection: your observation is kept on this tablet")).to_be_visible()
    expect(page.get_by_role("button", name="Waiting to send: 1")).to_be_visible()

    page.context.set_offline(False)  # the browser fires "online": the outbox sends it by itself
    expect(page.get_by_role("button", name="Waiting to send: 1")).to_have_count(0, timeout=15_000)
    sent = Observation.objects.filter(text__startswith="Poured water")
    assert [observation.status for observation in sent] == [Observation.Status.AWAITING_REVIEW]
    page.problems.clear()  # Chromium logs the failed requests while offline


def test_a_closed_tab_loses_nothing_typed(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.context.set_offline(True)  # nothing reaches the server: only the tablet's own copy is left
    page.locator("label.chip", has_text="Jack Green").click()
    page.get_by_label("What happened?").fill("Jack zipped his coat.")
    page.context.set_offline(False)
    page.close()

    again = page.context.new_page()
    again.goto(f"{live_server.url}/stories/observations/new/")
    expect(again.get_by_label("What happened?")).to_have_value("Jack zipped his coat.")
    expect(again.get_by_text("We brought back an observation that had not been sent.")).to_be_visible()


def test_a_closed_tab_brings_back_a_child_tapped_from_another_room(live_server, tablet):
    load_demo()
    ava = Child.objects.get(first_name="Ava", last_name="Taylor")  # in Caterpillars, not Priya's room
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.get_by_text("Children in other rooms").click()  # fetched now, while the connection is there
    expect(page.locator("label.chip", has_text="Ava Taylor")).to_be_visible()
    page.context.set_offline(True)  # nothing reaches the server: only the tablet's own copy is left
    page.locator("label.chip", has_text="Ava Taylor").click()
    page.get_by_label("What happened?").fill("Ava found a snail under the slide.")
    page.context.set_offline(False)
    page.close()

    again = page.context.new_page()
    again.goto(f"{live_server.url}/stories/observations/new/")
    expect(again.get_by_label("What happened?")).to_have_value("Ava found a snail under the slide.")
    expect(again.locator(f"#child-{ava.pk}")).to_be_checked()  # her chip fetched again before refilling
    expect(again.get_by_label("Next step for Ava")).to_be_visible()


def test_after_saving_a_draft_on_purpose_a_new_observation_starts_empty(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.get_by_label("What happened?").fill("Kept for later.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("link", name="Observe").click()
    expect(page.get_by_label("What happened?")).to_have_value("")
    page.get_by_role("link", name="My unsent observations").click()
    expect(page.get_by_text("Kept for later.")).to_be_visible()
