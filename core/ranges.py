"""HTTP range requests (RFC 9110 section 14) for private media: a phone's video player asks for pieces.

Django's ``FileResponse`` always sends the whole file, and Safari on an iPhone will not play a video whose
server does not answer ``Range: bytes=0-1`` with a 206. ``private_ranged_response`` is
``core.private_media.private_file_response`` plus ranges: after the caller's permission check it answers
one byte range with 206 and ``Content-Range``, a range past the end with 416, and anything it does not
handle (several ranges, a stale ``If-Range``, a malformed header) with the whole file, as the RFC allows.
With ``PRIVATE_MEDIA_ACCEL_REDIRECT`` nginx sends the file and handles ranges itself.
"""

import posixpath
import re
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .private_media import etag_of, private_file_response

BLOCK = 64 * 1024
ONE_RANGE = re.compile(r"^bytes=(?P<start>\d*)-(?P<end>\d*)$")


class Unsatisfiable(Exception):
    """The range asks for nothing inside the file: 416."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions one ``Range`` header asks for, both inclusive; None to send the whole
    file (no header, several ranges, a unit other than bytes, or nonsense). Raises ``Unsatisfiable``."""
    found = ONE_RANGE.match(header.strip().replace(" ", ""))
    if found is None:
        return None
    start, end = found["start"], found["end"]
    if not start and not end:
        return None
    if not start:  # "bytes=-500": the last 500 bytes
        length = int(end)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    first = int(start)
    if end and int(end) < first:
        return None  # invalid: ignored, the whole file is sent
    if first >= size:
        raise Unsatisfiable
    last = int(end) if end else size - 1
    return first, min(last, size - 1)


def _piece(stream: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        stream.seek(first)
        while length > 0:
            block = stream.read(min(BLOCK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        stream.close()


def private_ranged_response(
    request: HttpRequest, field_file: FieldFile, *, content_type: str, download_name: str | None = None
) -> HttpResponse:
    """The file, whole or the range asked for, after the caller has checked the viewer's right to it."""
    if not field_file:
        raise Http404("No file.")
    header = request.headers.get("Range", "")
    etag = etag_of(field_file)
    if_range = request.headers.get("If-Range")
    fresh = etag in request.headers.get("If-None-Match", "")
    if settings.PRIVATE_MEDIA_ACCEL_REDIRECT or not header or request.method != "GET" or fresh:
        return _whole(request, field_file, content_type, download_name)
    try:
        size = field_file.size
    except FileNotFoundError:
        raise Http404("File missing from storage.") from None
    try:
        wanted = parse_range(header, size) if not if_range or if_range == etag else None
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is None:
        return _whole(request, field_file, content_type, download_name)
    first, last = wanted
    try:
        stream = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        raise Http404("File missing from storage.") from None
    response = StreamingHttpResponse(_piece(stream, first, last - first + 1), status=206, content_type=content_type)
    response["Content-Length"] = str(last - first + 1)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(
        False, download_name or posixpath.basename(field_file.name)
    )
    return response


def _whole(request: HttpRequest, field_file: FieldFile, content_type: str, download_name: str | None) -> HttpResponse:
    response = private_file_response(request, field_file, download_name=download_name)
    if response.status_code == 200:
        response["Content-Type"] = content_type
        response["Accept-Ranges"] = "bytes"
    return response
