"""Writes for transition plans: the plan, its trial visits, handover notes, the family meeting and the move
itself on its date (the family told through the outbox)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from children.models import ChildAuditEvent
from children.notices import news_recipients, news_unsubscribe_url
from children.services import record_event
from core.outbox import queue_mail
from core.queue import Dispatch
from keyworker.selectors import key_person_on
from keyworker.services import assign_key_person
from nursery.models import Nursery

from ..models import HandoverNote, TransitionPlan, TrialVisit
from .selectors import move_mail_prefix

ENDS_BEFORE_STARTS = "The visit ends before it starts. Check the times."


ONE_OPEN_PLAN = "{child} already has a plan that is not finished. Open it, or cancel it before starting another."


def record_plan_event(plan: TransitionPlan, by: User | None, what: str) -> None:
    record_event(child=plan.child, actor=by, action=ChildAuditEvent.Action.CHANGED, what=what)


def check_plan(plan: TransitionPlan, *, today: date | None = None, is_new: bool) -> None:
    """The rules a plan keeps, with messages a manager can act on."""
    today = today or timezone.localdate()
    if is_new and plan.planned_on < today:
        raise ValidationError({"planned_on": "The move date has passed. Choose today or a later day."})
    if plan.kind == TransitionPlan.Kind.ROOM_MOVE:
        if plan.to_room_id is None:
            raise ValidationError({"to_room": "Choose the room the child is moving to."})
        if plan.to_room_id == plan.from_room_id:
            raise ValidationError({"to_room": "The child is already in that room. Choose the room they move to."})
        if plan.to_room.nursery_id != plan.child.nursery_id:
            raise ValidationError({"to_room": "Choose a room of this nursery."})
    elif not plan.receiving_setting.strip():
        raise ValidationError({"receiving_setting": "Say which school or setting the child is going to."})
    if plan.to_key_person is not None and plan.to_key_person.nursery_id != plan.child.nursery_id:
        raise ValidationError({"to_key_person": "Choose someone who works at this nursery."})


@transaction.atomic
def save_plan(*, plan: TransitionPlan, by: User) -> TransitionPlan:
    """Create or change a plan; the current room and key person are filled in from today's record."""
    is_new = plan.pk is None
    if not is_new and plan.status not in TransitionPlan.OPEN_STATUSES:
        raise ValidationError("This plan is finished and can no longer change.")
    if is_new:
        plan.from_room = plan.child.room
        plan.from_key_person = key_person_on(plan.child)
        plan.created_by = by
    if plan.is_leaving:
        plan.to_room = plan.to_key_person = None
    check_plan(plan, is_new=is_new)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # the database's one-open-plan rule: a second plan, or two people at once
        raise ValidationError(ONE_OPEN_PLAN.format(child=plan.child.known_as), code="open_plan") from None
    record_plan_event(plan, by, f"Transition plan {'made' if is_new else 'changed'}: {plan}")
    return plan


def set_status(*, plan: TransitionPlan, status: str, by: User) -> None:
    """Move a plan along planned → settling → ready, or cancel it (completing is the move's job)."""
    if plan.status not in TransitionPlan.OPEN_STATUSES:
        raise ValidationError("This plan is finished and can no longer change.")
    if status not in (*TransitionPlan.OPEN_STATUSES, TransitionPlan.Status.CANCELLED):
        raise ValidationError("Choose planned, settling, ready or cancelled.")
    plan.status = status
    plan.save(update_fields=["status"])
    record_plan_event(plan, by, f"Transition plan now: {plan.get_status_display()}")


def schedule_visit(*, visit: TrialVisit, by: User) -> TrialVisit:
    if visit.ends_at <= visit.starts_at:
        raise ValidationError({"ends_at": ENDS_BEFORE_STARTS})
    if visit.plan.status not in TransitionPlan.OPEN_STATUSES:
        raise ValidationError("This plan is finished: no more visits can be added.")
    visit.save()
    if visit.plan.status == TransitionPlan.Status.PLANNED:  # the first visit starts the settling-in
        visit.plan.status = TransitionPlan.Status.SETTLING
        visit.plan.save(update_fields=["status"])
    record_plan_event(visit.plan, by, f"Trial visit planned for {timezone.localtime(visit.starts_at):%-d %b %H:%M}")
    return visit


def record_visit(*, visit: TrialVisit, outcome: str, how_it_went: str, by: User) -> TrialVisit:
    """How a visit went. A confident visit makes the plan ready to move."""
    if not outcome:
        raise ValidationError({"outcome": "Choose how the visit went."})
    visit.outcome, visit.how_it_went, visit.recorded_by = outcome, how_it_went.strip(), by
    visit.save(update_fields=["outcome", "how_it_went", "recorded_by"])
    plan = visit.plan
    if outcome == TrialVisit.Outcome.CONFIDENT and plan.status in (
        TransitionPlan.Status.PLANNED,
        TransitionPlan.Status.SETTLING,
    ):
        plan.status = TransitionPlan.Status.READY
        plan.save(update_fields=["status"])
    record_plan_event(plan, by, f"Trial visit recorded: {visit.get_outcome_display()}")
    return visit


def write_handover(*, plan: TransitionPlan, text: str, by: User) -> HandoverNote:
    if not text.strip():
        raise ValidationError({"text": "Write the note for the new key person."})
    note = HandoverNote.objects.create(plan=plan, author=by, text=text.strip())
    record_plan_event(plan, by, "Handover note written")
    return note


def mark_handover_read(*, plan: TransitionPlan, by: User) -> int:
    """The new key person has seen the notes: mark the unread ones read (returns how many)."""
    if plan.to_key_person is None or plan.to_key_person.user_id != by.pk:
        return 0
    return plan.handover_notes.filter(read_at__isnull=True).update(read_at=timezone.now())


def book_meeting(*, plan: TransitionPlan, at: datetime | None, notes: str, by: User) -> None:
    plan.parents_meeting_at, plan.parents_meeting_notes = at, notes.strip()
    plan.save(update_fields=["parents_meeting_at", "parents_meeting_notes"])
    record_plan_event(
        plan,
        by,
        "Meeting with parents before leaving "
        + (f"booked for {timezone.localtime(at):%-d %b %H:%M}" if at else "updated"),
    )


@dataclass
class Applied:
    applied: bool
    dispatches: list[Dispatch] = field(default_factory=list)


def apply_plan(*, plan_id: int, by: User | None = None, now: bool = False, today: date | None = None) -> Applied:
    """Make the plan take effect: new room and key person from the move date (history kept), or the last
    day recorded for a leaver; the plan completes and the family is told. Idempotent: a plan that is not
    open, or not due (unless ``now``, the manager's "move now"), is left as it is."""
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = (
            TransitionPlan.objects.select_for_update(of=("self",))
            .select_related("child__nursery", "to_room", "to_key_person__user")
            .filter(pk=plan_id)
            .first()
        )
        if plan is None or plan.status not in TransitionPlan.OPEN_STATUSES or (plan.planned_on > today and not now):
            return Applied(False)
        if now and plan.planned_on > today:
            plan.planned_on = today
        child = plan.child
        dispatches = []
        if plan.is_leaving:
            if child.leave_date is None:
                child.leave_date = plan.planned_on
                child.save(update_fields=["leave_date"])
        else:
            child.room = plan.to_room
            child.save(update_fields=["room"])
            if plan.to_key_person and key_person_on(child, plan.planned_on) != plan.to_key_person:
                assigned = assign_key_person(
                    child=child,
                    key_person=plan.to_key_person,
                    starts_on=plan.planned_on,
                    reason=f"Moved to {plan.to_room.name}",
                    by=by or plan.created_by,
                    allow_over_limit=True,  # the manager chose this key person when planning the move
                )
                dispatches += assigned.dispatches
        plan.status = TransitionPlan.Status.COMPLETED
        plan.completed_at = timezone.now()
        plan.save(update_fields=["planned_on", "status", "completed_at"])
        record_plan_event(
            plan, by, f"{plan.get_kind_display()} completed" + (f": now in {plan.to_room.name}" if plan.to_room else "")
        )
        if not plan.is_leaving:
            dispatches += _tell_family_about_move(plan)
    return Applied(True, dispatches)


def _tell_family_about_move(plan: TransitionPlan) -> list[Dispatch]:
    """Each of the child's family hears of the new room and key person, once (keys ``move:<plan>:<user>``)."""
    return [
        queue_mail(
            key=f"{move_mail_prefix(plan.pk)}{link.user_id}",
            kind="Room move",
            to=link.user,
            template="transitions/email/moved",
            context={"plan": plan, "user": link.user, "site_url": settings.SITE_URL},
            nursery_id=plan.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(link),
        )
        for link in news_recipients(plan.child)
    ]


def due_plan_ids(*, today: date | None = None) -> list[int]:
    return list(
        TransitionPlan.objects.filter(
            status__in=TransitionPlan.OPEN_STATUSES, planned_on__lte=today or timezone.localdate()
        ).values_list("pk", flat=True)
    )


def set_leaver_access_days(*, nursery: Nursery, days: int, by: User) -> None:
    nursery.leaver_access_days = days
    nursery.save(update_fields=["leaver_access_days"])
