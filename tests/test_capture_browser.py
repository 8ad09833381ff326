"""The capture page and the review queue on a tablet (768 by 1024), as a practitioner and a manager use them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from children.models import Child
from demo.data import load_demo
from learning_stories.models import Observation
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from tests.browser import TABLET, log_in
from tests.images import camera_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_each_tick_beside_its_name(card: Locator, names: list[str]) -> None:
    rows = card.locator("[data-photo-child]:visible")
    expect(rows).to_have_count(len(names))
    for row, name in zip(rows.all(), names, strict=True):
        # Both measured at once: the faces panel above can grow while the card is on the page.
        tick, label = row.evaluate(
            """row => [row.querySelector("input[type=checkbox]"), row.querySelector("label")].map(element => {
                const box = element.getBoundingClientRect();
                return {x: box.x, y: box.y, width: box.width, height: box.height};
            })"""
        )
        assert row.locator("label").inner_text() == name
        # On the same line: the two boxes overlap vertically ...
        assert tick["y"] < label["y"] + label["height"], f"{name}'s tick sits above the name"
        assert label["y"] < tick["y"] + tick["height"], f"{name}'s tick sits below the name"
        # ... and the tick just left of the name.
        gap = label["x"] - (tick["x"] + tick["width"])
        assert 0 <= gap <= 16, f"{name}'s tick is {gap:.0f} px from the name"


def test_each_photo_tick_sits_beside_its_own_childs_name(live_server, tablet):
    load_demo()
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.locator("label.chip", has_text="Jack Green").click()
    page.locator("#choose-photos").set_input_files(
        [
            {"name": f"IMG_000{n}.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=1200, height=900)}
            for n in (1, 2)
        ]
    )
    cards = page.locator("[data-photo-card]")
    expect(cards).to_have_count(2)
    for card in cards.all():
        assert_each_tick_beside_its_name(card, ["Jack", "Zara"])

    # The cards the server draws when the draft is opened again are laid out the same way.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(cards).to_have_count(2)
    for card in cards.all():
        assert_each_tick_beside_its_name(card, ["Jack", "Zara"])


def test_a_new_photo_says_it_is_being_prepared_until_the_worker_has_made_it(live_server, tablet, monkeypatch):
    from core.images import fill_thumbnail_of
    from core.queue import Dispatch
    from learning_stories.models import ObservationPhoto
    from learning_stories.observations import services

    load_demo()
    # As with a worker (REDIS_URL set): the upload queues the photo task, which has not run yet.
    monkeypatch.setattr(services, "queue_thumbnail", lambda photo: Dispatch(queued=True))
    page = tablet
    log_in(page, live_server.url, "priya@rainbow.example")
    page.goto(f"{live_server.url}/stories/observations/new/")
    page.locator("label.chip", has_text="Zara Ahmed").click()
    page.locator("#choose-photos").set_input_files(
        [{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=1200, height=900)}]
    )
    card = page.locator("[data-photo-card]")
    expect(card.get_by_role("status")).to_have_text("Photo being prepared…")
    assert_each_tick_beside_its_name(card, ["Zara"])

    photo = ObservationPhoto.objects.exclude(original="").get()
    fill_thumbnail_of(model_label="learning_stories.ObservationPhoto", pk=photo.pk)  # the worker's turn

    # The card asks again every 2 s and shows the photo by itself (its preview comes first), the ticks untouched.
    expect(card.locator("img").first).to_have_attribute("src", f"/stories/photos/{photo.pk}/thumbnail/", timeout=10_000)
    expect(card.get_by_role("status")).to_have_count(0)
    assert_each_tick_beside_its_name(card, ["Zara"])


def long_entry_waiting_for_review() -> Observation:
    """An observation with a long account and four photos, the first in the review queue."""
    zara = Child.objects.get(first_name="Zara", last_name="Ahmed")
    text = " ".join(
        f"Step {n}: Zara fetched another bucket of sand, patted it flat and told us what she was building."
        for n in range(1, 25)
    )
    submitted = timezone.now() - timedelta(days=30)
    entry = ObservationFactory(
        nursery=zara.nursery,
        children=[zara],
        text=text,
        status=Observation.Status.AWAITING_REVIEW,
        observed_at=submitted,
        submitted_at=submitted,
    )
    for _ in range(4):
        ObservationPhotoFactory(observation=entry, children=[zara])
    return entry


def assert_in_view_and_on_top(page: Page, button: Locator) -> None:
    box = button.bounding_box()
    assert box["y"] >= 0, "the button is above the screen"
    assert box["y"] + box["height"] <= TABLET["height"], f"the button is below the screen (y={box['y']:.0f})"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert button.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", [x, y]), "covered"


def test_publish_in_the_review_queue_is_within_reach_without_scrolling(live_server, tablet):
    load_demo()
    entry = long_entry_waiting_for_review()
    page = tablet
    log_in(page, live_server.url, "manager@rainbow.example")
    page.get_by_role("link", name="To check").click()

    section = page.locator("section", has_text="Step 24: Zara")
    expect(section.get_by_role("heading", level=2)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > TABLET["height"]  # a long page
    assert page.evaluate("window.scrollY") == 0
    publish = section.get_by_role("button", name="Publish to the family")
    assert_in_view_and_on_top(page, publish)

    # Halfway down the entry, its button is still there, at the foot of the screen.
    # Scrolled by script: a wheel scroll is smooth and may not have moved yet when the page is read, and
    # wait_for_function's polling needs eval, which the page's CSP refuses.
    page.evaluate("window.scrollTo(0, 600)")
    assert page.evaluate("window.scrollY") == 600
    assert_in_view_and_on_top(page, publish)

    publish.click()
    expect(page.get_by_text("Shared with the family.")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == Observation.Status.PUBLISHED
