"""Writes for the leaver pack: asking for it, building it in a job (with progress), telling who asked that it
is ready (through the outbox), downloads and expiry."""

import tempfile
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, Guardianship
from children.notices import news_recipients, news_unsubscribe_url
from children.services import record_event
from core.outbox import queue_mail
from core.queue import Dispatch, enqueue

from ..models import LeaverPack
from .packs import write_pack_zip

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
    pack.save()
    record_event(child=child, actor=user, action=ChildAuditEvent.Action.EXPORTED, what="Leaver pack requested")
    from ..tasks import build_leaver_pack  # tasks import this module

    return pack, enqueue(build_leaver_pack, pack.pk)


def build_pack(*, pack_id: int) -> bool:
    """Make the pack's ZIP and e-mail that it is ready; safe to run again at any point (a retried task, a
    message delivered twice, a worker killed mid-build whose message comes back): it never makes a second
    row or file and never e-mails twice (the e-mails are queued with the change to "ready", once per
    build). Returns whether the pack is ready."""
    with transaction.atomic():
        pack = LeaverPack.objects.select_for_update().select_related("child__nursery").filter(pk=pack_id).first()
        if pack is None or pack.status in (LeaverPack.Status.EXPIRED, LeaverPack.Status.FAILED):
            return False
        if pack.status != LeaverPack.Status.READY:  # queued, or a build whose worker was lost: start over
            pack.status, pack.progress, pack.stage = LeaverPack.Status.BUILDING, 0, "Starting"
            pack.save(update_fields=["status", "progress", "stage"])
    return pack.status == LeaverPack.Status.READY or _build(pack)


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
            _queue_ready_emails(current)
            if old_name:  # the previous build, replaced
                transaction.on_commit(lambda: current.file.storage.delete(old_name))
    return True


def mark_failed(*, pack_id: int, error: str) -> None:
    """A build that raised: the person waiting is told to ask again (the job is not retried blindly)."""
    LeaverPack.objects.filter(pk=pack_id, status__in=IN_PROGRESS).update(
        status=LeaverPack.Status.FAILED, stage="Something went wrong", error=error[:300]
    )


def pack_recipients(pack: LeaverPack) -> list[tuple[User, Guardianship | None]]:
    """Who hears that the pack is ready, each with their link to the child if they are family.

    The e-mail to a family member is a family notice like a room move, not a requested one: it goes only to
    those whose news switch for the child is on (``news_recipients``) and carries its one-click opt-out,
    whether or not they pressed the button (one who did watches it being made on the page anyway). For a
    child who is leaving, that is the family with parental responsibility who can read the story; before
    then, only a family member who asked. A member of staff who asked gets it as staff mail, no opt-out.
    """
    family = news_recipients(pack.child, can_view_story=True, has_parental_responsibility=True)
    if not pack.child.leave_date:
        family = family.filter(user_id=pack.requested_by_id)
    people: list[tuple[User, Guardianship | None]] = [(link.user, link) for link in family]
    asked = pack.requested_by
    if asked and not pack.child.guardianships.filter(user=asked).exists():
        people.append((asked, None))
    return [(person, link) for person, link in people if person.email and person.is_active]


def _queue_ready_emails(pack: LeaverPack) -> None:
    """Tell whoever should know that the pack is ready. Each build's file has a new random name, so the
    keys (``pack-ready:<pack>:<build>:<user>``) give every request its own e-mail, and a build delivered
    twice none more."""
    build = PurePosixPath(pack.file.name).stem
    link = settings.SITE_URL + reverse("transitions:pack", args=[pack.pk])
    for person, family_link in pack_recipients(pack):
        queue_mail(
            key=f"pack-ready:{pack.pk}:{build}:{person.pk}",
            kind="Leaver pack ready",
            to=person,
            template="transitions/email/pack_ready",
            context={"pack": pack, "child": pack.child, "user": person, "link": link},
            nursery_id=pack.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(family_link) if family_link else "",
        )


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


# A build takes seconds to minutes; one still "being made" an hour after the request lost its worker and
# its message (e.g. the broker was flushed), so the sweep starts it again (build_pack starts over safely).
STUCK_BUILD_AFTER = timedelta(hours=1)


def waiting_pack_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Packs still queued a while after the request (the broker was down, or the message was lost), and
    builds stuck without a worker."""
    now = timezone.now()
    return list(
        LeaverPack.objects.filter(
            (
                Q(status=LeaverPack.Status.QUEUED)
                | Q(status=LeaverPack.Status.BUILDING, requested_at__lt=now - STUCK_BUILD_AFTER)
            ),
            requested_at__lt=now - older_than,
        ).values_list("pk", flat=True)
    )
