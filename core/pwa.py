"""The installable app: the web app manifest, the service worker at the site's root and the offline page.

The service worker (static/js/sw.js) is served from /sw.js, not /static/, so that it may look after every
page of the site; this view puts in front of it what it must know: the static files to keep for use
without a connection (their hashed names in production) and a version that changes whenever one of them
changes, so an update replaces the old copies.
"""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

THEME_COLOUR = "#2f6f5e"  # the favicon's green

# The page shell kept on the tablet at install: what every page needs, and the offline pages' scripts.
SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.rtl.min.css",  # Arabic and Urdu pages
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/keystory.css",
    "js/keystory.js",
    "js/pwa.js",
    "js/outbox.js",
    "js/waiting-photos.js",  # the capture page's photos not sent yet
    "js/capture.js",
    "js/suggest.js",  # the capture page's suggested areas (kept only where the file exists)
    "js/faces.js",  # the capture page's faces on photo cards
    "js/tablet.js",  # a room's shared tablet locks itself when left
    "img/favicon.svg",
    "img/icon-192.png",
    "img/photo-placeholder.svg",
]


def _source(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        return b""
    with open(found, "rb") as file:
        return file.read()


def worker_config() -> dict:
    # A missing file would make the worker's install fail: only the files there are (a page's script moved).
    shell = [path for path in SHELL if finders.find(path)]
    precache = [static(path) for path in shell]
    digest = hashlib.sha256(_source("js/sw.js"))
    for path, url in zip(shell, precache, strict=True):
        digest.update(url.encode())
        digest.update(_source(path))
    return {
        "version": digest.hexdigest()[:16],
        "precache": precache,
        "offline": reverse("offline"),
        "outbox": static("js/outbox.js"),
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = f"self.KEYSTORY = {json.dumps(worker_config())};\n".encode() + _source("js/sw.js")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "KeyStory",
        "short_name": "KeyStory",
        "description": "Key person and learning story software for nurseries.",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown for a page that needs the connection. Kept on the tablet by the service worker, so it shows
    nothing about the person or the children: it is the same for everyone."""
    return render(request, "core/offline.html")
