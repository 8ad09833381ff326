"""Private media: children's and staff photos are stored under unguessable names and served only by views.

There is no public ``MEDIA_URL``. A view first checks the viewer's right to the record (answering 404
otherwise), then returns ``private_file_response``. In production nginx can send the bytes itself: set
``PRIVATE_MEDIA_ACCEL_REDIRECT`` to an ``internal`` location that maps to ``MEDIA_ROOT`` (see the README).

With media in an S3-compatible bucket (``MEDIA_STORAGE=s3``) the view streams the file from the bucket
rather than redirecting to a signed URL: a signed URL keeps working for anyone holding it until it expires,
even after consent is withdrawn, and would need the bucket in the pages' CSP and reachable by every family.
Streaming keeps the bucket private to the servers and the same headers and 304s as local files.
"""

import mimetypes
import posixpath
from hashlib import sha256
from urllib.parse import quote
from uuid import uuid4

from django.conf import settings
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

from .images import PLACEHOLDER


@deconstructible
class UnguessableName:
    """``upload_to`` for private files: ``<folder>/<random uuid><ext>``, whatever the uploaded name was."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Model, filename: str) -> str:
        extension = posixpath.splitext(filename)[1].lower()
        return f"{self.folder}/{uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def etag_of(field_file: FieldFile) -> str:
    return '"' + sha256(field_file.name.encode()).hexdigest()[:32] + '"'  # names are never reused


def private_file_response(
    request: HttpRequest, field_file: FieldFile, *, download_name: str | None = None
) -> HttpResponse:
    """The file itself, after the caller has checked the viewer's right to it.

    Browsers may keep a private copy but must ask again each time (``no-cache``), so a removed photo or
    a withdrawn right takes effect at once; the re-check is cheap because an unchanged file answers 304.
    """
    if not field_file:
        raise Http404("No file.")
    etag = etag_of(field_file)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif prefix := settings.PRIVATE_MEDIA_ACCEL_REDIRECT:
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    else:  # local files, or the object read from the bucket (see the module's docstring)
        try:
            response = FileResponse(field_file.open("rb"))
        except FileNotFoundError:
            raise Http404("File missing from storage.") from None
    if not isinstance(response, HttpResponseNotModified):
        response["Content-Type"] = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(
            False, download_name or posixpath.basename(field_file.name)
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def photo_response(
    request: HttpRequest, photo: FieldFile, thumbnail: FieldFile, *, small: bool, download_name: str | None = None
) -> HttpResponse:
    """A photo or its thumbnail, after the caller's permission check; the placeholder until the thumbnail exists."""
    if small and photo and not thumbnail:
        response = redirect(static(PLACEHOLDER))
        response["Cache-Control"] = "private, no-cache"
        return response
    return private_file_response(request, thumbnail if small else photo, download_name=download_name)
