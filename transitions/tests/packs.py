"""Leaver pack ZIPs built by hand from the schema (transitions/schema/leaver-pack-1.schema.json), for tests
of the import and the school link that must not depend on the pack builder."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.images import camera_jpeg
from transitions.models import LeaverPack
from transitions.tests.factories import LeaverPackFactory

PHOTO = camera_jpeg()


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def photo_ref(name: str, content: bytes = PHOTO) -> dict:
    return {"file": f"photos/{name}", "sha256": sha(content), "width": 200, "height": 100}


def pack_data(**overrides: Any) -> dict:
    """A small valid pack.json: three entries (one from home), photos, comments, and the other records."""
    data = {
        "format": "keystory-leaver-pack",
        "version": 1,
        "exported_at": "2026-07-20T15:00:00+01:00",
        "setting": {"name": "Meadow Pre-school"},
        "framework": {"code": "development-matters", "version": "2024", "name": "Development Matters"},
        "child": {
            "first_name": "Noah",
            "last_name": "Green",
            "preferred_name": "",
            "date_of_birth": "2022-05-03",
            "start_date": "2024-09-02",
            "leave_date": "2026-07-24",
            "all_about_me": {"allergies": "Peanuts: carries an EpiPen", "Likes": "Dinosaurs", "Song": "Wheels"},
        },
        "entries": [
            {
                "id": "e1",
                "observed_at": "2026-03-02T10:15:00+00:00",
                "source": "nursery",
                "author": "Lucy Hill",
                "text": "Noah built a tower with a friend and counted the bricks.",
                "child_voice": "Ten bricks!",
                "next_steps": "Count beyond ten.",
                "areas": [{"code": "M", "name": "Mathematics"}, {"code": "XX", "name": "Forest school"}],
                "aspects": ["number", "Tree climbing"],
                "characteristics": ["Playing and exploring"],
                "statements": ["Counts to ten."],
                "photos": [photo_ref("tower.jpg")],
                "comments": [
                    {"by": "family", "author": "Emma Green", "text": "He loves towers!", "at": "2026-03-02T18:00:00Z"},
                    {"by": "staff", "author": "Lucy Hill", "text": "We will build more.", "at": "2026-03-03T09:00:00Z"},
                ],
            },
            {
                "id": "e2",
                "observed_at": "2026-04-11T16:00:00+01:00",
                "source": "home",
                "author": "Emma Green",
                "text": "At the beach.",
                "photos": [photo_ref("beach-1.jpg"), photo_ref("beach-2.jpg")],
            },
            {
                "id": "e3",
                "observed_at": "2026-05-20T11:00:00+01:00",
                "source": "nursery",
                "text": "Painted a rainbow.",
                "areas": [{"code": "EAD", "name": "Expressive Arts and Design"}],
            },
        ],
        "assessments": [
            {
                "point": "Spring 2026",
                "assessed_on": "2026-03-20",
                "area": {"code": "CL", "name": "Communication and Language"},
                "aspect": "Speaking",
                "band": "3 and 4-year-olds",
                "judgement": "on_track",
                "rationale": "Talks in long sentences.",
            }
        ],
        "progress_checks": [
            {
                "checked_on": "2024-06-10",
                "prime_areas": [
                    {"area": {"code": "PSED", "name": "Personal, Social and Emotional"}, "summary": "Settled."}
                ],
                "strengths": "Confident climber.",
            }
        ],
        "next_steps": [
            {"text": "Write his name.", "area": {"code": "L", "name": "Literacy"}, "status": "open"},
            {"text": "Use scissors.", "area": None, "status": "achieved", "created_at": "2026-01-05T09:00:00Z"},
        ],
        "transition_report": {"interests": "Dinosaurs and building.", "areas": {"CL": "Chatty and clear."}},
    }
    data.update(overrides)
    return data


def zip_bytes(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def pack_members(data: dict | None = None, photo: bytes = PHOTO) -> dict[str, bytes | str]:
    """pack.json and every photo it lists (all with the same picture)."""
    data = pack_data() if data is None else data
    members: dict[str, bytes | str] = {"pack.json": json.dumps(data)}
    for entry in data["entries"]:
        for item in entry.get("photos", []):
            members[item["file"]] = photo
    members["story.pdf"] = b"%PDF-1.7 not really"
    return members


def pack_zip(data: dict | None = None, **extra: bytes | str) -> io.BytesIO:
    """A pack ZIP as an open file, with ``extra`` members (name → content) added."""
    return io.BytesIO(zip_bytes({**pack_members(data), **extra}))


def ready_pack(child, **fields) -> LeaverPack:
    """A built leaver pack with a small file, as the pack job leaves it."""
    now = timezone.now()
    fields = {"built_at": now, "expires_at": now + timedelta(days=settings.LEAVER_PACK_LINK_DAYS), **fields}
    pack = LeaverPackFactory(child=child, status=LeaverPack.Status.READY, progress=100, **fields)
    pack.file.save("pack.zip", ContentFile(pack_zip().getvalue()), save=False)
    pack.size = pack.file.size
    pack.save()
    return pack
