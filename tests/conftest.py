"""Browser fixtures for the cross-app tests."""

import environ
import pytest
from playwright.sync_api import sync_playwright

from config.settings import s3_media_storage
from conftest import CHROMIUM
from tests.browser import CHROMIUM_ARGS, PHONE, TABLET, page_at
from tests.s3 import Bucket, media_variables, moto_server, new_bucket


@pytest.fixture(autouse=True)
def _browser_sign_in_as_in_the_demo(request):
    """Browser tests sign in through the form as the demo's people, as ``make run`` does: two-step sign-in is
    offered, not forced (TWO_FACTOR_REQUIRED off, as in demo mode). Tests marked ``two_factor`` keep the rule."""
    if request.node.get_closest_marker("browser") and not request.node.get_closest_marker("two_factor"):
        request.getfixturevalue("settings").TWO_FACTOR_REQUIRED = False


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


@pytest.fixture(scope="module")
def s3_endpoint():
    """The address of moto's S3 server, started locally for the module's tests (see tests/s3.py)."""
    yield from moto_server()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A fresh bucket, and KeyStory's media storage switched to it through the environment variables."""
    bucket = new_bucket(s3_endpoint)
    for variable, value in media_variables(bucket).items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_storage(environ.Env())}
    return bucket
