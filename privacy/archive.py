"""The subject access ZIP: ``summary.pdf`` (the readable record), ``data.json`` (the same as data, documented
in ``README.txt``) and ``photos/`` (the story and message photos of the child with no other child in them, at
full size).

Photos are copied from storage into the ZIP block by block, so memory stays bounded whatever their number.
"""

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable
from typing import Any, BinaryIO

from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import render_pdf

from .models import SubjectAccessExport
from .records import StoryPhoto, child_record, person_record

FORMAT = "keystory-subject-access"
FORMAT_VERSION = 1
COPY_BLOCK = 256 * 1024

Progress = Callable[[int, str], None]


def export_data(export: SubjectAccessExport, photos: list[StoryPhoto], progress: Progress) -> dict[str, Any]:
    """Everything in ``data.json``; fills ``photos`` with the files to copy."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.localtime().isoformat(),
        "nursery": {
            "name": export.nursery.name,
            "address": export.nursery.address,
            "email": export.nursery.email,
            "phone": export.nursery.phone,
        },
        "request": {
            "about": export.subject_name,
            "received_on": export.received_on.isoformat(),
            "answer_due_by": export.due_on.isoformat(),
            "asked_for_by": export.requested_by.full_name if export.requested_by else "",
        },
        "child": child_record(export.child, photos=photos, progress=progress) if export.child else None,
        "person": person_record(export.person, export.nursery, child=export.child) if export.person else None,
    }


def write_export_zip(*, export: SubjectAccessExport, target: BinaryIO, progress: Progress | None = None) -> None:
    """Write the export's ZIP into ``target`` (a seekable binary file), calling ``progress(percent, stage)``."""
    report = progress or (lambda percent, stage: None)
    photos: list[StoryPhoto] = []
    data = export_data(export, photos, report)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, item in enumerate(photos):
            if number % 20 == 0:
                report(76 + 8 * number // len(photos), f"Adding photos: {number + 1} of {len(photos)}")
            with item.file.storage.open(item.file.name, "rb") as source:
                _stream(archive, item.name, source, compress=False)
        report(85, "Writing the summary PDF")
        with tempfile.TemporaryFile() as pdf:
            render_pdf(
                "privacy/pdf/subject_access.html", {"data": data, "export": export, "nursery": export.nursery}, pdf
            )
            pdf.seek(0)
            _stream(archive, "summary.pdf", pdf)
        report(95, "Writing the data file")
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=1))
        archive.writestr("README.txt", render_to_string("privacy/subject_access_readme.txt", {"data": data}))
    report(100, "Done")


def _stream(archive: zipfile.ZipFile, name: str, source: BinaryIO, *, compress: bool = True) -> str:
    """Copy ``source`` into the ZIP block by block; returns its SHA-256."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED  # JPEGs do not shrink
    digest = hashlib.sha256()
    with archive.open(info, "w", force_zip64=True) as out:
        while block := source.read(COPY_BLOCK):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()
