"""Writes for transitions."""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent
from children.services import record_event
from config.queue import Dispatch, enqueue

from .models import LeaverPack
from .packs import write_pack_zip

logger = logging.getLogger(__name__)

# --- Leaver pack ---------------------------------------------------------------------------------
# One LeaverPack row per child, built again on request: school links made for it keep pointing at the
# newest build, and the table never fills with copies.

IN_PROGRESS = (LeaverPack.Status.QUEUED, LeaverPack.Status.BUILDING)


@transaction.atomic
def request_pack(*, child: Child, user: User) -> tuple[LeaverPack, Dispatch | None]:
    """Ask for the child's leaver pack. While one is queued or being made, that one is returned (no second
    job); otherwise the child's pack is (re)queued and built afresh. The row is saved before the job is
    sent, so a broker outage loses nothing: the sweep starts it later. Dispatch is None when nothing new
    was sent."""
    Child.objects.select_for_update().filter(pk=child.pk).first()  # one request at a time per child
    pack = LeaverPack.objects.select_for_update().filter(child=child).first()
    if pack is not None and pack.status in IN_PROGRESS:
        return pack, None
    pack = pack or LeaverPack(child=child)
    pack.requested_by = user
    pack.requested_at = timezone.now()
    pack.status = LeaverPack.Status.QUEUED
    pack.progress = 0
    pack.stage = "Waiting to start"
    pack.error = ""
    pack.emailed_at = None  # this request gets its own "ready" e-mail, once
    pack.save()
    record_event(child=child, actor=user, action=ChildAuditEvent.Action.EXPORTED, what="Leaver pack requested")
    from .tasks import build_leaver_pack

    return pack, enqueue(build_leaver_pack, pack.pk)


def build_pack(*, pack_id: int) -> bool:
    """Make the pack's ZIP and e-mail that it is ready; safe to run again at any point (a retried task, a
    message delivered twice, a worker killed mid-build whose message comes back): it never makes a second
    row or file and never e-mails twice. Returns whether the pack is ready."""
    with transaction.atomic():
        pack = LeaverPack.objects.select_for_update().select_related("child__nursery").filter(pk=pack_id).first()
        if pack is None or pack.status in (LeaverPack.Status.EXPIRED, LeaverPack.Status.FAILED):
            return False
        if pack.status != LeaverPack.Status.READY:  # queued, or a build whose worker was lost: start over
            pack.status, pack.progress, pack.stage = LeaverPack.Status.BUILDING, 0, "Starting"
            pack.save(update_fields=["status", "progress", "stage"])
    if pack.status == LeaverPack.Status.BUILDING and not _build(pack):
        return False
    send_ready_email(pack_id=pack_id)
    return True


def _build(pack: LeaverPack) -> bool:
    """Write the ZIP into a temporary file, then store it; progress is committed as it goes so the
    person waiting sees it. Returns False when another delivery of the job finished first."""

    def progress(percent: int, stage: str) -> None:
        LeaverPack.objects.filter(pk=pack.pk, status=LeaverPack.Status.BUILDING).update(
            progress=min(percent, 99), stage=stage[:120]
        )

    with tempfile.TemporaryFile() as out:
        write_pack_zip(child=pack.child, target=out, progress=progress)
        size = out.tell()
        out.seek(0)
        with transaction.atomic():
            current = LeaverPack.objects.select_for_update().get(pk=pack.pk)
            if current.status != LeaverPack.Status.BUILDING:
                return current.status == LeaverPack.Status.READY
            old_name = current.file.name
            current.file.save(f"{pack.child.known_as}.zip", File(out), save=False)
            now = timezone.now()
            current.size = size
            current.status, current.progress, current.stage = LeaverPack.Status.READY, 100, "Ready"
            current.built_at = now
            current.expires_at = now + timedelta(days=settings.LEAVER_PACK_LINK_DAYS)
            current.save()
            if old_name:  # the previous build, replaced
                transaction.on_commit(lambda: current.file.storage.delete(old_name))
    return True


def mark_failed(*, pack_id: int, error: str) -> None:
    """A build that raised: the person waiting is told to ask again (the job is not retried blindly)."""
    LeaverPack.objects.filter(pk=pack_id, status__in=IN_PROGRESS).update(
        status=LeaverPack.Status.FAILED, stage="Something went wrong", error=error[:300]
    )


def pack_recipients(pack: LeaverPack) -> list[User]:
    """Whoever asked, and, for a child who is leaving, the family who can read the story."""
    people = [pack.requested_by] if pack.requested_by else []
    if pack.child.leave_date:
        people += [link.user for link in pack.child.guardianships.filter(can_view_story=True).select_related("user")]
    return list({person.pk: person for person in people if person.email and person.is_active}.values())


def send_ready_email(*, pack_id: int) -> bool:
    """E-mail that the pack is ready, exactly once per request: ``emailed_at`` is set under the row lock
    in the same transaction, so a retried or duplicated job finds it set. True if it sent."""
    with transaction.atomic():
        pack = (
            LeaverPack.objects.select_for_update(of=("self",))
            .select_related("child__nursery", "requested_by")
            .filter(pk=pack_id, status=LeaverPack.Status.READY, emailed_at__isnull=True)
            .first()
        )
        if pack is None:
            return False
        link = settings.SITE_URL + reverse("transitions:pack", args=[pack.pk])
        messages = []
        for person in pack_recipients(pack):
            context = {"pack": pack, "child": pack.child, "user": person, "link": link}
            messages.append(
                EmailMessage(
                    subject=render_to_string("transitions/email/pack_ready_subject.txt", context).strip(),
                    body=render_to_string("transitions/email/pack_ready.txt", context),
                    to=[person.email],
                )
            )
        get_connection().send_messages(messages)  # raises on a mail fault: nothing is marked sent
        pack.emailed_at = timezone.now()
        pack.save(update_fields=["emailed_at"])
    return True


def record_download(*, pack: LeaverPack, user: User) -> None:
    record_event(
        child=pack.child,
        actor=user,
        action=ChildAuditEvent.Action.EXPORTED,
        what=f"Leaver pack downloaded (built {timezone.localtime(pack.built_at):%d %b %Y %H:%M})",
    )


def expire_packs() -> int:
    """Delete the files of packs whose link has expired (the row stays, to say so and to rebuild)."""
    expired = 0
    for pack in LeaverPack.objects.filter(status=LeaverPack.Status.READY, expires_at__lt=timezone.now()):
        if pack.file:
            pack.file.delete(save=False)
        pack.status, pack.size, pack.stage = LeaverPack.Status.EXPIRED, 0, "Link expired"
        pack.save(update_fields=["file", "status", "size", "stage"])
        expired += 1
    return expired


def waiting_pack_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Packs still queued a while after the request (the broker was down, or the message was lost), and
    ready packs whose e-mail has not gone (the mail server was down)."""
    return list(
        LeaverPack.objects.filter(
            Q(status=LeaverPack.Status.QUEUED) | Q(status=LeaverPack.Status.READY, emailed_at__isnull=True),
            requested_at__lt=timezone.now() - older_than,
        ).values_list("pk", flat=True)
    )
