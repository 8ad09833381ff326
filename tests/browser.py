"""Helpers for the browser tests: Debian's Chromium driven by Playwright."""

from collections.abc import Iterator

from playwright.sync_api import Browser, Page

from demo.data import DEMO_PASSWORD
from tests.inflight import wait_until_idle

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 375, "height": 812}
# No internet here: keep Chromium from reaching out, and never download a browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# What Chromium logs for each request made while a test has put the page offline on purpose. Which requests
# those are is up to Chromium: it fetches the favicon again, for one, when the server's clock (time-machine)
# is behind its own and the cached copy looks stale.
OFFLINE = "net::ERR_INTERNET_DISCONNECTED"


def page_at(browser: Browser, viewport: dict) -> Iterator[Page]:
    """A fresh page of the given size that fails the test if the console reports an error."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and OFFLINE not in msg.text and page.problems.append(msg.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
    wait_until_idle()
    assert page.problems == [], f"the browser console reported errors: {page.problems}"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait until the home page has loaded, so the next step acts on it, not on the log-in page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()
