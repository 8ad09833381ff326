"""deploy/nginx/keystory.conf run by Debian's nginx in front of KeyStory: a photo only through KeyStory's check."""

import http.client
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from children.models import ConsentPurpose
from children.tests.factories import consent
from conftest import require
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True)]

NGINX = Path("/usr/sbin/nginx")
SITE = django_settings.BASE_DIR / "deploy" / "nginx" / "keystory.conf"
ACCEL_PREFIX = "/private-media/"  # the README's PRIVATE_MEDIA_ACCEL_REDIRECT, and the site's internal location


class Response(NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Nginx(NamedTuple):
    https_port: int
    http_port: int
    static_root: Path
    context: ssl.SSLContext  # trusts the test's self-signed certificate

    def get(self, path: str, *, session: str | None = None, headers: dict | None = None) -> Response:
        connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.context, timeout=10)
        headers = dict(headers or {})
        if session:
            headers["Cookie"] = f"{django_settings.SESSION_COOKIE_NAME}={session}"
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def substitute(text: str, pattern: str, replacement: str) -> str:
    """``re.sub`` that insists the site still has what the test replaces (multi-line patterns)."""
    changed, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count, f"deploy/nginx/keystory.conf no longer matches {pattern!r}"
    return changed


def site_for_test(upstream: str, *, https_port: int, http_port: int, folder: Path) -> str:
    """The production site with this machine's ports, certificate, upstream and folders in place of /srv."""
    site = SITE.read_text()
    site = substitute(site, r"^\s*listen \[::\].*\n", "")  # CI containers may have no IPv6
    site = substitute(site, r"listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = substitute(site, r"ssl_certificate .*;", f"ssl_certificate {folder / 'cert.pem'};")
    site = substitute(site, r"ssl_certificate_key .*;", f"ssl_certificate_key {folder / 'key.pem'};")
    site = substitute(site, r"keystory\.example\.org", "127.0.0.1")
    site = substitute(site, r"server 127\.0\.0\.1:8000;", f"server {upstream};")
    site = substitute(site, r"/srv/keystory/staticfiles/", f"{folder / 'static'}/")
    return substitute(site, r"/srv/keystory/var/media/", f"{folder / 'media'}/")


def main_config(site: str, folder: Path) -> str:
    """What /etc/nginx/nginx.conf gives a site, with every file nginx writes kept in ``folder``."""
    user = pwd.getpwuid(os.geteuid()).pw_name  # as root, workers would otherwise drop to nobody
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # Debian's defaults are in /var/lib/nginx
    temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in kinds)
    return f"""user {user};
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder / "access.log"};
{temporary}
{site}
}}
"""


def self_signed_certificate(folder: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip


def wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped: {log.read_text() if log.exists() else process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx did not start listening")


@pytest.fixture
def nginx(live_server, settings, tmp_path) -> Iterator[Nginx]:
    """Debian's nginx in the foreground, unprivileged ports, in front of the live server; media in ``tmp_path``."""
    require(NGINX.exists(), f"nginx is not installed at {NGINX} (apt-get install nginx)")
    require(shutil.which("openssl") is not None, "openssl is not installed")
    for folder in ("static", "media", "logs", "live-server-media"):
        (tmp_path / folder).mkdir()
    # Files go where nginx's internal location points. Django's live server (a test convenience, not production)
    # would itself send any file under MEDIA_ROOT, here at every path since there is no MEDIA_URL: keep it empty.
    settings.MEDIA_ROOT = tmp_path / "live-server-media"
    media = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}
    settings.STORAGES = {**settings.STORAGES, "default": media}
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = ACCEL_PREFIX
    self_signed_certificate(tmp_path)
    https_port, http_port = free_port(), free_port()
    upstream = f"127.0.0.1:{urlsplit(live_server.url).port}"
    site = site_for_test(upstream, https_port=https_port, http_port=http_port, folder=tmp_path)
    assert f"location {ACCEL_PREFIX} {{\n        internal;" in site
    config = tmp_path / "nginx.conf"
    config.write_text(main_config(site, tmp_path))
    log = tmp_path / "logs" / "error.log"
    directives = f"daemon off; pid {tmp_path / 'nginx.pid'}; error_log {log};"
    process = subprocess.Popen([NGINX, "-p", f"{tmp_path}/", "-c", str(config), "-g", directives])
    try:
        wait_until_listening(https_port, process, log)
        context = ssl.create_default_context(cafile=tmp_path / "cert.pem")
        yield Nginx(https_port, http_port, tmp_path / "static", context)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def session() -> Callable[..., str]:
    """``session(user)``: the session cookie's value for that person, signed in."""

    def make(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[django_settings.SESSION_COOKIE_NAME].value

    return make


def stored(photo) -> bytes:
    with photo.image.open("rb") as file:
        return file.read()


@pytest.fixture
def photo(child, nursery):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    return ObservationPhotoFactory(observation=ObservationFactory(nursery=nursery, children=[child]), children=[child])


def test_a_parent_with_consent_gets_the_photo_sent_by_nginx_after_keystorys_check(nginx, session, login, parent, photo):
    url = reverse("stories:photo", args=[photo.pk])
    assert login(parent).get(url)["X-Accel-Redirect"] == ACCEL_PREFIX + photo.image.name  # KeyStory sends no bytes

    answer = nginx.get(url, session=session(parent))

    assert answer.status == 200
    assert answer.body == stored(photo)
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert answer.headers.get_all("Cache-Control") == ["private, no-cache"]
    assert answer.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert "X-Accel-Redirect" not in answer.headers


def test_another_parent_gets_404_through_nginx(nginx, session, other_parent, photo):
    answer = nginx.get(reverse("stories:photo", args=[photo.pk]), session=session(other_parent))

    assert answer.status == 404
    assert answer.body != stored(photo)


def test_the_photos_media_path_is_refused_whoever_asks(nginx, session, parent, photo):
    guesses = [ACCEL_PREFIX, "/media/", "/", "/static/"]
    for prefix in guesses:
        for who in (session(parent), None):
            assert nginx.get(prefix + photo.image.name, session=who).status == 404, prefix


def test_a_clip_is_sent_by_nginx_in_the_ranges_a_phone_asks_for(nginx, session, parent, child, nursery):
    from django.core.files.base import ContentFile

    from learning_stories.models import ObservationClip

    content = bytes(range(256)) * 40
    clip = ObservationClip.objects.create(
        observation=ObservationFactory(nursery=nursery, children=[child]), kind="video"
    )
    clip.media.save("clip.mp4", ContentFile(content), save=True)
    url = reverse("stories:clip", args=[clip.pk])

    answer = nginx.get(url, session=session(parent), headers={"Range": "bytes=100-199"})

    assert answer.status == 206
    assert answer.body == content[100:200]
    assert answer.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert answer.headers["Content-Type"] == "video/mp4"
    assert nginx.get(url, session=session(parent), headers={"Range": f"bytes={len(content)}-"}).status == 416


def test_static_files_are_served_by_nginx_hashed_ones_cached_for_a_year(nginx):
    (nginx.static_root / "app.0123456789ab.css").write_text("body{}")

    answer = nginx.get("/static/app.0123456789ab.css")

    assert answer.status == 200
    assert answer.body == b"body{}"
    assert answer.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_sent_to_https(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=10)
    connection.request("GET", "/stories/")
    answer = connection.getresponse()
    connection.close()

    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/stories/"
