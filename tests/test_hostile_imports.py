"""Hostile leaver packs: JSON nested 100,000 deep, compression Python cannot unpack, dates at the ends of time,
ZIP bombs, names that climb out of the folder and files that are not ZIPs. Each is refused on the page with a
reason, never a 500; nothing is imported and the uploaded file is not kept."""

import json
import struct
import time
import zipfile
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from children.models import Child
from learning_stories.models import Observation
from transitions.imports.services import STAGED_FOLDER, discard_stale_uploads
from transitions.imports.views import STAGED
from transitions.models import PackImport
from transitions.tests.packs import pack_data, pack_members, zip_bytes
from transitions.tests.test_import import stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-08-03 10:00:00+01:00")]


@pytest.fixture(autouse=True)
def _no_uploads_left_waiting():
    """Storage is shared by the tests of a process: each test starts with no staged upload."""
    discard_stale_uploads(older_than=timedelta(seconds=-1))


def with_method(content: bytes, name: str, method: int) -> bytes:
    """A ZIP whose member ``name`` claims compression ``method`` (e.g. 9, Deflate64, which Python cannot write)."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at : name_at + length]) == name.encode():
                struct.pack_into("<H", data, start + offset, method)
            start += 4
    return bytes(data)


def pack(data: dict | None = None, **extra: bytes | str) -> bytes:
    return zip_bytes({**pack_members(data), **extra})


def with_json(raw: str | bytes) -> bytes:
    return zip_bytes({**pack_members(), "pack.json": raw})


def dated(path: Callable[[dict], None]) -> bytes:
    data = pack_data()
    path(data)
    return pack(data)


def _set(keys: tuple, value: str) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


OUT_OF_YEARS = "is outside the years KeyStory accepts (1900 to 2100)."
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "JSON nested 100,000 deep": (lambda: with_json("[" * 100_000 + "]" * 100_000), "nested more than 32 levels"),
    "objects nested 100,000 deep": (lambda: with_json('{"a":' * 100_000 + "1" + "}" * 100_000), "nested more than"),
    "deep nesting inside a real pack": (
        lambda: with_json(json.dumps(pack_data())[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}"),
        "nested more than",
    ),
    "pack.json in Deflate64": (
        lambda: with_method(zip_bytes(pack_members(), compression=zipfile.ZIP_STORED), "pack.json", 9),
        "compressed with Deflate64, which KeyStory cannot unpack",
    ),
    "a photo in Deflate64": (
        lambda: with_method(zip_bytes(pack_members(), compression=zipfile.ZIP_STORED), "photos/tower.jpg", 9),
        "“photos/tower.jpg” in this ZIP is compressed with Deflate64",
    ),
    "pack.json in BZIP2": (
        lambda: zip_bytes(pack_members(), compression=zipfile.ZIP_BZIP2),
        "compressed with BZIP2",
    ),
    "an unknown compression method": (
        lambda: with_method(zip_bytes(pack_members(), compression=zipfile.ZIP_STORED), "story.pdf", 99),
        "compressed with method 99",
    ),
    "an entry dated year one, +14:00": (
        lambda: dated(_set(("entries", 0, "observed_at"), "0001-01-01T00:00:00+14:00")),
        f"The date of entry 1 (0001-01-01T00:00:00+14:00) {OUT_OF_YEARS}",
    ),
    "an entry dated the last second of 9999, -12:00": (
        lambda: dated(_set(("entries", 1, "observed_at"), "9999-12-31T23:59:59-12:00")),
        f"The date of entry 2 (9999-12-31T23:59:59-12:00) {OUT_OF_YEARS}",
    ),
    "a comment dated year one": (
        lambda: dated(lambda data: data["entries"][0]["comments"][0].update(at="0001-01-01T00:00:00Z")),
        "The date of comment 1 on entry 1",
    ),
    "an export dated 9999": (
        lambda: dated(_set(("exported_at",), "9999-12-31T23:59:59+00:00")),
        f"The export date (9999-12-31T23:59:59+00:00) {OUT_OF_YEARS}",
    ),
    "a child born in year one": (
        lambda: dated(_set(("child", "date_of_birth"), "0001-01-01")),
        f"The child's date of birth (0001-01-01) {OUT_OF_YEARS}",
    ),
    "a child born in the future": (
        lambda: dated(_set(("child", "date_of_birth"), "2027-01-01")),
        "The date of birth cannot be in the future.",
    ),
    "a child born 20 years ago": (
        lambda: dated(_set(("child", "date_of_birth"), "2006-05-03")),
        "older than 8 when they start",
    ),
    "an entry before the child was born": (
        lambda: dated(_set(("entries", 2, "observed_at"), "2021-05-20T11:00:00+01:00")),
        "The date of entry 3 is before the child was born.",
    ),
    "an assessment dated year one": (
        lambda: dated(lambda data: data["assessments"][0].update(assessed_on="0001-01-01")),
        f"The date of assessment 1 (0001-01-01) {OUT_OF_YEARS}",
    ),
    "a ZIP bomb": (
        lambda: pack(**{"bomb.bin": b"\0" * (8 * 1024 * 1024)}),
        "unpacks to far more than its size",
    ),
    "a name that climbs out of the folder": (
        lambda: pack(**{"../../etc/passwd": b"root"}),
        "points outside the pack",
    ),
    "not a ZIP": (lambda: b"hello, I am a text file\n" * 10, "This file is not a ZIP file."),
    "a truncated ZIP": (lambda: pack()[:2000], "This file is not a ZIP file."),
    "pack.json that is not JSON": (lambda: with_json(b"\xff\xfe not json"), "pack.json is not valid JSON"),
    # 213 bytes zipped; the nesting check once retried the unclosed string from every quote in it (44 s).
    "an unclosed string of 40,000 escapes": (lambda: with_json(b'"\\' * 40_000), "pack.json is not valid JSON"),
}


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("pack.zip", content, content_type="application/zip")


@pytest.fixture(autouse=True)
def no_staged_packs_from_earlier_tests():
    """The in-memory storage lasts as long as the test process: each case starts with no staged pack."""
    for name in stored_files(STAGED_FOLDER):
        default_storage.delete(name)


def assert_nothing_kept(client) -> None:
    assert stored_files(STAGED_FOLDER) == []
    assert STAGED not in client.session
    assert not Child.objects.exists()
    assert not Observation.objects.exists()
    assert not PackImport.objects.exists()


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_pack_is_refused_on_upload_with_a_reason_and_not_kept(login, other_manager, case):
    build, reason = HOSTILE[case]
    client = login(other_manager)

    response = client.post(reverse("transitions:import_pack"), {"pack": upload(build())})

    assert response.status_code == 200
    body = response.content.decode()
    assert escape(reason) in body or reason in body
    assert "This pack was not imported." in body or "not a ZIP" in reason
    assert_nothing_kept(client)


def test_an_unclosed_string_of_escapes_is_refused_without_tying_up_the_server(login, other_manager):
    build, reason = HOSTILE["an unclosed string of 40,000 escapes"]
    client = login(other_manager)
    started = time.perf_counter()

    response = client.post(reverse("transitions:import_pack"), {"pack": upload(build())})

    # Not a speed target: a guard against the quadratic scan, which took 44 s here (milliseconds now), with
    # room for a busy CI machine.
    assert time.perf_counter() - started < 15
    assert reason in response.content.decode()
    assert_nothing_kept(client)


@pytest.mark.parametrize(
    "case", ["an entry dated year one, +14:00", "JSON nested 100,000 deep", "pack.json in Deflate64", "a ZIP bomb"]
)
def test_confirming_a_hostile_staged_pack_refuses_it_and_deletes_the_file(login, other_manager, case):
    """A pack staged before these checks existed (or changed on disk) is checked again when confirmed."""
    build, reason = HOSTILE[case]
    client = login(other_manager)
    name = default_storage.save(f"{STAGED_FOLDER}/{uuid4().hex}.zip", ContentFile(build()))
    session = client.session
    session[STAGED] = name
    session.save()

    response = client.post(reverse("transitions:confirm_import"))

    assert response.status_code == 200
    assert escape(reason) in response.content.decode()
    assert_nothing_kept(client)


def test_an_empty_upload_is_a_form_error(login, other_manager):
    client = login(other_manager)
    response = client.post(reverse("transitions:import_pack"), {"pack": upload(b"")})
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    assert_nothing_kept(client)


def test_a_pack_unpacking_past_the_limit_is_refused_before_it_is_read(login, other_manager, settings):
    settings.PACK_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    client = login(other_manager)
    response = client.post(reverse("transitions:import_pack"), {"pack": upload(pack(**{"big.bin": b"x" * 2_000_000}))})
    assert "would unpack to" in response.content.decode()
    assert_nothing_kept(client)


def test_an_ordinary_pack_still_imports(login, other_manager):
    client = login(other_manager)
    client.post(reverse("transitions:import_pack"), {"pack": upload(pack())})
    client.post(reverse("transitions:confirm_import"))
    assert PackImport.objects.count() == 1
    assert stored_files(STAGED_FOLDER) == []


def test_a_zip_in_a_zip_is_not_unpacked(login, other_manager):
    inner = pack()
    client = login(other_manager)
    response = client.post(reverse("transitions:import_pack"), {"pack": upload(zip_bytes({"inner.zip": inner}))})
    assert "This ZIP has no pack.json" in response.content.decode()
    assert_nothing_kept(client)


def test_the_uploaded_file_goes_even_when_checking_it_fails_unexpectedly(login, other_manager, monkeypatch):
    """Whatever goes wrong while a pack is checked, its upload is not left in the imports folder."""
    from transitions.imports import views

    def broken(upload):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(views, "open_pack", broken)
    client = login(other_manager)
    client.raise_request_exception = False

    response = client.post(reverse("transitions:import_pack"), {"pack": upload(pack())})

    assert response.status_code == 500
    assert stored_files(STAGED_FOLDER) == []
