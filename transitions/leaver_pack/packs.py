"""The leaver pack: one ZIP with the learning story as a PDF book, the child's own photos, the reports
as PDFs and ``pack.json`` (format: ``schema/leaver-pack-1.schema.json``) for the next setting's software.

Everything in it is what the child's FAMILY may see (DESIGN.md privacy rules 2 and 5): entries shared
with families, other children as "a friend", and no photo in which another child appears unless that
child may appear in other children's stories. The pack may also go to the receiving school, so only the
child themself is "family": a brother or sister in a group photo is treated like any other child.

Memory stays bounded whatever the size of the story: entries are read and printed
``ENTRIES_PER_RUN`` at a time (one WeasyPrint run each, with thumbnails, into a temporary file), photos
are streamed from storage into the ZIP block by block, and the runs are joined into one PDF at the end
one file at a time (``pdfjoin``).
"""

import gc
import hashlib
import json
import posixpath
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from children.access import Viewer
from children.models import AllAboutMe, Child
from core.images import finish_photo
from core.pdf import render_pdf
from learning_stories import documents
from learning_stories.clips.selectors import clip_file_name, own_clips
from learning_stories.clips.services import ready_clips
from learning_stories.faces.services import photo_file_for, refresh_faces
from learning_stories.framework.selectors import current_framework_for
from learning_stories.models import Assessment, NextStep, Observation, ProgressCheck, ProgressCheckArea
from learning_stories.next_steps.selectors import visible_to_family
from learning_stories.story.selectors import (
    children_to_redact,
    comments_on,
    decorate,
    family_viewer,
    photo_children,
    redact,
    story_entries,
    with_story_details,
)

from ..models import TransitionReport
from ..report.documents import transition_report_pdf
from .pdfjoin import join_pdfs

FORMAT = "keystory-leaver-pack"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / f"leaver-pack-{FORMAT_VERSION}.schema.json"
ENTRIES_PER_RUN = 25  # entries per WeasyPrint run: bounds the memory one layout takes
COPY_BLOCK = 256 * 1024
# All about me, as the family told it, by topic (field names are the JSON keys).
ALL_ABOUT_ME_FIELDS = [
    f.name for f in AllAboutMe._meta.get_fields() if f.get_internal_type() in ("TextField", "CharField")
]

Progress = Callable[[int, str], None]


def shared_reports(child: Child) -> tuple[list[ProgressCheck], TransitionReport | None]:
    """The progress checks and the latest transition report the family has been given."""
    checks = list(
        child.progress_checks.filter(status__in=[ProgressCheck.Status.SHARED, ProgressCheck.Status.COMPLETED])
        .prefetch_related(Prefetch("area_summaries", queryset=ProgressCheckArea.objects.select_related("area")))
        .order_by("checked_on", "pk")
    )
    report = (
        TransitionReport.objects.filter(plan__child=child, status=TransitionReport.Status.SHARED)
        .select_related("plan__child__nursery")
        .order_by("-updated_at", "-pk")
        .first()
    )
    return checks, report


def write_pack_zip(*, child: Child, target: BinaryIO, progress: Callable[[int, str], None] | None = None) -> None:
    """Write the child's leaver pack as a ZIP into ``target`` (a seekable binary file).

    ``progress(percent, stage)`` is called as the work goes, with a sentence for the person waiting.
    """
    report = progress or (lambda percent, stage: None)
    viewer = family_viewer(child)
    ids = list(story_entries(child, viewer).order_by("observed_at", "pk").values_list("pk", flat=True))
    runs = [ids[start : start + ENTRIES_PER_RUN] for start in range(0, len(ids), ENTRIES_PER_RUN)] or [[]]
    entries: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="leaver-pack-") as work,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        chunk_paths = []
        for number, run in enumerate(runs):
            first = number * ENTRIES_PER_RUN + 1
            stage = f"entries {first} to {first + len(run) - 1} of {len(ids)}" if run else "no entries yet"
            report(5 + 75 * number // len(runs), f"Writing the story and adding photos: {stage}")
            chunk = _load(run, viewer, child)
            path = Path(work) / f"story-{number:05d}.pdf"
            with path.open("wb") as out:
                render_pdf(
                    "transitions/pdf/story.html",
                    {"nursery": child.nursery, "child": child, "entries": chunk, "first": number == 0},
                    out,
                )
            chunk_paths.append(path)
            entries.extend(_entry_json(entry, child, archive) for entry in chunk)
            del chunk
            gc.collect()  # a WeasyPrint layout is full of reference cycles: free it before the next run
        report(82, "Putting the story book together")
        _join_pdfs(chunk_paths, archive)
        report(88, "Adding the reports")
        checks, transition_report = shared_reports(child)
        _write_reports(archive, child=child, checks=checks, transition_report=transition_report)
        report(95, "Writing the data file")
        pack = _pack_json(child=child, entries=entries, checks=checks, transition_report=transition_report)
        archive.writestr("pack.json", json.dumps(pack, ensure_ascii=False, indent=1))
        archive.writestr("README.txt", render_to_string("transitions/pack_readme.txt", {"child": child, "pack": pack}))
    report(100, "Done")


def _load(ids: list[int], viewer: Viewer, child: Child) -> list[Observation]:
    """One run of entries with everything the book and the JSON show, decorated for the family."""
    chunk = list(
        with_story_details(Observation.objects.filter(pk__in=ids))
        .prefetch_related("aspects", "characteristics", "statements")
        .order_by("observed_at", "pk")
    )
    decorate(chunk, viewer)
    comments = comments_on(chunk, child)
    for entry in chunk:
        children = [link.child for link in entry.child_links.all()]
        entry.pack_comments = [(c, redact(c.text, children, viewer)) for c in comments[entry.pk]]
        entry.pack_next_steps = [redact(steps, children, viewer) for _, steps in entry.next_steps_shown]
        entry.own_photos = []
        for photo in entry.shown_photos:
            if not photo.thumbnail:  # the photo task has not run yet: the book needs the small copy
                finish_photo(photo)
                refresh_faces(photo)  # found just now: the prefetched faces were from before
            # The family's copy: other children's faces blurred unless their family agreed (learning_stories.faces).
            photo.shown_thumbnail = photo_file_for(photo, viewer, small=True) if photo.image else None
            photo.shown_image = photo_file_for(photo, viewer) if photo.image else None
            if photo.shown_image and child.pk in {c.pk for c in photo_children(photo, entry)}:
                extension = posixpath.splitext(photo.shown_image.name)[1].lower() or ".jpg"
                photo.pack_name = f"photos/{entry.observed_at:%Y-%m-%d}-{entry.pk}-{photo.pk}{extension}"
                entry.own_photos.append(photo)
        entry.own_clips = ready_clips(own_clips(entry, child))  # prepared now if their task has not run
    return chunk


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


def _entry_json(entry: Observation, child: Child, archive: zipfile.ZipFile) -> dict[str, Any]:
    photos = []
    for photo in entry.own_photos:
        with photo.shown_image.storage.open(photo.shown_image.name, "rb") as source:
            sha256 = _stream(archive, photo.pack_name, source, compress=False)
        photos.append({"file": photo.pack_name, "sha256": sha256, "width": photo.width, "height": photo.height})
    clips = []
    for clip in entry.own_clips:
        name = clip_file_name(clip, entry)
        with clip.media.storage.open(clip.media.name, "rb") as source:
            sha256 = _stream(archive, name, source, compress=False)  # already compressed
        clips.append({"file": name, "sha256": sha256, "kind": clip.kind, "seconds": clip.duration})
    return {
        "id": f"entry-{entry.pk}",
        "observed_at": entry.observed_at.isoformat(),
        "source": entry.source,
        "author": entry.author.full_name if entry.author else "",
        "text": entry.shown_text,
        "child_voice": entry.shown_voice,
        "next_steps": "\n".join(entry.pack_next_steps),
        "areas": [{"code": area.code, "name": area.name} for area in entry.areas.all()],
        "aspects": [aspect.name for aspect in entry.aspects.all()],
        "characteristics": [part.name for part in entry.characteristics.all()],
        "statements": [statement.text for statement in entry.statements.all()],
        "photos": photos,
        "clips": clips,
        "comments": [
            {
                "by": "staff" if comment.by_staff else "family",
                "author": comment.author.full_name if comment.author else "",
                "text": text,
                "at": comment.created_at.isoformat(),
            }
            for comment, text in entry.pack_comments
        ],
    }


def _join_pdfs(paths: list[Path], archive: zipfile.ZipFile) -> None:
    """One ``story.pdf`` from the runs' PDFs, joined one run at a time (pages are copied as they are)."""
    with tempfile.TemporaryFile() as joined:
        join_pdfs(paths, joined)
        joined.seek(0)
        _stream(archive, "story.pdf", joined)


def _write_reports(
    archive: zipfile.ZipFile,
    *,
    child: Child,
    checks: list[ProgressCheck],
    transition_report: TransitionReport | None,
) -> None:
    documents_to_write: list[tuple[str, Callable[[BinaryIO], Any]]] = []
    if transition_report is not None:
        documents_to_write.append(
            ("reports/transition-report.pdf", lambda out: transition_report_pdf(report=transition_report, target=out))
        )
    for check in checks:
        documents_to_write.append(
            (
                f"reports/progress-check-{check.checked_on:%Y-%m-%d}-{check.pk}.pdf",
                lambda out, check=check: documents.progress_check_pdf(check=check, target=out),
            )
        )
    if child.assessments.exists():
        documents_to_write.append(
            ("reports/assessments.pdf", lambda out: documents.assessments_pdf(child=child, target=out))
        )
    for name, write in documents_to_write:
        with tempfile.TemporaryFile() as out:
            write(out)
            out.seek(0)
            _stream(archive, name, out)


def _area(area) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name} if area else None


def _pack_json(
    *,
    child: Child,
    entries: list[dict[str, Any]],
    checks: list[ProgressCheck],
    transition_report: TransitionReport | None,
) -> dict[str, Any]:
    framework = current_framework_for(child.nursery_id)
    about = AllAboutMe.objects.filter(child=child).first()
    viewer = family_viewer(child)
    nursery_children = children_to_redact([child.nursery_id])  # a step may name any of them
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "setting": {"name": child.nursery.name},
        "framework": {"code": framework.code, "version": framework.version, "name": framework.name},
        "child": {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "preferred_name": child.preferred_name,
            "date_of_birth": _date(child.date_of_birth),
            "start_date": _date(child.start_date),
            "leave_date": _date(child.leave_date),
            "all_about_me": {
                name: value for name in ALL_ABOUT_ME_FIELDS if about and (value := getattr(about, name).strip())
            },
        },
        "entries": entries,
        "assessments": [
            {
                "point": assessment.point.name,
                "assessed_on": assessment.assessed_on.isoformat(),
                "area": _area(assessment.area),
                "aspect": assessment.aspect.name if assessment.aspect else None,
                "band": assessment.band.name if assessment.band else None,
                "judgement": assessment.judgement,
                "rationale": redact(assessment.rationale, nursery_children, viewer),
            }
            for assessment in Assessment.objects.filter(child=child).select_related("point", "area", "aspect", "band")
        ],
        "progress_checks": [
            {
                "checked_on": check.checked_on.isoformat(),
                "prime_areas": [
                    {"area": _area(row.area), "summary": row.summary, "on_track": row.on_track}
                    for row in check.area_summaries.all()
                ],
                "strengths": check.strengths,
                "less_than_expected": check.less_than_expected,
                "setting_plan": check.setting_plan,
                "family_plan": check.family_plan,
                "parent_comments": check.parent_comments,
            }
            for check in checks
        ],
        "next_steps": [
            {
                "text": redact(step.text, nursery_children, viewer),
                "area": _area(step.area),
                "status": step.status,
                "created_at": step.created_at.isoformat(),
            }
            for step in NextStep.objects.filter(visible_to_family(), child=child)
            .exclude(status=NextStep.Status.DROPPED)
            .select_related("area")
            .order_by("created_at", "pk")
        ],
        "transition_report": _report_json(transition_report, nursery_children, viewer),
    }


def _report_json(report: TransitionReport | None, children: list[Child], viewer: Viewer) -> dict[str, Any] | None:
    """The shared report; a name of another child typed into it goes out as "a friend", like the story."""
    if report is None:
        return None
    fields = ("characteristics", "interests", "needs", "attendance", "parent_view", "child_voice")
    return {
        "areas": {code: redact(text, children, viewer) for code, text in (report.areas or {}).items()},
        **{name: redact(getattr(report, name), children, viewer) for name in fields},
    }


def _date(day) -> str | None:
    return day.isoformat() if day else None
