"""Writes for children and families."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import Invited, create_invitation
from core.images import ProcessedImage, store_photo
from core.queue import Dispatch
from nursery.models import Nursery
from nursery.services import replace_week

from . import selectors
from .models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Attendance,
    Booking,
    CareEntry,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    EmergencyContact,
    GuardianInvitation,
    Guardianship,
    HomeChange,
    Incident,
    ParentContribution,
    SendStatus,
    SleepCheck,
    SupportPlan,
    SupportReview,
    SupportTarget,
    TargetProgress,
    clock,
    names_of,
)
from .selectors import consent_purposes_for, has_consent

Action = ChildAuditEvent.Action


def record_event(*, child: Child, actor: User | None, action: str, what: str) -> ChildAuditEvent:
    """Write one line of the child's audit log."""
    return ChildAuditEvent.objects.create(child=child, actor=actor, action=action, what=what[:200])


def record_events(events: Iterable[tuple[int, str]], *, actor: User | None, action: str) -> None:
    """Lines of several children's audit logs in one write, as ``(child id, what)`` (a tap for a whole room)."""
    ChildAuditEvent.objects.bulk_create(
        ChildAuditEvent(child_id=child_id, actor=actor, action=action, what=what[:200]) for child_id, what in events
    )


def _log_care_entries(entries: list[CareEntry], *, by: User, action: str) -> None:
    record_events(((entry.child_id, f"Care log: {entry.summary}") for entry in entries), actor=by, action=action)


def record_daily_view(*, child_ids: Iterable[int], actor: User, what: str) -> None:
    """Note in each child's log that the user saw this today, once a day: pages that refresh every
    minute (the care log, a parent's "today") would otherwise bury the history."""
    ids = set(child_ids)
    start, end = selectors.day_bounds(timezone.localdate())
    seen = ChildAuditEvent.objects.filter(
        actor=actor, action=Action.VIEWED, what=what, child_id__in=ids, at__gte=start, at__lt=end
    ).values_list("child_id", flat=True)
    record_events(((child_id, what) for child_id in ids - set(seen)), actor=actor, action=Action.VIEWED)


@transaction.atomic
def invite_guardian(
    *,
    children: list[Child],
    email: str,
    full_name: str,
    relationship: str,
    has_parental_responsibility: bool,
    invited_by: User,
) -> Invited:
    """One invitation for a parent of one or more siblings (all at one nursery)."""
    invited = create_invitation(
        email=email, full_name=full_name, invited_by=invited_by, nursery_id=children[0].nursery_id
    )
    for child in children:
        GuardianInvitation.objects.create(
            invitation=invited.invitation,
            child=child,
            relationship=relationship,
            has_parental_responsibility=has_parental_responsibility,
        )
        record_event(child=child, actor=invited_by, action=ChildAuditEvent.Action.SHARED, what=f"Invited {email}")
    return invited


def grant_guardianship(*, grant: GuardianInvitation, user: User) -> Guardianship:
    link, created = Guardianship.objects.get_or_create(
        child=grant.child,
        user=user,
        defaults={
            "relationship": grant.relationship,
            "has_parental_responsibility": grant.has_parental_responsibility,
        },
    )
    if created:
        record_event(child=grant.child, actor=user, action=ChildAuditEvent.Action.CHANGED, what="Family member joined")
    return link


@transaction.atomic
def record_consent(*, child: Child, purpose: ConsentPurpose, granted: bool, by: User, note: str = "") -> Consent:
    """Add a decision to the child's consent history (history is never rewritten)."""
    decision = Consent.objects.create(child=child, purpose=purpose, granted=granted, recorded_by=by, note=note)
    verb = "given" if granted else "withdrawn"
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Consent {verb}: {purpose.name}")
    return decision


# --- The day: attendance, care log, incidents -------------------------------------------------

# A tablet's clock may run a little ahead of the server's: allow that much "future".
CLOCK_SLACK = timedelta(minutes=2)


def _not_in_future(at: datetime, what: str) -> None:
    now = timezone.now()
    if at > now + CLOCK_SLACK:
        raise ValidationError(f"{what} cannot be in the future: it is {clock(now)} now and you chose {clock(at)}.")


@transaction.atomic
def sign_in(*, child: Child, by: User, at: datetime | None = None) -> Attendance:
    at = at or timezone.now()
    _not_in_future(at, "Signing in")
    current = selectors.open_attendance(child)
    if current is not None:
        raise ValidationError(f"{child.known_as} has been signed in since {clock(current.signed_in_at)}.")
    stay = Attendance.objects.create(child=child, day=timezone.localdate(at), signed_in_at=at, signed_in_by=by)
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what=f"Signed in at {clock(at)}")
    return stay


@transaction.atomic
def sign_out(*, child: Child, by: User, at: datetime | None = None) -> Attendance:
    at = at or timezone.now()
    _not_in_future(at, "Signing out")
    stay = selectors.open_attendance(child)
    if stay is None:
        raise ValidationError(f"{child.known_as} is not signed in.")
    if at < stay.signed_in_at:
        raise ValidationError(
            f"{child.known_as} cannot leave ({clock(at)}) before arriving ({clock(stay.signed_in_at)})."
        )
    stay.signed_out_at, stay.signed_out_by = at, by
    stay.save(update_fields=["signed_out_at", "signed_out_by"])
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Signed out at {clock(at)}")
    return stay


def _require_present(children: list[Child], at: datetime) -> None:
    if not children:
        raise ValidationError("Choose at least one child first.")
    ids = {child.pk for child in children}
    present = set(selectors.present_at(Child.objects.filter(pk__in=ids), at).values_list("pk", flat=True))
    missing = [child for child in children if child.pk not in present]
    if missing:
        raise ValidationError(
            f"{names_of(missing)} {'is' if len(missing) == 1 else 'are'} not signed in at {clock(at)}. "
            "Sign them in on the register first, or untick them. Nothing was saved."
        )


@transaction.atomic
def log_care(
    *,
    children: list[Child],
    kind: str,
    by: User,
    at: datetime | None = None,
    meal: str = "",
    amount: str = "",
    condition: str = "",
    note: str = "",
) -> list[CareEntry]:
    """The same care entry for each child (lunch for the table, a note for the group): all or nothing."""
    at = at or timezone.now()
    label = CareEntry.Kind(kind).label
    _not_in_future(at, f"A {label.lower()} entry")
    if kind in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET) and not condition:
        raise ValidationError("Say whether it was wet, soiled or dry.")
    if kind == CareEntry.Kind.MEAL and not (meal and amount):
        raise ValidationError("Say which meal or drink and how much was eaten.")
    if kind in (CareEntry.Kind.CARE, CareEntry.Kind.NOTE) and not note.strip():
        raise ValidationError("Write what was done in the note box.")
    _require_present(children, at)
    entries = CareEntry.objects.bulk_create(
        CareEntry(
            child=child,
            kind=kind,
            day=timezone.localdate(at),
            at=at,
            meal=meal,
            amount=amount,
            condition=condition,
            note=note.strip(),
            by=by,
        )
        for child in children
    )
    _log_care_entries(entries, by=by, action=Action.CREATED)
    return entries


@transaction.atomic
def start_sleep(*, children: list[Child], by: User, at: datetime | None = None) -> list[CareEntry]:
    at = at or timezone.now()
    _not_in_future(at, "Falling asleep")
    _require_present(children, at)
    asleep = list(selectors.sleeping(Child.objects.filter(pk__in=[c.pk for c in children])))
    if asleep:
        raise ValidationError(
            "; ".join(f"{entry.child.known_as} has been asleep since {clock(entry.at)}" for entry in asleep)
            + ". Nothing was saved."
        )
    entries = CareEntry.objects.bulk_create(
        CareEntry(child=child, kind=CareEntry.Kind.SLEEP, day=timezone.localdate(at), at=at, by=by)
        for child in children
    )
    _log_care_entries(entries, by=by, action=Action.CREATED)
    return entries


def _sleeps_of(children: list[Child]) -> list[CareEntry]:
    if not children:
        raise ValidationError("Choose at least one child first.")
    sleeps = list(
        selectors.sleeping(Child.objects.filter(pk__in=[c.pk for c in children])).select_for_update(of=("self",))
    )
    awake = [child for child in children if child.pk not in {entry.child_id for entry in sleeps}]
    if awake:
        raise ValidationError(
            f"{names_of(awake)} {'is' if len(awake) == 1 else 'are'} not asleep. Untick them. Nothing was saved."
        )
    return sleeps


def _sleeps_under_way(children: list[Child], at: datetime, *, what: str, did: str) -> list[CareEntry]:
    """The children's open sleeps, refusing a time in the future or before a child fell asleep."""
    _not_in_future(at, what)
    sleeps = _sleeps_of(children)
    for entry in sleeps:
        if at < entry.at:
            raise ValidationError(
                f"{entry.child.known_as} {did} ({clock(at)}) before falling asleep ({clock(entry.at)}). "
                "Nothing was saved."
            )
    return sleeps


@transaction.atomic
def end_sleep(*, children: list[Child], by: User, at: datetime | None = None) -> list[CareEntry]:
    at = at or timezone.now()
    sleeps = _sleeps_under_way(children, at, what="Waking up", did="cannot wake up")
    for entry in sleeps:
        entry.ends_at = at
        entry.save(update_fields=["ends_at", "recorded_at"])
    _log_care_entries(sleeps, by=by, action=Action.CHANGED)
    return sleeps


@transaction.atomic
def check_sleep(*, children: list[Child], by: User, at: datetime | None = None) -> list[SleepCheck]:
    at = at or timezone.now()
    sleeps = _sleeps_under_way(children, at, what="A sleep check", did="cannot be checked")
    return SleepCheck.objects.bulk_create(SleepCheck(entry=entry, at=at, by=by) for entry in sleeps)


@transaction.atomic
def correct_care_entry(
    *,
    entry: CareEntry,
    by: User,
    done_by: User | None,
    at: datetime,
    ends_at: datetime | None = None,
    amount: str = "",
    condition: str = "",
    note: str = "",
) -> CareEntry:
    """Fix an entry's times or details after the event; the record history keeps who changed it."""
    _not_in_future(at, "The time")
    if ends_at is not None:
        _not_in_future(ends_at, "Waking up")
        if ends_at < at:
            raise ValidationError(f"Waking up ({clock(ends_at)}) cannot be before falling asleep ({clock(at)}).")
    _require_present([entry.child], at)
    entry.at, entry.day, entry.ends_at, entry.by = at, timezone.localdate(at), ends_at, done_by
    entry.amount, entry.condition, entry.note = amount or entry.amount, condition or entry.condition, note.strip()
    entry.save()
    record_event(
        child=entry.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Care log corrected: {entry.summary}"
    )
    return entry


@transaction.atomic
def remove_care_entry(*, entry: CareEntry, by: User) -> None:
    """Take back an entry logged by mistake (the wrong child ticked); the record history keeps what it was."""
    record_event(
        child=entry.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Care log removed: {entry.summary}"
    )
    entry.delete()


@transaction.atomic
def report_incident(*, child: Child, by: User, happened_at: datetime, **details: str) -> Incident:
    """Record an accident or incident (``kind``, ``what_happened``, ``where``, ``first_aid``, ``witness``)."""
    _not_in_future(happened_at, "An accident or incident")
    _require_present([child], happened_at)
    incident = Incident.objects.create(
        child=child, happened_at=happened_at, day=timezone.localdate(happened_at), recorded_by=by, **details
    )
    record_event(
        child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what=f"{incident.get_kind_display()} recorded"
    )
    return incident


@transaction.atomic
def acknowledge_incident(*, incident: Incident, by: User) -> Incident:
    """A parent has read the report. The first acknowledgement stands."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.acknowledged_at is None:
        incident.acknowledged_at, incident.acknowledged_by = timezone.now(), by
        incident.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(
            child=incident.child,
            actor=by,
            action=ChildAuditEvent.Action.CHANGED,
            what="Parent read the accident report",
        )
    return incident


def set_feedback_by_email(*, guardianship: Guardianship, on: bool) -> None:
    guardianship.feedback_by_email = on
    guardianship.save(update_fields=["feedback_by_email"])


@transaction.atomic
def set_child_photo(*, child: Child, photo: ProcessedImage | None, by: User) -> Dispatch | None:
    """Replace (or, with None, remove) the child's own photo; its thumbnail follows from a task.

    A photo needs the family's consent to photos in the child's own story.
    """
    if photo is not None and not has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY):
        raise ValidationError(
            f"{child.known_as}'s family has not agreed to photos in {child.known_as}'s own learning story, "
            "so no photo can be added. A manager can record their consent first."
        )
    if photo is None and not child.photo:
        return None  # removed already (a second tap on "Remove")
    dispatch = store_photo(child, photo)
    record_event(
        child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Photo changed" if photo else "Photo removed"
    )
    return dispatch


@transaction.atomic
def save_child(*, child: Child, by: User, changed: list[str]) -> Child:
    """Create or update a child's record (already validated) and note it in the record history."""
    created = child.pk is None
    child.save()
    if created:
        record_event(child=child, actor=by, action=Action.CREATED, what="Child added")
    elif changed:
        record_event(child=child, actor=by, action=Action.CHANGED, what=f"Details changed: {', '.join(changed)}")
    return child


@transaction.atomic
def update_guardianship(*, link: Guardianship, by: User, changed: list[str]) -> Guardianship:
    link.save()
    if changed:
        what = f"{link.user} — {', '.join(changed)} changed"
        record_event(child=link.child, actor=by, action=Action.CHANGED, what=what)
    return link


@transaction.atomic
def update_own_contact_details(*, user: User, full_name: str, phone: str, address: str) -> None:
    """A parent's own details: name and phone on their account, their address on each link to a child."""
    user.full_name, user.phone = full_name, phone
    user.save(update_fields=["full_name", "phone"])
    for link in user.guardianships.select_related("child"):
        if link.address != address:
            link.address = address
            link.save(update_fields=["address"])
        record_event(child=link.child, actor=user, action=Action.CHANGED, what="Family contact details updated")


@transaction.atomic
def save_emergency_contact(*, contact: EmergencyContact, by: User) -> EmergencyContact:
    verb = "added" if contact.pk is None else "changed"
    contact.save()
    record_event(child=contact.child, actor=by, action=Action.CHANGED, what=f"Emergency contact {verb}: {contact.name}")
    return contact


@transaction.atomic
def remove_emergency_contact(*, contact: EmergencyContact, by: User) -> None:
    what = f"Emergency contact removed: {contact.name}"
    record_event(child=contact.child, actor=by, action=Action.CHANGED, what=what)
    contact.delete()


@transaction.atomic
def save_all_about_me(*, about: AllAboutMe, by: User) -> AllAboutMe:
    about.updated_by = by
    about.save()
    record_event(child=about.child, actor=by, action=Action.CHANGED, what="All about me updated")
    return about


class NothingChanged(ValueError):
    """A proposed change at home that changes nothing and says nothing."""


@transaction.atomic
def propose_home_change(*, child: Child, by: User, proposed: dict[str, str], note: str = "") -> HomeChange:
    """Keep what the family says has changed, field by field, for the key person to read and accept."""
    current = AllAboutMe.objects.filter(child=child).first() or AllAboutMe(child=child)
    changes = {}
    for field in ABOUT_ME_FIELDS:
        was, now = getattr(current, field).strip(), proposed.get(field, "").strip()
        if field in proposed and was != now:
            changes[field] = {"from": was, "to": now}
    if not changes and not note.strip():
        raise NothingChanged("Nothing has changed yet: change an answer or write a note for the key person.")
    change = HomeChange.objects.create(child=child, proposed_by=by, changes=changes, note=note.strip())
    record_event(child=child, actor=by, action=Action.CHANGED, what="Change at home sent to the key person")
    return change


@transaction.atomic
def review_home_change(*, change: HomeChange, by: User, accept: bool) -> HomeChange:
    """Mark a change at home as read; when accepted, copy what the family proposed into "All about me"."""
    change = HomeChange.objects.select_for_update().get(pk=change.pk)
    if change.read_at is not None:
        return change  # already dealt with (a double tap, or two staff at once)
    if accept and change.changes:
        about, _ = AllAboutMe.objects.get_or_create(child=change.child)
        for field, values in change.changes.items():
            setattr(about, field, values["to"])
        about.updated_by = by
        about.save()
    change.read_by, change.read_at, change.accepted = by, timezone.now(), accept
    change.save(update_fields=["read_by", "read_at", "accepted"])
    what = "Change at home accepted into All about me" if accept else "Change at home read"
    record_event(child=change.child, actor=by, action=Action.CHANGED, what=what)
    return change


def add_consent_purpose(*, nursery: Nursery, name: str, description: str) -> ConsentPurpose:
    """A nursery's own purpose, after the built-in ones, with a code unique in the nursery."""
    base = slugify(name)[:40] or "purpose"
    code, n = base, 1
    while consent_purposes_for(nursery.pk).filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return ConsentPurpose.objects.create(nursery=nursery, code=code, name=name, description=description, order=200)


@transaction.atomic
def add_confidential_note(*, child: Child, by: User, text: str, source: str) -> ConfidentialNote:
    note = ConfidentialNote.objects.create(child=child, written_by=by, text=text.strip(), source=source)
    record_event(child=child, actor=by, action=Action.CHANGED, what="Confidential note added")
    return note


@transaction.atomic
def set_booking_pattern(*, child: Child, slots: set[tuple[int, int]], by: User) -> bool:
    """Replace the child's usual week with these (weekday, session id) pairs; the change is logged."""
    changed = replace_week(
        child.bookings.all(),
        slots,
        lambda weekday, session_id: Booking.objects.create(child=child, weekday=weekday, session_id=session_id),
    )
    if changed:
        record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Booking pattern")
    return changed


# --- Support plans -------------------------------------------------------------------------------


@transaction.atomic
def start_support_plan(*, plan: SupportPlan, by: User) -> bool:
    """Save a new plan (already validated). A child with a plan gets SEN support if they had no SEN
    status: the plan *is* SEN support. Returns whether that status changed, so the page can say so."""
    child = plan.child
    plan.created_by = by
    plan.save()
    record_event(child=child, actor=by, action=Action.CREATED, what=f"Support plan: {plan.title}")
    if child.send_status != SendStatus.NONE:
        return False
    child.send_status = SendStatus.SEN_SUPPORT
    child.save(update_fields=["send_status"])
    record_event(child=child, actor=by, action=Action.CHANGED, what="Special educational needs: SEN support (plan)")
    return True


def save_support_plan(*, plan: SupportPlan, by: User, changed: list[str]) -> SupportPlan:
    """Save changes to a plan's assessment, dates or status (a closed plan notes the day it closed)."""
    if plan.status == SupportPlan.Status.CLOSED and plan.closed_on is None:
        plan.closed_on = timezone.localdate()
    elif plan.status == SupportPlan.Status.ACTIVE:
        plan.closed_on = None
    plan.save()
    if changed:
        what = f"Support plan {plan.title}: {', '.join(changed)} changed"
        record_event(child=plan.child, actor=by, action=Action.CHANGED, what=what)
    return plan


def save_support_target(*, target: SupportTarget, by: User) -> SupportTarget:
    created = target.pk is None
    target.save()
    verb = "added to" if created else "changed in"
    record_event(
        child=target.plan.child,
        actor=by,
        action=Action.CREATED if created else Action.CHANGED,
        what=f"Target {verb} support plan {target.plan.title}",
    )
    return target


@transaction.atomic
def record_support_review(*, review: SupportReview, by: User, progress: dict[int, tuple[str, str]]) -> SupportReview:
    """Save a review with its progress per target ({target id: (progress, note)}); achieved targets
    close, and the plan's next review date becomes the one the review set."""
    plan = review.plan
    review.recorded_by = by
    review.save()
    TargetProgress.objects.bulk_create(
        TargetProgress(review=review, target_id=target_id, progress=value, note=note)
        for target_id, (value, note) in progress.items()
    )
    achieved = [pk for pk, (value, _) in progress.items() if value == TargetProgress.Progress.ACHIEVED]
    plan.targets.filter(pk__in=achieved).update(status=SupportTarget.Status.ACHIEVED)
    plan.next_review_on = review.next_review_on
    plan.save(update_fields=["next_review_on", "updated_at"])
    record_event(
        child=plan.child, actor=by, action=Action.CREATED, what=f"Review of support plan {plan.title} recorded"
    )
    return review


def add_plan_contribution(*, plan: SupportPlan, by: User, views: str, works_at_home: str) -> ParentContribution:
    contribution = ParentContribution.objects.create(plan=plan, author=by, views=views, works_at_home=works_at_home)
    what = f"Family's contribution to support plan {plan.title}"
    record_event(child=plan.child, actor=by, action=Action.CREATED, what=what)
    return contribution


def mark_plan_contributions_read(*, plan: SupportPlan) -> int:
    return plan.contributions.filter(read_at__isnull=True).update(read_at=timezone.now())
