"""The installable app: the manifest, the service worker served from the site's root, the offline page."""

import json

import pytest
from django.templatetags.static import static
from django.urls import reverse

from core import pwa

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_service_worker_knows_the_shell_to_keep_and_the_offline_page(client):
    body = client.get("/sw.js").content.decode()
    first_line, rest = body.split("\n", 1)
    config = json.loads(first_line.removeprefix("self.KEYSTORY = ").removesuffix(";"))

    assert config["offline"] == reverse("offline")
    assert static("css/keystory.css") in config["precache"]
    assert static("js/capture.js") in config["precache"]
    assert config["outbox"] == static("js/outbox.js")
    assert 'self.addEventListener("fetch"' in rest


def test_the_service_worker_version_changes_when_a_kept_file_changes(monkeypatch):
    before = pwa.worker_config()["version"]
    source = pwa._source
    monkeypatch.setattr(pwa, "_source", lambda path: source(path) + (b"changed" if path == "js/capture.js" else b""))

    assert pwa.worker_config()["version"] != before


def test_the_service_worker_is_allowed_by_the_content_security_policy(client):
    response = client.get("/sw.js")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy  # the worker's importScripts of outbox.js comes from our origin


def test_the_manifest_makes_keystory_installable(client):
    response = client.get(reverse("manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == "KeyStory"
    assert data["short_name"] == "KeyStory"
    assert data["display"] == "standalone"
    assert data["start_url"] == "/"
    assert data["theme_color"] == "#2f6f5e"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}


@pytest.mark.parametrize("size", [192, 512])
def test_each_icon_is_a_png_of_its_size(client, size):
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find(f"img/icon-{size}.png")) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


def test_every_page_links_the_manifest(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("stories:new")).content.decode()

    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    assert f'<meta name="keystory-user" content="{practitioner.pk}">' in page
    assert static("js/pwa.js") in page


def test_the_offline_page_shows_nothing_about_who_is_signed_in(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("offline")).content.decode()

    assert "No connection to KeyStory" in page
    assert practitioner.full_name not in page
    assert practitioner.email not in page
    assert "Log out" not in page


def test_a_kept_file_that_is_not_there_is_left_out_so_the_worker_still_installs(monkeypatch):
    monkeypatch.setattr(pwa, "SHELL", [*pwa.SHELL, "js/no-such-file.js"])

    precache = pwa.worker_config()["precache"]

    assert static("js/capture.js") in precache
    assert not any("no-such-file" in url for url in precache)
