"""The page shell: friendly error pages, the demo banner, assets served by the app itself."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from core.views import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_friendly_and_keeps_the_navigation(login, parent):
    response = login(parent).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in page
    assert 'aria-label="Main"' in page


def test_the_error_page_says_nothing_saved_is_lost():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Nothing you saved" in response.content.decode()


def test_a_form_sent_without_its_security_token_explains_what_to_do(parent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(parent)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "reload the page and send it again" in response.content.decode()


@pytest.mark.parametrize("demo_mode", [True, False])
def test_only_demo_mode_shows_the_banner_and_the_demo_accounts(client, settings, demo_mode):
    settings.DEMO_MODE = demo_mode
    page = client.get(reverse("accounts:login")).content.decode()
    assert ("Demo mode" in page) is demo_mode
    assert ("Demo accounts" in page) is demo_mode


def test_pages_load_bootstrap_and_htmx_from_this_server_not_a_cdn(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "https://" not in page
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
