"""Private files are streamed with headers that keep them out of shared caches, or handed to nginx."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from core.private_media import UnguessableName, private_file_response


@pytest.fixture
def stored():
    name = default_storage.save(UnguessableName("test")(None, "x.jpg"), ContentFile(b"\xff\xd8 not really a jpeg"))
    return FieldFile(None, FileField(storage=default_storage), name)


def test_a_private_file_is_streamed_with_private_no_sniff_headers(stored):
    response = private_file_response(RequestFactory().get("/"), stored)

    assert b"".join(response.streaming_content) == b"\xff\xd8 not really a jpeg"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{stored.name.removeprefix("test/")}"'


def test_the_download_name_is_the_one_given(stored):
    response = private_file_response(RequestFactory().get("/"), stored, download_name="Ava.jpg")

    assert response["Content-Disposition"] == 'inline; filename="Ava.jpg"'


def test_an_unchanged_file_answers_not_modified(stored):
    first = private_file_response(RequestFactory().get("/"), stored)

    again = private_file_response(RequestFactory().get("/", headers={"if-none-match": first["ETag"]}), stored)

    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"


def test_with_accel_redirect_nginx_sends_the_file(settings, stored):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/private-media/"

    response = private_file_response(RequestFactory().get("/"), stored)

    assert response["X-Accel-Redirect"] == f"/private-media/{stored.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"


def test_no_file_or_a_missing_file_answers_404(stored):
    with pytest.raises(Http404):
        private_file_response(RequestFactory().get("/"), FieldFile(None, FileField(storage=default_storage), ""))
    default_storage.delete(stored.name)
    with pytest.raises(Http404):
        private_file_response(RequestFactory().get("/"), stored)


def test_stored_names_are_unguessable_whatever_was_uploaded():
    upload_to = UnguessableName("children")

    first, second = upload_to(None, "Ava Taylor.JPG"), upload_to(None, "Ava Taylor.JPG")

    assert first != second
    assert first.startswith("children/")
    assert first.endswith(".jpg")
    assert "Ava" not in first
