"""Writes for the key person system: assignments, key groups, family notices and end-of-session feedback."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import Attendance, Child, ChildAuditEvent, Guardianship, SupportPlan
from children.selectors import moment, sessions_attended
from children.services import record_event
from core.outbox import cancel_mail, queue_mail
from core.queue import Dispatch, enqueue
from learning_stories.models import NextStep
from nursery.models import Nursery, NurserySession, Room, StaffMember

from . import selectors
from .models import (
    Consultation,
    ConsultationNotice,
    ConsultationSlot,
    KeyGroup,
    KeyPersonAssignment,
    KeyPersonNotice,
    PlannedActivity,
    SessionFeedback,
)
from .selectors import feedback_rows, key_group_sizes, key_person_on
from .summaries import scopes_for, summaries

OVER_LIMIT = "over_limit"


@dataclass
class Assigned:
    assignments: list[KeyPersonAssignment]
    dispatches: list[Dispatch] = field(default_factory=list)


def _name(staff: StaffMember) -> str:
    return staff.user.full_name


def check_key_person(key_person: StaffMember, nursery: Nursery) -> None:
    """Only an active practitioner of the child's own nursery can be a key person."""
    if key_person.nursery_id != nursery.pk or not key_person.is_active:
        raise ValidationError("That person does not work at this nursery.", code="not_staff")
    if key_person.role != StaffMember.Role.PRACTITIONER:
        raise ValidationError(
            f"{_name(key_person)} is not a practitioner here, so cannot be a key person.", code="not_practitioner"
        )


def check_buddy(buddy: StaffMember | None, *, key_person: StaffMember) -> None:
    if buddy is None:
        return
    if buddy.nursery_id != key_person.nursery_id or not buddy.is_active:
        raise ValidationError("The buddy must work at this nursery.", code="buddy_not_staff")
    if buddy.pk == key_person.pk:
        raise ValidationError("The buddy covers when the key person is away, so must be someone else.", code="buddy")


def check_group_room(key_person: StaffMember, adding: int, *, day: date, allow_over_limit: bool) -> None:
    """Refuse to take a key group over its limit unless the manager has explicitly said to."""
    group = KeyGroup.objects.filter(key_person=key_person).first()
    if group is None or group.size_limit is None or allow_over_limit:
        return
    size = key_group_sizes(key_person.nursery, day).get(key_person.pk, 0)
    if size + adding > group.size_limit:
        raise ValidationError(
            f"{_name(key_person)}'s key group would have {size + adding} children; its limit is "
            f"{group.size_limit}. Tick “Go over the limit” to do it anyway.",
            code=OVER_LIMIT,
        )


def _key_person_mail_key(assignment_id: int, user_id: int) -> str:
    return f"key-person:{assignment_id}:{user_id}"


def _tell_family(assignment: KeyPersonAssignment) -> list[Dispatch]:
    """Tell the child's family of their key person: on their home page, and one e-mail each."""
    links = list(assignment.child.guardianships.select_related("user"))
    if not links:
        return []
    KeyPersonNotice.objects.create(assignment=assignment)
    previous = (
        assignment.child.key_person_assignments.filter(starts_on__lt=assignment.starts_on)
        .select_related("key_person__user")
        .order_by("-starts_on")
        .first()
    )
    return [
        queue_mail(
            key=_key_person_mail_key(assignment.pk, link.user_id),
            kind="Key person change",
            to=link.user,
            template="keyworker/email/key_person",
            context={"assignment": assignment, "previous": previous, "user": link.user, "site_url": settings.SITE_URL},
            nursery_id=assignment.child.nursery_id,
        )
        for link in links
    ]


def _forget_plan(spell: KeyPersonAssignment) -> None:
    """A planned key person replaced before starting: the family is not told of them if not told yet."""
    for user_id in spell.child.guardianships.values_list("user_id", flat=True):
        cancel_mail(key=_key_person_mail_key(spell.pk, user_id))
    spell.delete()


def _assign(
    *,
    child: Child,
    key_person: StaffMember,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    by: User,
    buddy: StaffMember | None,
) -> tuple[KeyPersonAssignment, list[Dispatch]]:
    """Close the current spell the day before ``starts_on`` and open the new one (callers validate the person)."""
    today = timezone.localdate()
    spells = list(
        KeyPersonAssignment.objects.select_for_update(of=("self",))
        .filter(child=child)
        .select_related("key_person__user")
    )
    current = next((s for s in spells if s.ends_on is None), None)
    if current and current.starts_on >= starts_on and current.starts_on > today:
        # A plan that has not begun yet is not history: the new choice replaces it.
        spells.remove(current)
        _forget_plan(current)
        record_event(
            child=child,
            actor=by,
            action=ChildAuditEvent.Action.CHANGED,
            what=f"Planned key person {_name(current.key_person)} replaced before starting",
        )
        current = None
    if current and current.key_person_id == key_person.pk:
        raise ValidationError(f"{_name(key_person)} is already {child.known_as}'s key person.", code="same")
    for spell in spells:
        if spell is current and spell.starts_on >= starts_on:
            raise ValidationError(
                f"{_name(spell.key_person)} has been {child.known_as}'s key person since "
                f"{spell.starts_on:%-d %B %Y}. Choose a start date after that.",
                code="overlap",
            )
        if spell is not current and spell.ends_on >= starts_on:
            raise ValidationError(
                f"This overlaps {_name(spell.key_person)}'s time as key person "
                f"({spell.starts_on:%-d %B %Y} to {spell.ends_on:%-d %B %Y}). Choose a start date after that.",
                code="overlap",
            )
    if current:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    try:
        with transaction.atomic():
            assignment = KeyPersonAssignment.objects.create(
                child=child,
                key_person=key_person,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=reason.strip(),
                buddy=buddy,
                created_by=by,
            )
    except IntegrityError:  # another manager changed this child at the same moment
        raise ValidationError(
            f"{child.known_as}'s key person was changed by someone else just now. Please check and try again.",
            code="conflict",
        ) from None
    record_event(
        child=child,
        actor=by,
        action=ChildAuditEvent.Action.CHANGED,
        what=f"Key person: {_name(key_person)} from {starts_on:%-d %b %Y} ({reason.strip()})",
    )
    return assignment, _tell_family(assignment)


def _check_change(reason: str, starts_on: date, ends_on: date | None) -> None:
    if not reason.strip():
        raise ValidationError("Say why the key person is changing: it is kept in the child's history.", code="reason")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The last day is before the first day. Check the dates.", code="dates")


@transaction.atomic
def assign_key_person(
    *,
    child: Child,
    key_person: StaffMember,
    starts_on: date,
    reason: str,
    by: User,
    ends_on: date | None = None,
    buddy: StaffMember | None = None,
    allow_over_limit: bool = False,
) -> Assigned:
    """Make ``key_person`` the child's key person from ``starts_on`` (before the child starts is encouraged)."""
    _check_change(reason, starts_on, ends_on)
    check_key_person(key_person, child.nursery)
    check_buddy(buddy, key_person=key_person)
    check_group_room(key_person, 1, day=starts_on, allow_over_limit=allow_over_limit)
    assignment, dispatches = _assign(
        child=child, key_person=key_person, starts_on=starts_on, ends_on=ends_on, reason=reason, by=by, buddy=buddy
    )
    return Assigned([assignment], dispatches)


@transaction.atomic
def reassign_key_group(
    *,
    from_person: StaffMember,
    to_person: StaffMember,
    starts_on: date,
    reason: str,
    by: User,
    allow_over_limit: bool = False,
) -> Assigned:
    """Move every child of one key group to another practitioner in one go, keeping each child's history."""
    _check_change(reason, starts_on, None)
    if from_person.pk == to_person.pk:
        raise ValidationError("Choose a different practitioner to take the group.", code="same")
    check_key_person(to_person, from_person.nursery)
    spells = list(
        KeyPersonAssignment.objects.filter(key_person=from_person, ends_on__isnull=True).select_related("child")
    )
    if not spells:
        raise ValidationError(f"{_name(from_person)} has no key children to move.", code="empty")
    check_group_room(to_person, len(spells), day=starts_on, allow_over_limit=allow_over_limit)
    result = Assigned([])
    for spell in spells:
        try:
            assignment, dispatches = _assign(
                child=spell.child,
                key_person=to_person,
                starts_on=starts_on,
                ends_on=None,
                reason=reason,
                by=by,
                buddy=None,
            )
        except ValidationError as exc:
            raise ValidationError(f"{spell.child.display_name}: {exc.messages[0]} Nothing was changed.") from None
        result.assignments.append(assignment)
        result.dispatches += dispatches
    return result


@transaction.atomic
def set_child_buddy(*, child: Child, buddy: StaffMember | None, by: User) -> KeyPersonAssignment:
    """Name the child's own buddy for their current key person's spell (None: the group's buddy covers)."""
    spell = KeyPersonAssignment.objects.select_for_update().filter(child=child, ends_on__isnull=True).first()
    if spell is None:
        raise ValidationError(f"{child.known_as} needs a key person before a buddy.", code="no_key_person")
    check_buddy(buddy, key_person=spell.key_person)
    spell.buddy = buddy
    spell.save(update_fields=["buddy"])
    who = _name(buddy) if buddy else "the key group's buddy"
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=f"Buddy: {who}")
    return spell


@transaction.atomic
def save_key_group(*, key_person: StaffMember, size_limit: int | None, buddy: StaffMember | None) -> KeyGroup:
    check_buddy(buddy, key_person=key_person)
    group, _ = KeyGroup.objects.update_or_create(
        key_person=key_person, defaults={"size_limit": size_limit, "buddy": buddy}
    )
    return group


# How long after a session ends the sweep waits for the key person before sending feedback itself.
FEEDBACK_GRACE = timedelta(minutes=30)


@dataclass
class RoomFeedbackSent:
    sent: list[SessionFeedback] = field(default_factory=list)
    already_sent: list[Child] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)


@transaction.atomic
def send_room_feedback(
    *, room: Room, session: NurserySession, day: date, notes: dict[int, str], by: User
) -> RoomFeedbackSent:
    """Save feedback for every child of the room who attended the session and queue its publishing.

    A child whose feedback was already sent (by a colleague or the sweep) is skipped: never twice.
    """
    from .tasks import publish_feedback

    result = RoomFeedbackSent()
    for row in feedback_rows(room, session, day):
        note = notes.get(row.child.pk, "").strip()
        feedback, created = SessionFeedback.objects.get_or_create(
            child=row.child,
            session=session,
            day=day,
            defaults={"summary": row.summary, "note": note, "written_by": by},
        )
        if not created:
            feedback = SessionFeedback.objects.select_for_update().get(pk=feedback.pk)
            if feedback.status == SessionFeedback.Status.SENT:
                result.already_sent.append(row.child)
                continue
            feedback.note, feedback.written_by = note, by
            feedback.save(update_fields=["note", "written_by"])
        record_event(
            child=row.child,
            actor=by,
            action=ChildAuditEvent.Action.CREATED,
            what=f"Feedback written for the {session.name.lower()} session",
        )
        result.dispatches.append(enqueue(publish_feedback, feedback.pk))
        result.sent.append(feedback)
    return result


def _recipients(feedback: SessionFeedback) -> list[User]:
    """Family members who receive feedback and asked for it by e-mail."""
    return [
        link.user
        for link in feedback.child.guardianships.filter(
            receives_feedback=True, feedback_by_email=True, user__is_active=True
        ).select_related("user")
    ]


def publish_feedback(*, feedback_id: int) -> bool:
    """Show the feedback in the parent portal and queue the e-mails of those who asked; once only.

    True if it did. Each e-mail is an outbox row keyed by feedback and person, so it goes once.
    """
    with transaction.atomic():
        feedback = (
            SessionFeedback.objects.select_for_update(of=("self",))
            .select_related("child", "session", "written_by")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None or feedback.status == SessionFeedback.Status.SENT:
            return False
        feedback.status, feedback.sent_at = SessionFeedback.Status.SENT, timezone.now()
        feedback.save(update_fields=["status", "sent_at"])
        url = f"{settings.SITE_URL}{reverse('keyworker:feedback_history', args=[feedback.child_id])}"
        for user in _recipients(feedback):
            queue_mail(
                key=f"feedback:{feedback.pk}:{user.pk}",
                kind="End-of-session feedback",
                to=user,
                template="keyworker/email/feedback",
                context={"feedback": feedback, "recipient": user, "url": url},
                nursery_id=feedback.child.nursery_id,
            )
        record_event(
            child=feedback.child,
            actor=None,
            action=ChildAuditEvent.Action.SHARED,
            what=f"Feedback for the {feedback.session.name.lower()} session sent to the family",
        )
    return True


def create_missing_feedback(*, now: datetime | None = None) -> list[int]:
    """Feedback from the care log for sessions that ended (plus the grace period) without any. Returns new ids.

    Yesterday is looked at too, so a sweep that did not run overnight still catches the last sessions.
    Two sweeps at once are safe: the unique constraint makes the second one find the first one's row.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    for day in (today - timedelta(days=1), today):
        children = Child.objects.filter(pk__in=Attendance.objects.filter(day=day).values("child_id"))
        attended = sessions_attended(children, day, now=now)
        done = set(SessionFeedback.objects.filter(day=day).values_list("child_id", "session_id"))
        due: dict[NurserySession, list[Child]] = {}
        by_pk = {child.pk: child for child in children.filter(pk__in=list(attended))}
        for child_id, sessions in attended.items():
            for session in sessions:
                if (child_id, session.pk) not in done and moment(day, session.ends_at) + FEEDBACK_GRACE <= now:
                    due.setdefault(session, []).append(by_pk[child_id])
        for session, waiting in due.items():
            written = summaries(scopes_for(waiting, session, day, attended))
            for child in waiting:
                with transaction.atomic():
                    feedback, was_created = SessionFeedback.objects.get_or_create(
                        child=child, session=session, day=day, defaults={"summary": written[child.pk]}
                    )
                if was_created:
                    created.append(feedback.pk)
    return created


def unpublished_feedback_ids() -> list[int]:
    """Feedback saved but never published: the broker was down, or the sweep has just written it."""
    return list(SessionFeedback.objects.filter(status=SessionFeedback.Status.READY).values_list("pk", flat=True))


# --- Weekly planning ------------------------------------------------------------------------------


@dataclass
class ActivityPlan:
    """What the planning form sends, already limited to the room's children and their open steps."""

    title: str
    description: str = ""
    days: list[int] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    led_by: StaffMember | None = None


def _check_plan(room: Room, plan: ActivityPlan) -> None:
    if not plan.title.strip():
        raise ValidationError("Give the activity a title.")
    if any(day not in range(7) for day in plan.days):
        raise ValidationError("Choose days of the week.")
    if plan.led_by is not None and plan.led_by.nursery_id != room.nursery_id:
        raise ValidationError("The person leading it must work at this nursery.")
    if any(step.child.nursery_id != room.nursery_id for step in plan.next_steps):
        raise ValidationError("Only next steps of this nursery's children can be planned here.")


@transaction.atomic
def plan_activity(*, room: Room, week_of: date, plan: ActivityPlan, by: User) -> PlannedActivity:
    """Add an activity to a room's week. The children it serves include those whose next steps it plans for."""
    if week_of.weekday() != 0:
        raise ValidationError("A planning week starts on a Monday.")
    _check_plan(room, plan)
    activity = PlannedActivity.objects.create(room=room, week_of=week_of, created_by=by, title=plan.title.strip())
    return _apply_plan(activity, plan)


@transaction.atomic
def change_activity(*, activity: PlannedActivity, plan: ActivityPlan) -> PlannedActivity:
    _check_plan(activity.room, plan)
    activity.title = plan.title.strip()
    return _apply_plan(activity, plan)


def _apply_plan(activity: PlannedActivity, plan: ActivityPlan) -> PlannedActivity:
    activity.description = plan.description.strip()
    activity.days = sorted(set(plan.days))
    activity.led_by = plan.led_by
    activity.save()
    activity.next_steps.set(plan.next_steps)
    activity.children.set({*plan.children, *(step.child for step in plan.next_steps)})
    return activity


@transaction.atomic
def evaluate_activity(
    *, activity: PlannedActivity, evaluation: str, engaged: list[Child], by: User, today: date | None = None
) -> PlannedActivity:
    """How the activity went and which children joined in, once its week has begun."""
    if activity.week_of > (today or timezone.localdate()):
        raise ValidationError("You can evaluate the activity once its week has started.")
    if not evaluation.strip():
        raise ValidationError("Write how it went.")
    activity.evaluation = evaluation.strip()
    activity.evaluated_by = by
    activity.evaluated_at = timezone.now()
    activity.save(update_fields=["evaluation", "evaluated_by", "evaluated_at"])
    activity.engaged.set(engaged)
    return activity


# --- Consultations --------------------------------------------------------------------------------

SLOT_TAKEN = "Sorry, this time has just been booked by another family. Please choose another time."


def _is_family(user: User, child: Child) -> bool:
    return Guardianship.objects.filter(user=user, child=child).exists()


def _notify(consultation: Consultation, kind: str, *, actor: User, event: str) -> None:
    """Tell the other side (the key person, or the child's family), once per event, in the app and by e-mail."""
    if _is_family(actor, consultation.child):
        recipients = User.objects.filter(pk=consultation.key_person.user_id)
    else:
        recipients = User.objects.filter(
            guardianships__child=consultation.child, guardianships__has_parental_responsibility=True
        )
    url = settings.SITE_URL + reverse("keyworker:meeting", args=[consultation.pk])
    for recipient in recipients.exclude(pk=actor.pk):
        notice, created = ConsultationNotice.objects.get_or_create(
            consultation=consultation, recipient=recipient, event=event, defaults={"kind": kind, "actor": actor}
        )
        if created:
            queue_mail(
                key=f"meeting-notice:{notice.pk}:{recipient.pk}",
                kind="Meeting notice",
                to=recipient,
                template="keyworker/email/meeting",
                context={"notice": notice, "meeting": consultation, "url": url},
                nursery_id=consultation.child.nursery_id,
            )


@transaction.atomic
def offer_slot(
    *, key_person: StaffMember, starts_at: datetime, minutes: int, place: str, where: str = ""
) -> ConsultationSlot:
    if starts_at <= timezone.now():
        raise ValidationError("Choose a time in the future.")
    if minutes <= 0:
        raise ValidationError("A meeting needs a length.")
    # The key person's row is the lock: two offers at once cannot both pass the overlap check.
    StaffMember.objects.select_for_update().filter(pk=key_person.pk).first()
    ends_at = starts_at + timedelta(minutes=minutes)
    for other in ConsultationSlot.objects.filter(
        key_person=key_person,
        withdrawn_at__isnull=True,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(days=1),
    ):
        if other.starts_at + timedelta(minutes=other.minutes) > starts_at:
            when = timezone.localtime(other.starts_at)
            raise ValidationError(
                f"You already offer {when:%H:%M} on {when:%A %-d %B} ({other.minutes} minutes): "
                "one person cannot be in two meetings at once."
            )
    return ConsultationSlot.objects.create(
        key_person=key_person, starts_at=starts_at, minutes=minutes, place=place, where=where.strip()
    )


def withdraw_slot(*, slot: ConsultationSlot) -> None:
    if slot.consultations.filter(status=Consultation.Status.BOOKED).exists():
        raise ValidationError("A family has booked this time: cancel the meeting first, so they are told.")
    slot.withdrawn_at = timezone.now()
    slot.save(update_fields=["withdrawn_at"])


@transaction.atomic
def request_meeting(*, child: Child, by: User, message: str, preferred_times: str) -> Consultation:
    """A family asks their child's key person for a meeting."""
    key_person = key_person_on(child)
    if key_person is None:
        raise ValidationError(f"{child.known_as} has no key person yet: please ask the nursery's manager.")
    if not message.strip():
        raise ValidationError("Say briefly what you would like to talk about.")
    consultation = Consultation.objects.create(
        child=child,
        key_person=key_person,
        requested_by=by,
        message=message.strip(),
        preferred_times=preferred_times.strip(),
    )
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CREATED, what="Meeting asked for")
    _notify(consultation, ConsultationNotice.Kind.REQUESTED, actor=by, event="requested")
    return consultation


def _check_slot(slot: ConsultationSlot, child: Child) -> None:
    key_person = key_person_on(child)
    if key_person is None or slot.key_person_id != key_person.pk:
        raise ValidationError(f"That time is not offered by {child.known_as}'s key person.")
    if slot.withdrawn_at is not None or slot.starts_at <= timezone.now():
        raise ValidationError("That time is no longer available. Please choose another.")


def _take_slot(consultation: Consultation, slot: ConsultationSlot) -> None:
    """Save the booking; the database's one-booking-per-slot constraint decides between two families."""
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError:
        raise ValidationError(SLOT_TAKEN, code="slot_taken") from None


@transaction.atomic
def book_slot(*, child: Child, slot: ConsultationSlot, by: User, message: str = "") -> Consultation:
    """Book an offered time for a child, answering the family's open request for a meeting if there is one."""
    _check_slot(slot, child)
    if Consultation.objects.filter(selectors.live_booking(), slot=slot).exists():
        raise ValidationError(SLOT_TAKEN, code="slot_taken")
    consultation = (
        Consultation.objects.filter(child=child, key_person=slot.key_person, status=Consultation.Status.REQUESTED)
        .order_by("created_at")
        .first()
    ) or Consultation(child=child, key_person=slot.key_person, requested_by=by)
    consultation.slot = slot
    consultation.status = Consultation.Status.BOOKED
    consultation.booked_by, consultation.booked_at = by, timezone.now()
    consultation.message = consultation.message or message.strip()
    _take_slot(consultation, slot)
    record_event(child=child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting booked")
    _notify(consultation, ConsultationNotice.Kind.BOOKED, actor=by, event=f"booked:{slot.pk}")
    return consultation


@transaction.atomic
def move_meeting(*, consultation: Consultation, slot: ConsultationSlot, by: User) -> Consultation:
    """Rebook a meeting into another offered time (the old one becomes free again)."""
    if consultation.status != Consultation.Status.BOOKED:
        raise ValidationError("Only a booked meeting can be moved.")
    _check_slot(slot, consultation.child)
    consultation.slot = slot
    consultation.booked_by, consultation.booked_at = by, timezone.now()
    _take_slot(consultation, slot)
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting moved")
    # Each move is its own event (moving back to an earlier time must tell the other side again).
    event = f"moved:{slot.pk}:{consultation.booked_at.timestamp()}"
    _notify(consultation, ConsultationNotice.Kind.BOOKED, actor=by, event=event)
    return consultation


@transaction.atomic
def cancel_meeting(*, consultation: Consultation, by: User) -> Consultation:
    if consultation.status in (Consultation.Status.HELD, Consultation.Status.CANCELLED):
        return consultation
    consultation.status = Consultation.Status.CANCELLED
    consultation.cancelled_by = by
    consultation.save(update_fields=["status", "cancelled_by"])
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting cancelled")
    _notify(consultation, ConsultationNotice.Kind.CANCELLED, actor=by, event="cancelled")
    return consultation


@transaction.atomic
def write_meeting_notes(*, consultation: Consultation, notes: str, agreed_summary: str, by: User) -> Consultation:
    """After the meeting: notes for staff, and a summary agreed with the family that the family reads."""
    if consultation.status not in (Consultation.Status.BOOKED, Consultation.Status.HELD):
        raise ValidationError("Notes are written for a meeting that was booked.")
    if not (notes.strip() or agreed_summary.strip()):
        raise ValidationError("Write the notes or the agreed summary.")
    consultation.status = Consultation.Status.HELD
    consultation.notes, consultation.agreed_summary = notes.strip(), agreed_summary.strip()
    consultation.notes_by, consultation.notes_at = by, timezone.now()
    consultation.save()
    record_event(child=consultation.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what="Meeting notes")
    if consultation.agreed_summary:
        _notify(consultation, ConsultationNotice.Kind.NOTES, actor=by, event="notes")
    return consultation


def mark_notices_read(*, user: User) -> int:
    return ConsultationNotice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Support plan review reminders -------------------------------------------------------------
# The key person is reminded a week before a plan's review date (or at once if it is closer or past),
# once per due date: ``SupportPlan.reminded_for`` records the date the reminder was queued for.
REVIEW_REMINDER_DAYS = 7


def support_reviews_to_remind(*, today: date | None = None) -> list[int]:
    """Active plans of children still here whose review is due within a week and not yet reminded."""
    today = today or timezone.localdate()
    return list(
        SupportPlan.objects.filter(
            Q(child__leave_date__isnull=True) | Q(child__leave_date__gte=today),
            status=SupportPlan.Status.ACTIVE,
            next_review_on__lte=today + timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .exclude(reminded_for=F("next_review_on"))
        .values_list("pk", flat=True)
    )


def _review_reminder_recipients(plan: SupportPlan) -> list[User]:
    """The key person; a child without one today falls to the nursery's SENCO, else its managers."""
    key_person = key_person_on(plan.child)
    if key_person is not None:
        return [key_person.user]
    staff = StaffMember.objects.filter(nursery_id=plan.child.nursery_id, is_active=True).select_related("user")
    return [post.user for post in staff.filter(is_senco=True) or staff.filter(role=StaffMember.Role.MANAGER)]


def remind_support_review(*, plan_id: int) -> bool:
    """Queue the e-mail that a plan's review is due; once per due date. True if it queued it now."""
    with transaction.atomic():
        plan = (
            SupportPlan.objects.select_for_update(of=("self",))
            .select_related("child__nursery")
            .filter(pk=plan_id, status=SupportPlan.Status.ACTIVE)
            .first()
        )
        if plan is None or plan.reminded_for == plan.next_review_on:
            return False
        context = {"plan": plan, "child": plan.child, "site_url": settings.SITE_URL}
        for user in _review_reminder_recipients(plan):
            queue_mail(
                key=f"review-due:{plan.pk}:{plan.next_review_on.isoformat()}:{user.pk}",
                kind="Support plan review due",
                to=user,
                template="keyworker/email/review_due",
                context=context,
                nursery_id=plan.child.nursery_id,
            )
        # Saved with the outbox rows: the reminder for this due date is queued, and goes once.
        plan.reminded_for = plan.next_review_on
        plan.save(update_fields=["reminded_for"])
    return True


def remind_support_reviews(*, today: date | None = None) -> int:
    """Queue a reminder for every plan whose review falls due (the daily sweep). Returns how many."""
    return sum(remind_support_review(plan_id=plan_id) for plan_id in support_reviews_to_remind(today=today))
