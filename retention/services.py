"""Writes: a nursery's periods, legal holds, the sweep that removes what is due, and erasure of a family account.

The sweep first takes, per kind, the same rows the preview counts (``selectors.due_rows``), up to
``MAX_PER_RUN`` a night, then removes them in batches of ``BATCH``, each in its own transaction: a run
stopped half-way leaves nothing half-removed and the next run carries on. It is idempotent: what was
removed is no longer due. The log keeps counts per kind, never what the records said.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import Invitation, User
from children.absences.models import Absence
from children.day.models import names_of
from children.medicines.models import MedicineRequest
from children.models import Child, ChildAuditEvent, Guardianship
from core.models import OutgoingMail
from keyworker.models import ConsultationNotice
from learning_stories.faces.selectors import variant_files
from learning_stories.faces.services import queue_variants
from learning_stories.models import (
    Comment,
    EntryNotice,
    NotificationPreference,
    Observation,
    ObservationChild,
    ObservationClip,
    ObservationPhoto,
    PhotoFace,
)
from messaging.models import AnnouncementReceipt, Conversation, MailNotice, Message
from nursery.models import Nursery, StaffMember
from privacy.models import SubjectAccessExport

from .models import AnonymisedPost, LegalHold, RemovalCount, RemovalRun, RetentionPeriod
from .schedule import (
    ANONYMISED,
    BY_CODE,
    ERASED_DOMAIN,
    FAMILY_DETAILS,
    KEPT_WITH_CHILD,
    KINDS,
    MAX_MONTHS,
    REMOVED,
    SITE_KINDS,
    Kind,
    Part,
    months_in_words,
)
from .selectors import due_rows, former_family_members, held_child_ids, periods, site_periods

BATCH = 200  # rows removed per transaction
MAX_PER_RUN = 5000  # rows per table per night; the rest is removed the next night

FORMER_FAMILY_MEMBER = "Former family member"
FORMER_STAFF = "Former member of staff"

# What an erasure's log lines count, besides the schedule's kinds.
ERASURE_COUNTS = {
    "family_account": "Family member's account",
    "family_links": "Links to children (with address)",
    "story_comments": "Comments in the learning story",
    "notices": "Notices to the family member",
}


def set_period(*, nursery: Nursery, kind_code: str, months: int, by: User) -> RetentionPeriod:
    """Keep one kind of record longer (or back to its default); never shorter than the law allows."""
    kind = BY_CODE[kind_code]
    if months < kind.floor:
        if kind.minimum is None:
            raise ValidationError("Keep it at least 1 month.", code="too_short")
        raise ValidationError(
            f"{kind.minimum_by} sets at least {months_in_words(kind.minimum)} for {kind.label.lower()} "
            f"({kind.describe(kind.minimum)}): it cannot be shorter.",
            code="below_minimum",
        )
    if months > MAX_MONTHS:
        raise ValidationError(f"At most {MAX_MONTHS // 12} years.", code="too_long")
    period, _ = RetentionPeriod.objects.update_or_create(
        nursery=nursery, kind=kind.code, defaults={"months": months, "changed_by": by, "changed_at": timezone.now()}
    )
    return period


def place_hold(*, nursery: Nursery, child: Child, reason: str, by: User) -> LegalHold:
    """Nothing about ``child`` is removed until the hold is released."""
    reason = reason.strip()
    if child.nursery_id != nursery.pk:
        raise ValidationError("Choose a child of this nursery.")
    if not reason:
        raise ValidationError("Say why the record is held (e.g. an insurance claim or a request from the police).")
    with transaction.atomic():
        if LegalHold.objects.select_for_update().filter(child=child, released_at__isnull=True).exists():
            raise ValidationError(f"{child} is already on hold.")
        hold = LegalHold.objects.create(nursery=nursery, child=child, reason=reason, placed_by=by)
        ChildAuditEvent.objects.create(
            child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Legal hold placed"
        )
    return hold


@transaction.atomic
def release_hold(*, hold: LegalHold, by: User) -> LegalHold:
    """The schedule applies to the child again (released once, however often asked: one history line)."""
    released = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
        released_at=timezone.now(), released_by=by
    )
    if released:
        ChildAuditEvent.objects.create(
            child=hold.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Legal hold released"
        )
    hold.refresh_from_db(fields=["released_at", "released_by"])
    return hold


# --- The sweep ------------------------------------------------------------------------------------


def sweep_all(today: date | None = None) -> int:
    """The nightly job: every nursery, then the whole install's kinds (sessions, sign-in log, invitations,
    second factors of closed accounts, e-mails queued for no nursery). Returns how many records went."""
    total = 0
    for nursery_id in [*Nursery.objects.order_by("pk").values_list("pk", flat=True), None]:
        run = sweep(nursery_id=nursery_id, today=today)
        total += sum(line.count for line in run.counts.all())
    return total


def sweep(*, nursery_id: int | None, today: date | None = None) -> RemovalRun:
    """Remove or anonymise what one nursery's schedule says is due on ``today``; log the counts. With
    ``nursery_id`` None: the whole install's kinds, and e-mails queued for no nursery."""
    today = today or timezone.localdate()
    nursery = Nursery.objects.get(pk=nursery_id) if nursery_id else None
    chosen, held = periods(nursery) | site_periods(), held_child_ids(nursery_id)
    kinds = KINDS if nursery else [BY_CODE["sent_mail"], *SITE_KINDS]
    # The child's whole record goes last, once this run has removed what kept it.
    kinds = sorted(kinds, key=lambda kind: kind.code == "child_record")
    plan = []
    for kind in kinds:
        for part in kind.parts:
            due = due_rows(kind, part, nursery_id=nursery_id, today=today, months=chosen[kind.code], held=held)
            plan.append(
                (kind, part, list(due.order_by("pk").values_list("pk", flat=True).distinct()[: MAX_PER_RUN + 1]))
            )
    run = RemovalRun.objects.create(nursery=nursery)
    counts: Counter[str] = Counter()
    for kind, part, pks in plan:
        if len(pks) > MAX_PER_RUN:
            run.more_due, pks = True, pks[:MAX_PER_RUN]
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                counts[kind.code] += _remove(kind, part, pks[start : start + BATCH], held=held, counts=counts)
    RemovalCount.objects.bulk_create(
        RemovalCount(run=run, kind=code, action=BY_CODE[code].action if code in BY_CODE else ANONYMISED, count=n)
        for code, n in counts.items()
        if n
    )
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "more_due"])
    if not any(counts.values()):  # a run that removed nothing only says when the sweep last ran: keep the newest
        RemovalRun.objects.filter(nursery=nursery, reason=RemovalRun.Reason.SCHEDULE, counts__isnull=True).exclude(
            pk=run.pk
        ).delete()
    return run


def _remove(kind: Kind, part: Part, pks: list[int], *, held: set[int], counts: Counter) -> int:
    if part.model is ObservationChild:
        return _remove_story_links(pks, held=held)
    if part.model is Child:
        return _remove_children(pks, counts=counts)
    if part.model is StaffMember:
        return _anonymise_posts(pks)
    if part.model is OutgoingMail:
        return _blank_mail(OutgoingMail.objects.filter(pk__in=pks))
    rows = part.model.objects.filter(pk__in=pks)
    if part.model is Conversation:
        photos = Message.objects.filter(conversation__in=pks).exclude(photo="")
        _delete_files_after_commit(file for message in photos for file in (message.photo, message.photo_thumbnail))
    if part.model is SubjectAccessExport:
        _delete_files_after_commit(export.file for export in rows)
    if part.model is MedicineRequest:  # the attached health care plans go with their records
        _delete_files_after_commit(request.plan for request in rows)
    count = rows.count()
    rows.delete()
    return count


def _delete_files_after_commit(files: Iterable[FieldFile]) -> None:
    """Delete stored files once the rows naming them are gone for good (not if the transaction rolls back)."""
    named = [(file.storage, file.name) for file in files if file]
    if named:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in named])


def _remove_story_links(pks: list[int], *, held: set[int]) -> int:
    """Take children out of their story entries: their comments and notices go, photos showing them go
    (unless a held child is in them too), and an entry left with no child goes altogether."""
    links = list(ObservationChild.objects.filter(pk__in=pks).values_list("observation_id", "child_id"))
    if not links:
        return 0
    leaving: dict[int, set[int]] = defaultdict(set)
    for observation_id, child_id in links:
        leaving[observation_id].add(child_id)
    pairs = Q()
    for observation_id, child_ids in leaving.items():
        pairs |= Q(observation_id=observation_id, child_id__in=child_ids)
    Comment.objects.filter(pairs).delete()
    EntryNotice.objects.filter(pairs).delete()
    in_entry: dict[int, set[int]] = defaultdict(set)
    for observation_id, child_id in ObservationChild.objects.filter(observation_id__in=leaving).values_list(
        "observation_id", "child_id"
    ):
        in_entry[observation_id].add(child_id)
    doomed = []
    for photo in ObservationPhoto.objects.filter(observation_id__in=leaving).prefetch_related("children"):
        shown = (
            {child.pk for child in photo.children.all()} if photo.children_chosen else in_entry[photo.observation_id]
        )
        going = shown & leaving[photo.observation_id]
        if going and not shown & held:
            doomed.append(photo)
            continue
        photo.children.remove(*going)
        # A kept photo: the leaver's face is no longer theirs by name (blurred, as any unnamed face).
        unnamed = PhotoFace.objects.filter(photo=photo, child_id__in=leaving[photo.observation_id]).update(child=None)
        if going or unnamed:
            queue_variants(photo)
    _delete_files_after_commit(file for photo in doomed for file in (photo.image, photo.thumbnail, photo.original))
    _delete_files_after_commit(variant_files([photo.pk for photo in doomed]))  # the blurred copies families saw
    ObservationPhoto.objects.filter(pk__in=[photo.pk for photo in doomed]).delete()
    doomed_clips = []  # video and sound clips: the same rule as photos
    for clip in ObservationClip.objects.filter(observation_id__in=leaving).prefetch_related("children"):
        shown = {child.pk for child in clip.children.all()} if clip.children_chosen else in_entry[clip.observation_id]
        going = shown & leaving[clip.observation_id]
        if not going:
            continue
        if shown & held:
            clip.children.remove(*going)
        else:
            doomed_clips.append(clip)
    _delete_files_after_commit(file for clip in doomed_clips for file in (clip.media, clip.poster, clip.original))
    ObservationClip.objects.filter(pk__in=[clip.pk for clip in doomed_clips]).delete()
    removed, _ = ObservationChild.objects.filter(pk__in=pks).delete()
    empty = Observation.objects.filter(pk__in=leaving, child_links__isnull=True)
    _delete_files_after_commit(
        file
        for photo in ObservationPhoto.objects.filter(observation__in=empty)
        for file in (photo.image, photo.thumbnail, photo.original)
    )
    _delete_files_after_commit(
        file
        for clip in ObservationClip.objects.filter(observation__in=empty)
        for file in (clip.media, clip.poster, clip.original)
    )
    _delete_files_after_commit(variant_files(ObservationPhoto.objects.filter(observation__in=empty).values("pk")))
    empty.delete()
    return removed


def _remove_children(pks: list[int], *, counts: Counter) -> int:
    """Family details go; the child's name, consents and key person history go too once nothing kept needs them.

    A parent or carer left with no child at any nursery (and no post) has their account closed and anonymised.
    """
    done = 0
    families = list(former_family_members(set(pks)))
    for child in Child.objects.filter(pk__in=pks):
        _delete_files_after_commit(
            [child.photo, child.photo_thumbnail, *(pack.file for pack in child.leaver_packs.all())]
        )
        if any(model.objects.filter(child=child).exists() for model in KEPT_WITH_CHILD):
            for model in FAMILY_DETAILS:
                model.objects.filter(child=child).delete()
            child.planned_activities.clear()
            child.activities_engaged.clear()
            Child.objects.filter(pk=child.pk).update(photo="", photo_thumbnail="")
        else:
            child.delete()
        done += 1
    nursery_ids = set(Child.objects.filter(pk__in=pks).values_list("nursery_id", flat=True))
    for member in families:
        anonymise_account(member, name=FORMER_FAMILY_MEMBER, nursery_ids=nursery_ids)
        counts["family_account"] += 1
    return done


def _anonymise_posts(pks: list[int]) -> int:
    done = 0
    for post in StaffMember.objects.filter(pk__in=pks).select_related("user"):
        _delete_files_after_commit([post.photo, post.photo_thumbnail])
        post.absences.all().delete()
        post.working_pattern.all().delete()
        StaffMember.objects.filter(pk=post.pk).update(photo="", photo_thumbnail="", job_title="", is_active=False)
        AnonymisedPost.objects.create(post=post)
        if not _account_still_needed(post.user):
            anonymise_account(post.user, name=FORMER_STAFF, nursery_ids={post.nursery_id})
        done += 1
    return done


def _account_still_needed(user: User) -> bool:
    """Another post not yet anonymised, a child's link or a nursery group: the person still uses KeyStory."""
    return (
        user.is_superuser
        or user.staff_posts.filter(anonymised__isnull=True).exists()
        or user.guardianships.exists()
        or user.owned_groups.exists()
    )


def _blank_mail(mails) -> int:
    """Cancel what has not gone and clear who it was for and what it said; the key stays (never sent twice)."""
    mails.filter(status__in=[OutgoingMail.Status.PENDING, OutgoingMail.Status.FAILED]).update(
        status=OutgoingMail.Status.CANCELLED
    )
    return mails.update(to="", subject="", body="", headers={}, recipient=None, last_error="")


def anonymise_account(user: User, *, name: str, nursery_ids: set[int]) -> None:
    """No name, no address, no phone, no sign-in, no second factor: what the person did stays, under ``name``.

    Invitations and e-mails are the records of the nurseries in ``nursery_ids`` (the ones closing the account)
    only: another nursery's invitation to the same address, or its e-mails, follow that nursery's schedule."""
    old_email = user.email
    user.full_name, user.known_as, user.phone = name, "", ""
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_DOMAIN}"
    user.is_active = False
    user.set_unusable_password()  # also ends every session: it changes the session hash
    user.save()
    Invitation.objects.filter(
        Q(guardian_grants__child__nursery_id__in=nursery_ids) | Q(staff_grant__nursery_id__in=nursery_ids),
        email__iexact=old_email,
    ).delete()
    _blank_mail(OutgoingMail.objects.filter(Q(recipient=user) | Q(to__iexact=old_email), nursery_id__in=nursery_ids))
    NotificationPreference.objects.filter(user=user).delete()
    _delete_second_factors(user)


def _delete_second_factors(user: User) -> None:
    """A closed account's authenticator apps, recovery codes and passkeys (when django-otp is installed)."""
    if not apps.is_installed("django_otp"):
        return
    from django_otp import devices_for_user

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()


# --- Erasure on request ---------------------------------------------------------------------------

# What an erasure keeps, and why: shown on the confirmation page.
KEPT_ON_ERASURE = (
    (
        "Acknowledgements of accidents and incidents",
        "Kept with the incident until the child is 21 years 3 months, as insurers and HSE guidance advise "
        "given the Limitation Act 1980; shown as "
        f"“{FORMER_FAMILY_MEMBER}”.",
    ),
    (
        "Permissions to give medicines, and acknowledgements of doses given",
        "Kept with the medicine record until the child is 21 years 3 months, like accident records; shown as "
        f"“{FORMER_FAMILY_MEMBER}”.",
    ),
    (
        "Consent decisions and their history",
        "The nursery must be able to show it had consent (UK GDPR article 7); the decision stays, the person "
        f"is shown as “{FORMER_FAMILY_MEMBER}”.",
    ),
    (
        "Confidential notes and support plan contributions they wrote",
        "Safeguarding and SEN records, kept until the child is 25 (safeguarding and SEN guidance); shown as "
        f"“{FORMER_FAMILY_MEMBER}”.",
    ),
    (
        "Messages they wrote to the nursery",
        f"Part of the child's record, removed with it on the retention schedule; shown as “{FORMER_FAMILY_MEMBER}”.",
    ),
    (
        "Home contributions and changes to “All about me”",
        "Part of the child's own record, removed with it on the retention schedule.",
    ),
    (
        "The record history",
        "Who viewed or changed a child's record stays (privacy rule: every view can be answered), naming "
        f"“{FORMER_FAMILY_MEMBER}”.",
    ),
)
REMOVED_ON_ERASURE = (
    "Name, e-mail address and phone number",
    "Signing in (the account is closed and its sessions end)",
    "Links to the children, with address and what they could see",
    "Comments they wrote in the learning story",
    "Notices and e-mails to them (addresses and subjects cleared)",
    "Invitations sent to their address",
)


def erasure_refusal(*, nursery: Nursery, member: User) -> str | None:
    """Why ``member``'s account cannot be erased now, as a sentence for the manager, or None."""
    if member.staff_posts.filter(anonymised__isnull=True).exists() or member.owned_groups.exists():
        return "This person also works for a nursery: their staff record follows the staff retention schedule."
    held = [
        hold.child
        for hold in LegalHold.objects.filter(
            nursery=nursery, released_at__isnull=True, child__guardianships__user=member
        ).select_related("child")
    ]
    if held:
        # What they wrote, agreed and acknowledged about a held child may be what the hold is for.
        return (
            f"{names_of(held)} {'is' if len(held) == 1 else 'are'} on legal hold: nothing about a held child is "
            "removed, this family member's account included. Release the hold when it is no longer needed, "
            "then erase the account."
        )
    return None


def erase_family_member(*, nursery: Nursery, member: User, by: User) -> RemovalRun:
    """Erase a parent's or carer's account on their request, keeping only what the law requires."""
    with transaction.atomic():
        refusal = erasure_refusal(nursery=nursery, member=member)
        if refusal:
            raise ValidationError(refusal)
        links = Guardianship.objects.filter(user=member, child__nursery=nursery)
        child_ids = list(links.values_list("child_id", flat=True))
        counts = Counter()
        counts["family_links"] = links.delete()[1].get(Guardianship._meta.label, 0)
        comments = Comment.objects.filter(author=member, by_staff=False, child_id__in=child_ids)
        counts["story_comments"] = comments.delete()[1].get(Comment._meta.label, 0)
        # Only this nursery's notices: a child at another nursery keeps that nursery's.
        counts["notices"] = EntryNotice.objects.filter(recipient=member, child__nursery=nursery).delete()[0]
        counts["notices"] += ConsultationNotice.objects.filter(
            recipient=member, consultation__child__nursery=nursery
        ).delete()[0]
        # The register keeps the days a child was reported off; who rang is no longer named.
        Absence.objects.filter(reported_by=member, child__nursery=nursery).update(
            reported_by=None, reporter_name=FORMER_FAMILY_MEMBER
        )
        counts["notices"] += AnnouncementReceipt.objects.filter(user=member, announcement__nursery=nursery).delete()[0]
        counts["notices"] += MailNotice.objects.filter(recipient=member, nursery=nursery).delete()[0]
        if not _account_still_needed(member):  # no child left at another nursery
            anonymise_account(member, name=FORMER_FAMILY_MEMBER, nursery_ids={nursery.pk})
            counts["family_account"] = 1
        for child_id in child_ids:
            ChildAuditEvent.objects.create(
                child_id=child_id,
                actor=by,
                action=ChildAuditEvent.Action.CHANGED,
                what="A family member's account erased on request",
            )
        run = RemovalRun.objects.create(
            nursery=nursery, reason=RemovalRun.Reason.ERASURE, by=by, finished_at=timezone.now()
        )
        RemovalCount.objects.bulk_create(
            RemovalCount(run=run, kind=code, action=ANONYMISED if code == "family_account" else REMOVED, count=n)
            for code, n in counts.items()
            if n
        )
    return run
