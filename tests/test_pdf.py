"""Printed documents: our stored pictures go in, nothing is fetched from elsewhere."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from core.pdf import RefusedURL, html_to_pdf, local_file
from tests.images import picture


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_stored_photo_is_drawn_into_the_document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("stories/photo.jpg", ContentFile(jpeg_bytes()))
    with_photo = html_to_pdf(f'<p>Ava at the water tray</p><img src="storage:{name}">')
    without = html_to_pdf("<p>Ava at the water tray</p>")
    assert len(with_photo) > len(without) + 500  # the picture's bytes are embedded
    assert "Ava at the water tray" in PdfReader(io.BytesIO(with_photo)).pages[0].extract_text()


def test_a_document_never_fetches_from_the_network():
    with pytest.raises(RefusedURL):
        local_file("http://example.com/tracker.png")
    with pytest.raises(RefusedURL):
        local_file("file:///etc/passwd")


def test_a_document_is_written_straight_into_a_file(tmp_path):
    target = tmp_path / "check.pdf"
    with target.open("wb") as file:
        assert html_to_pdf("<h1>Progress check</h1>", file) is None
    assert len(PdfReader(target).pages) == 1
