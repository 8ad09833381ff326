"""PDF documents (progress check, reports, the learning story book) from Django templates, by WeasyPrint.

Templates extend ``pdf/base.html``. Pictures are private media, so a template never links to a URL:
it writes ``src="storage:{{ photo.thumbnail.name }}"`` and the fetcher below reads the file from the
storage backend (local disk or S3 alike). Nothing is ever fetched from the network, so a PDF renders the
same on a closed nursery network.
"""

import mimetypes
from typing import TYPE_CHECKING, Any, BinaryIO

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

STORAGE_SCHEME = "storage:"
STATIC_SCHEME = "static:"


class RefusedURL(ValueError):
    """A document asked for something other than our own files."""


def local_file(url: str) -> tuple[bytes, str]:
    """The bytes and type behind a document's ``storage:`` or ``static:`` address; never the network."""
    if url.startswith(STORAGE_SCHEME):
        with default_storage.open(url.removeprefix(STORAGE_SCHEME), "rb") as file:
            data = file.read()
    elif url.startswith(STATIC_SCHEME) and (path := finders.find(url.removeprefix(STATIC_SCHEME))):
        with open(path, "rb") as file:
            data = file.read()
    else:
        raise RefusedURL(f"Documents may only use stored or static files, not {url[:80]}")
    return data, mimetypes.guess_type(url)[0] or "application/octet-stream"


def _fetcher() -> "URLFetcher":
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            data, mime_type = local_file(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})

    return LocalFetcher()


def html_to_pdf(html: str, target: BinaryIO | None = None) -> bytes | None:
    """Render HTML to PDF: into ``target`` when given (returns None), else as bytes."""
    # Imported here: WeasyPrint loads Pango on import, which pages that never print need not pay for.
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_fetcher(), base_url=STATIC_SCHEME)
    return document.write_pdf(target)


def render_pdf(template_name: str, context: dict[str, Any], target: BinaryIO | None = None) -> bytes | None:
    """Render a template that extends ``pdf/base.html`` to PDF."""
    return html_to_pdf(render_to_string(template_name, context), target)
