"""Browser fixtures for the cross-app tests."""

import pytest
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM
from tests.browser import CHROMIUM_ARGS, PHONE, TABLET, page_at


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def tablet(browser):
    yield from page_at(browser, TABLET)


@pytest.fixture
def phone(browser):
    yield from page_at(browser, PHONE)
