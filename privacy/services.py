"""Writes for subject access: asking for an export, building it in a job (with progress), downloads, expiry.

Every export is logged twice: the ``SubjectAccessExport`` row (who asked, for whom, when, when downloaded)
stays after the file is deleted, and each child included gets an EXPORTED line in their record history.
"""

import tempfile
from datetime import date, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event
from core.queue import Dispatch, enqueue
from nursery.models import Nursery

from .archive import write_export_zip
from .models import SubjectAccessExport

Status = SubjectAccessExport.Status
IN_PROGRESS = (Status.QUEUED, Status.BUILDING)


def subject_name(child: Child | None, person: User | None) -> str:
    names = [f"{child.first_name} {child.last_name}".strip()] if child else []
    return " and ".join(names + ([person.full_name or person.email] if person else []))[:300]


@transaction.atomic
def request_export(
    *,
    nursery: Nursery,
    child: Child | None,
    person: User | None,
    by: User,
    received_on: date | None = None,
) -> tuple[SubjectAccessExport, Dispatch | None]:
    """Ask for an export about a child and/or a person at ``nursery``. While the same request by the same
    person is still being made, that one is returned (Dispatch None); otherwise a new export is queued. The
    row is saved before the job is sent, so a broker outage loses nothing: the sweep starts it later."""
    if child is None and person is None:
        raise ValueError("An export is about a child, a person or both.")
    Nursery.objects.select_for_update().filter(pk=nursery.pk).first()  # one request at a time per nursery
    waiting = SubjectAccessExport.objects.filter(
        nursery=nursery, child=child, person=person, requested_by=by, status__in=IN_PROGRESS
    ).first()
    if waiting is not None:
        return waiting, None
    export = SubjectAccessExport.objects.create(
        nursery=nursery,
        child=child,
        person=person,
        subject_name=subject_name(child, person),
        requested_by=by,
        received_on=received_on or timezone.localdate(),
        stage="Waiting to start",
    )
    if child is not None:
        record_event(
            child=child, actor=by, action=ChildAuditEvent.Action.EXPORTED, what="Subject access download requested"
        )
    from .tasks import build_subject_access_export  # tasks import this module

    return export, enqueue(build_subject_access_export, export.pk)


def build_export(*, export_id: int) -> bool:
    """Make the export's ZIP; safe to run again at any point (a retried task, a message delivered twice, a
    worker killed mid-build): it never makes a second file. Returns whether the export is ready."""
    with transaction.atomic():
        export = (
            SubjectAccessExport.objects.select_for_update(of=("self",))
            .select_related("nursery", "child__nursery", "child__room", "person", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status in (Status.EXPIRED, Status.FAILED):
            return False
        if export.status != Status.READY:  # queued, or a build whose worker was lost: start over
            export.status, export.progress, export.stage = Status.BUILDING, 0, "Starting"
            export.save(update_fields=["status", "progress", "stage"])
    return export.status == Status.READY or _build(export)


def _build(export: SubjectAccessExport) -> bool:
    def progress(percent: int, stage: str) -> None:
        SubjectAccessExport.objects.filter(pk=export.pk, status=Status.BUILDING).update(
            progress=min(percent, 99), stage=stage[:120]
        )

    with tempfile.TemporaryFile() as out:
        write_export_zip(export=export, target=out, progress=progress)
        size = out.tell()
        out.seek(0)
        with transaction.atomic():
            current = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
            if current.status != Status.BUILDING:
                return current.status == Status.READY
            current.file.save("export.zip", File(out), save=False)
            now = timezone.now()
            current.size = size
            current.status, current.progress, current.stage = Status.READY, 100, "Ready"
            current.built_at = now
            current.expires_at = now + timedelta(days=settings.SUBJECT_ACCESS_LINK_DAYS)
            current.save()
    return True


def mark_failed(*, export_id: int, error: str) -> None:
    """A build that raised: the person waiting is told to ask again (the job is not retried blindly)."""
    SubjectAccessExport.objects.filter(pk=export_id, status__in=IN_PROGRESS).update(
        status=Status.FAILED, stage="Something went wrong", error=error[:300]
    )


@transaction.atomic
def record_download(*, export: SubjectAccessExport, user: User) -> None:
    """Count the download and write it to the child's record history: both, or neither."""
    now = timezone.now()
    SubjectAccessExport.objects.filter(pk=export.pk, first_downloaded_at__isnull=True).update(first_downloaded_at=now)
    SubjectAccessExport.objects.filter(pk=export.pk).update(downloads=F("downloads") + 1)
    if export.child is not None:
        record_event(
            child=export.child,
            actor=user,
            action=ChildAuditEvent.Action.EXPORTED,
            what=f"Subject access download (made {timezone.localtime(export.built_at):%d %b %Y %H:%M})",
        )


def expire_exports() -> int:
    """Delete the files of exports whose link has expired (the row stays until the retention schedule's
    turn): the row first, the file once that is committed, so a failure never leaves a row naming no file."""
    expired = 0
    for export in SubjectAccessExport.objects.filter(status=Status.READY, expires_at__lt=timezone.now()):
        with transaction.atomic():
            stored = (export.file.storage, export.file.name) if export.file else None
            export.file, export.status, export.size, export.stage = "", Status.EXPIRED, 0, "Link expired"
            export.save(update_fields=["file", "status", "size", "stage"])
            if stored:
                transaction.on_commit(lambda stored=stored: stored[0].delete(stored[1]))
        expired += 1
    return expired


STUCK_BUILD_AFTER = timedelta(hours=1)  # a build takes seconds to minutes: one older lost its worker


def waiting_export_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Exports still queued a while after the request (the broker was down), and builds stuck without a worker."""
    now = timezone.now()
    return list(
        SubjectAccessExport.objects.filter(
            Q(status=Status.QUEUED) | Q(status=Status.BUILDING, requested_at__lt=now - STUCK_BUILD_AFTER),
            requested_at__lt=now - older_than,
        ).values_list("pk", flat=True)
    )
