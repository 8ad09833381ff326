"""Reading a leaver pack ZIP from another setting, trusting nothing in it.

``open_pack`` checks the ZIP's table of contents before reading anything (entry count, total unpacked
size, names, compression ratio), reads ``pack.json`` with a size cap, validates it against the schema
(transitions/schema/leaver-pack-1.schema.json) and reports problems in plain words ("entry 3 has no
date"), then checks that each listed photo is in the ZIP with the SHA-256 the pack gives. Members are
read as streams with limits, never the whole ZIP at once. Nothing here writes to the database: the
import itself is ``services.import_pack``.
"""

import hashlib
import json
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO

import jsonschema
from django.conf import settings
from django.core.files import File
from django.utils import timezone

from children.models import birth_date_problem
from core.dates import EARLIEST, LATEST, within_bounds

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "leaver-pack-1.schema.json"
FORMAT = "keystory-leaver-pack"
VERSION = 1
CHUNK = 1024 * 1024
# A member unpacking to more than this many times its packed size, past a few megabytes, is a "ZIP bomb".
MAX_RATIO = 100
RATIO_FLOOR = 4 * 1024 * 1024
MAX_PROBLEMS = 5
# Python's zipfile reads these two; Deflate64 (Windows' "compressed folder" of a large file) and others it cannot.
COMPRESSIONS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate"}
COMPRESSION_NAMES = {9: "Deflate64", zipfile.ZIP_BZIP2: "BZIP2", zipfile.ZIP_LZMA: "LZMA", 93: "Zstandard"}
# A pack nests about six levels deep. The JSON reader and the schema check recurse once per level, so a file
# nested thousands deep would exhaust Python's stack: it is refused before either reads it.
MAX_DEPTH = 32
# A string and everything in it, in one step from its opening quote: possessive, so nothing is tried twice, and
# the closing quote optional, so an unclosed string runs to the end instead of being retried from every quote
# inside it (which took 44 s on a 213-byte ZIP).
JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
OPENING = frozenset(b"[{")


class PackRejected(Exception):
    """A pack KeyStory will not import; ``problems`` are plain sentences for the manager."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


@dataclass
class Pack:
    """A checked pack: its JSON and the open ZIP to read photos from."""

    data: dict
    archive: zipfile.ZipFile
    entries: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.entries = self.data["entries"]

    @property
    def setting(self) -> str:
        return self.data["setting"]["name"].strip() or "another setting"

    @property
    def child_name(self) -> str:
        child = self.data["child"]
        return f"{child.get('preferred_name') or child['first_name']} {child['last_name']}".strip()

    def counts(self) -> dict[str, int]:
        """What will arrive, for the page that asks the manager to confirm."""
        return {
            "entries": len(self.entries),
            "photos": sum(len(entry.get("photos", [])) for entry in self.entries),
            "comments": sum(len(entry.get("comments", [])) for entry in self.entries),
            "assessments": len(self.data.get("assessments", [])),
            "progress_checks": len(self.data.get("progress_checks", [])),
            "next_steps": len(self.data.get("next_steps", [])),
            "transition_report": int(bool(self.data.get("transition_report"))),
        }

    @contextmanager
    def photo(self, name: str) -> Iterator[File]:
        """A listed photo as a file on disk (bounded memory), for ``core.images.process_upload``."""
        with tempfile.TemporaryFile() as spool:
            with self.archive.open(name) as member:
                while chunk := member.read(CHUNK):
                    spool.write(chunk)
            spool.seek(0)
            yield File(spool, name=Path(name).name)


@contextmanager
def open_pack(upload: IO[bytes]) -> Iterator[Pack]:
    """Check a pack ZIP and yield it; raises ``PackRejected`` with the reasons."""
    try:
        _check_entry_count(upload)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise PackRejected(
            "This file is not a ZIP file. Choose the leaver pack ZIP exactly as it was downloaded."
        ) from None
    with archive:
        members = _check_members(archive)
        data = _read_json(archive, members)
        _check_photos(archive, members, data["entries"])
        yield Pack(data=data, archive=archive)


def _check_entry_count(upload: IO[bytes]) -> None:
    """Read the count from the ZIP's end record before ``ZipFile`` loads its whole table of contents (a
    small file can list millions of entries). ``_EndRecData`` is private but unchanged since Python 2."""
    end = zipfile._EndRecData(upload)
    upload.seek(0)
    if end is None:
        raise zipfile.BadZipFile("no end record")
    count = end[zipfile._ECD_ENTRIES_TOTAL]
    if count > settings.PACK_IMPORT_MAX_FILES:
        raise PackRejected(
            f"This ZIP holds {count:,} files; a leaver pack has at most {settings.PACK_IMPORT_MAX_FILES:,}."
        )


def _check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > settings.PACK_IMPORT_MAX_FILES:
        raise PackRejected(
            f"This ZIP holds {len(infos):,} files; a leaver pack has at most {settings.PACK_IMPORT_MAX_FILES:,}."
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > settings.PACK_IMPORT_MAX_UNPACKED_BYTES:
        raise PackRejected(
            f"This ZIP would unpack to {_size(unpacked)}, more than the "
            f"{_size(settings.PACK_IMPORT_MAX_UNPACKED_BYTES)} KeyStory accepts, so it was not opened."
        )
    members = {}
    for info in infos:
        if _unsafe(info.filename):
            raise PackRejected(
                f"The ZIP contains a file named “{info.filename[:100]}”, which points outside the pack. "
                "It may have been tampered with, so nothing was imported."
            )
        if info.flag_bits & 0x1:
            raise PackRejected("Part of this ZIP is password-protected. Export the pack again without a password.")
        if info.compress_type not in COMPRESSIONS:
            method = COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise PackRejected(
                f"“{info.filename[:100]}” in this ZIP is compressed with {method}, which KeyStory cannot unpack. "
                "Make the ZIP again with ordinary (Deflate) compression, or ask the other setting to export it again."
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackRejected(
                f"“{info.filename[:100]}” in this ZIP unpacks to far more than its size (a “ZIP bomb”), "
                "so nothing was imported."
            )
        if info.filename in members:
            raise PackRejected(f"The ZIP contains “{info.filename[:100]}” twice, so it is not a pack KeyStory made.")
        members[info.filename] = info
    return members


def _unsafe(name: str) -> bool:
    """Absolute paths, drive letters, backslashes and ".." parts: names meant to escape a folder."""
    return (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in name.split("/")
    )


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB"


def _read_json(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict:
    info = members.get("pack.json")
    if info is None:
        raise PackRejected("This ZIP has no pack.json, so it is not a leaver pack KeyStory can import.")
    limit = settings.PACK_IMPORT_MAX_JSON_BYTES
    if info.file_size > limit:
        raise PackRejected(f"pack.json is {_size(info.file_size)}; KeyStory reads at most {_size(limit)}.")
    try:
        with archive.open(info) as member:
            raw = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise PackRejected("pack.json in the ZIP is damaged and cannot be read.") from None
    if _nested_deeper_than(raw, MAX_DEPTH):
        raise PackRejected(
            f"pack.json is nested more than {MAX_DEPTH} levels deep, so it is not a leaver pack KeyStory can read."
        )
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise PackRejected(
            "pack.json is not valid JSON: the file is damaged or was not made by a leaver pack export."
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackRejected("pack.json is not a KeyStory leaver pack (its “format” should be “keystory-leaver-pack”).")
    if data.get("version") != VERSION:
        raise PackRejected(
            f"This pack is format version {str(data.get('version'))[:10]}; this KeyStory reads version {VERSION}. "
            "Ask the other setting for a version 1 export, or update KeyStory."
        )
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(
        islice(validator.iter_errors(data), 50), key=lambda error: [str(key).zfill(6) for key in error.absolute_path]
    )
    if errors:
        raise PackRejected(*[_plain(error) for error in errors[:MAX_PROBLEMS]])
    problems = _check_values(data)
    if problems:
        raise PackRejected(*problems[:MAX_PROBLEMS])
    return data


def _nested_deeper_than(raw: bytes, limit: int) -> bool:
    """Whether the JSON's arrays and objects nest more than ``limit`` deep, counted on the raw bytes (brackets
    inside strings skipped) in one pass that stops at the limit, without recursion."""
    depth = 0
    for bracket in JSON_STRING.sub(b"", raw).translate(None, NOT_BRACKETS):
        depth += 1 if bracket in OPENING else -1
        if depth > limit:
            return True
    return False


# How the pack's fields are named to a manager.
FIELD_WORDS = {
    "observed_at": "date",
    "exported_at": "export date",
    "at": "date",
    "assessed_on": "date",
    "checked_on": "date",
    "created_at": "date",
    "date_of_birth": "date of birth",
    "first_name": "first name",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "child_voice": "child's own words",
    "next_steps": "next steps",
    "sha256": "checksum",
    "file": "file name",
}
LIST_WORDS = {
    "entries": "entry",
    "photos": "photo",
    "comments": "comment",
    "areas": "area",
    "assessments": "assessment",
    "progress_checks": "progress check",
    "next_steps": "next step",
    "prime_areas": "prime area",
    "aspects": "aspect",
    "characteristics": "characteristic",
    "statements": "statement",
}


def _where(path: list) -> str:
    """``["entries", 2, "comments", 0]`` → "comment 1 of entry 3"."""
    parts = []
    for index, key in enumerate(path):
        if isinstance(key, int) and index and path[index - 1] in LIST_WORDS:
            parts.append(f"{LIST_WORDS[path[index - 1]]} {key + 1}")
        elif isinstance(key, str) and (index + 1 == len(path) or not isinstance(path[index + 1], int)):
            parts.append(FIELD_WORDS.get(key, key.replace("_", " ")))
    return " of ".join(reversed(parts)) or "pack.json"


def _plain(error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    where = _where(path)
    kind = error.validator
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        words = ", ".join(FIELD_WORDS.get(name, name.replace("_", " ")) for name in missing)
        return f"{where[0].upper()}{where[1:]} has no {words}."
    where = f"{where[0].upper()}{where[1:]}"
    if kind == "maxLength":
        return f"{where} is too long (at most {error.validator_value:,} characters)."
    if kind == "maxItems":
        return f"{where} has too many items (at most {error.validator_value:,})."
    if kind == "maxProperties":
        return f"{where} has too many topics (at most {error.validator_value:,})."
    if kind == "format":
        return f"{where} is not a valid {'date and time' if error.validator_value == 'date-time' else 'date'}."
    if kind == "enum":
        return f"{where} must be one of: {', '.join(map(str, error.validator_value))}."
    if kind == "pattern" and path and path[-1] == "file":
        return f"{where} must be photos/ followed by a plain file name."
    if kind == "pattern":
        return f"{where} is not in the expected form."
    if kind in ("type", "oneOf", "const"):
        return f"{where} has the wrong kind of value."
    return f"{where}: {error.message[:200]}"


def parse_moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _check_values(data: dict) -> list[str]:
    """What the schema cannot say: unique entry ids, a first name, and dates that really are dates."""
    problems = []
    moments = [("The export date", data["exported_at"])]
    seen: dict[str, int] = {}
    for number, entry in enumerate(data["entries"], start=1):
        if entry["id"] in seen:
            problems.append(f"Entry {number} has the same id as entry {seen[entry['id']]} (“{entry['id'][:50]}”).")
        seen.setdefault(entry["id"], number)
        moments.append((f"The date of entry {number}", entry["observed_at"]))
        moments += [
            (f"The date of comment {index} on entry {number}", comment["at"])
            for index, comment in enumerate(entry.get("comments", []), start=1)
        ]
    moments += [
        (f"The date of next step {number}", step["created_at"])
        for number, step in enumerate(data.get("next_steps", []), start=1)
        if "created_at" in step
    ]
    child = data["child"]
    born = _date_problem(problems, "The child's date of birth", child.get("date_of_birth"))
    for words, value in moments:
        try:
            moment = parse_moment(value)
        except ValueError:
            problems.append(f"{words} is not a valid date and time.")
            continue
        if not within_bounds(moment):
            problems.append(f"{words} ({value[:30]}) is outside the years KeyStory accepts ({YEARS}).")
        elif born and words.startswith("The date of entry") and moment.date() < born:
            problems.append(f"{words} is before the child was born.")
    if not child["first_name"].strip():
        problems.append("The child has no first name.")
    if born and (problem := birth_date_problem(born)):
        problems.append(problem)
    for key in ("start_date", "leave_date"):
        _date_problem(problems, f"The child's {key.replace('_', ' ')}", child.get(key))
    for number, item in enumerate(data.get("assessments", []), start=1):
        _date_problem(problems, f"The date of assessment {number}", item["assessed_on"])
    for number, check in enumerate(data.get("progress_checks", []), start=1):
        _date_problem(problems, f"The date of progress check {number}", check["checked_on"])
    return problems


YEARS = f"{EARLIEST.year} to {LATEST.year}"


def _date_problem(problems: list[str], words: str, value: str | None) -> date | None:
    """A pack's date (``YYYY-MM-DD``) if it is one within bounds; otherwise what is wrong joins ``problems``."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"{words} is not a valid date.")
        return None
    if not within_bounds(day):
        problems.append(f"{words} ({value[:30]}) is outside the years KeyStory accepts ({YEARS}).")
        return None
    return day


def _check_photos(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], entries: list[dict]) -> None:
    """Every listed photo is in the ZIP, not too large, and has the SHA-256 the pack gives."""
    checked: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        for photo in entry.get("photos", []):
            name = photo["file"]
            info = members.get(name)
            if info is None:
                raise PackRejected(f"Entry {number} lists the photo {name}, which is not in the ZIP.")
            if info.file_size > settings.IMAGE_UPLOAD_MAX_BYTES:
                raise PackRejected(f"The photo {name} of entry {number} is larger than KeyStory accepts for a photo.")
            if name not in checked:
                checked[name] = _sha256(archive, info)
            if checked[name] != photo["sha256"]:
                raise PackRejected(
                    f"The photo {name} of entry {number} does not match its checksum: the pack is damaged or was "
                    "changed after it was made."
                )


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise PackRejected(f"{info.filename} in the ZIP is damaged and cannot be read.") from error
    return digest.hexdigest()
