"""The installable app on a tablet: pages open with no connection, and what is saved offline is sent once."""

import pytest
from playwright.sync_api import Page, expect

from demo.data import load_demo
from tests.browser import log_in

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
