"""The installable app on a tablet: pages open with no connection, and what is saved offline is sent once."""

import pytest
from playwright.sync_api import Page, expect

from demo.data import load_demo
from learning_stories.models import Observation
from tests.browser import log_in
from tests.images import camera_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


KEPT_PAGES = "caches.open('keystory-pages').then(cache => cache.keys()).then(keys => keys.length)"


def wait_for_service_worker(page: Page) -> None:
    """Until the service worker looks after this page (it claims the page once installed)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def open_as_practitioner(page: Page, base_url: str, path: str) -> None:
    log_in(page, base_url, "priya@rainbow.example")
    page.goto(f"{base_url}{path}")
    wait_for_service_worker(page)
    page.reload()  # opened under the worker: now kept on the tablet


def test_the_capture_page_opens_again_with_no_connection(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    page.context.set_offline(True)

    page.reload()

    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    expect(page.locator("label.chip", has_text="Zara Ahmed")).to_be_visible()


def test_a_page_never_opened_shows_the_offline_page(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/children/")

    expect(page.get_by_role("heading", name="No connection to KeyStory")).to_be_visible()


def test_signing_out_forgets_the_pages_kept_on_the_tablet(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    assert page.evaluate(KEPT_PAGES) == 1

    page.evaluate("document.querySelector('form[action$=\"/accounts/logout/\"]').requestSubmit()")
    page.wait_for_url("**/accounts/login/**")
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/stories/observations/new/")

    expect(page.get_by_role("heading", name="No connection to KeyStory")).to_be_visible()
    assert page.evaluate(KEPT_PAGES) == 0


def photos(prefix: str) -> list[dict]:
    return [
        {"name": f"{prefix}_{n}.JPG", "mimeType": "image/jpeg", "buffer": camera_jpeg(width=640, height=480)}
        for n in (1, 2)
    ]


def observe_offline(page: Page, child: str, text: str, prefix: str) -> None:
    page.locator("label.chip", has_text=child).click()
    page.get_by_label("What happened").fill(text)
    page.locator("#choose-photos").set_input_files(photos(prefix))
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/stories/observations/new/?fresh=1&queued=1")
    expect(page.locator("#offline-notice")).to_contain_text("kept on this tablet")


def test_observations_made_offline_reach_the_server_once_each_with_their_photos(live_server, tablet):
    load_demo()
    page = tablet
    open_as_practitioner(page, live_server.url, "/stories/observations/new/")
    page.context.set_offline(True)

    observe_offline(page, "Zara Ahmed", "Zara poured water from jug to cup.", "ZARA")
    observe_offline(page, "Jack Green", "Jack counted five ducks.", "JACK")

    expect(page.locator("#outbox-toggle")).to_have_text("Waiting to send: 2")
    page.locator("#outbox-toggle").click()
    expect(page.locator("[data-outbox-item]").first).to_contain_text("Zara poured water")
    assert not Observation.objects.filter(text__contains="poured").exists()

    # The page is closed; later the connection comes back and someone opens KeyStory.
    context = page.context
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(f"{live_server.url}/children/")
    expect(again.locator("#outbox-toggle")).to_be_hidden(timeout=20_000)
    again.reload()  # a second page load sends nothing more
    again.wait_for_load_state("networkidle")

    zara = Observation.objects.get(text="Zara poured water from jug to cup.")
    jack = Observation.objects.get(text="Jack counted five ducks.")
    assert zara.status == jack.status == Observation.Status.AWAITING_REVIEW
    assert [c.known_as for c in zara.children.all()] == ["Zara"]
    assert zara.photos.count() == jack.photos.count() == 2
    assert Observation.objects.filter(text__contains="poured").count() == 1
    assert again.evaluate("KeyStoryOutbox.all().then(items => items.length)") == 0
