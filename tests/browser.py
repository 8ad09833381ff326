"""Helpers for the browser tests: Debian's Chromium driven by Playwright."""

from collections.abc import Iterator

from playwright.sync_api import Browser, Page

from demo.data import DEMO_PASSWORD

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


def page_at(browser: Browser, viewport: dict) -> Iterator[Page]:
    """A fresh page of the given size that fails the test if the console reports an error."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
    assert page.problems == [], "the browser console reported errors"


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait until the home page has loaded, so the next step acts on it, not on the log-in page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()
