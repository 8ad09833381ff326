"""Writes for transitions: plans, trial visits, handovers, the move itself, and the transition report."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from children.models import Attendance, Booking, Child, ChildAuditEvent, SupportPlan
from children.selectors import all_about_me_of
from children.services import record_event
from config.queue import Dispatch, enqueue
from keyworker.selectors import key_person_on
from keyworker.services import assign_key_person
from learning_stories.models import Assessment, Observation
from learning_stories.selectors import Viewer, areas_of, current_framework_for, redact
from nursery.models import Nursery

from .models import HandoverNote, TransitionPlan, TransitionReport, TrialVisit

ENDS_BEFORE_STARTS = "The visit ends before it starts. Check the times."
ONE_OPEN_PLAN = "{child} already has a plan that is not finished. Open it, or cancel it before starting another."


def _event(plan: TransitionPlan, by: User | None, what: str) -> None:
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
    _event(plan, by, f"Transition plan {'made' if is_new else 'changed'}: {plan}")
    return plan


def set_status(*, plan: TransitionPlan, status: str, by: User) -> None:
    """Move a plan along planned → settling → ready, or cancel it (completing is the move's job)."""
    if plan.status not in TransitionPlan.OPEN_STATUSES:
        raise ValidationError("This plan is finished and can no longer change.")
    if status not in (*TransitionPlan.OPEN_STATUSES, TransitionPlan.Status.CANCELLED):
        raise ValidationError("Choose planned, settling, ready or cancelled.")
    plan.status = status
    plan.save(update_fields=["status"])
    _event(plan, by, f"Transition plan now: {plan.get_status_display()}")


def schedule_visit(*, visit: TrialVisit, by: User) -> TrialVisit:
    if visit.ends_at <= visit.starts_at:
        raise ValidationError({"ends_at": ENDS_BEFORE_STARTS})
    if visit.plan.status not in TransitionPlan.OPEN_STATUSES:
        raise ValidationError("This plan is finished: no more visits can be added.")
    visit.save()
    if visit.plan.status == TransitionPlan.Status.PLANNED:  # the first visit starts the settling-in
        visit.plan.status = TransitionPlan.Status.SETTLING
        visit.plan.save(update_fields=["status"])
    _event(visit.plan, by, f"Trial visit planned for {timezone.localtime(visit.starts_at):%-d %b %H:%M}")
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
    _event(plan, by, f"Trial visit recorded: {visit.get_outcome_display()}")
    return visit


def write_handover(*, plan: TransitionPlan, text: str, by: User) -> HandoverNote:
    if not text.strip():
        raise ValidationError({"text": "Write the note for the new key person."})
    note = HandoverNote.objects.create(plan=plan, author=by, text=text.strip())
    _event(plan, by, "Handover note written")
    return note


def mark_handover_read(*, plan: TransitionPlan, by: User) -> int:
    """The new key person has seen the notes: mark the unread ones read (returns how many)."""
    if plan.to_key_person is None or plan.to_key_person.user_id != by.pk:
        return 0
    return plan.handover_notes.filter(read_at__isnull=True).update(read_at=timezone.now())


def book_meeting(*, plan: TransitionPlan, at: datetime | None, notes: str, by: User) -> None:
    plan.parents_meeting_at, plan.parents_meeting_notes = at, notes.strip()
    plan.save(update_fields=["parents_meeting_at", "parents_meeting_notes"])
    _event(
        plan,
        by,
        "Meeting with parents before leaving "
        + (f"booked for {timezone.localtime(at):%-d %b %H:%M}" if at else "updated"),
    )


# --- The move date ------------------------------------------------------------------------------


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
        _event(
            plan, by, f"{plan.get_kind_display()} completed" + (f": now in {plan.to_room.name}" if plan.to_room else "")
        )
        if not plan.is_leaving and child.guardianships.exists():
            from .tasks import tell_family_about_move

            dispatches.append(enqueue(tell_family_about_move, plan.pk))
    return Applied(True, dispatches)


def due_plan_ids(*, today: date | None = None) -> list[int]:
    return list(
        TransitionPlan.objects.filter(
            status__in=TransitionPlan.OPEN_STATUSES, planned_on__lte=today or timezone.localdate()
        ).values_list("pk", flat=True)
    )


def deliver_move_notice(*, plan_id: int) -> bool:
    """E-mail the family that the child has moved room; under a row lock, so never twice. True if it sent."""
    with transaction.atomic():
        plan = (
            TransitionPlan.objects.select_for_update(of=("self",))
            .select_related("child__nursery", "to_room", "to_key_person__user")
            .filter(pk=plan_id, status=TransitionPlan.Status.COMPLETED, kind=TransitionPlan.Kind.ROOM_MOVE)
            .first()
        )
        if plan is None or plan.family_emailed_at:
            return False
        for link in plan.child.guardianships.select_related("user"):
            context = {"plan": plan, "user": link.user, "site_url": settings.SITE_URL}
            send_mail(
                subject=render_to_string("transitions/email/moved_subject.txt", context).strip(),
                message=render_to_string("transitions/email/moved.txt", context),
                from_email=None,
                recipient_list=[link.user.email],
            )
        plan.family_emailed_at = timezone.now()
        plan.save(update_fields=["family_emailed_at"])
    return True


def untold_move_ids(*, days: int = 14) -> list[int]:
    """Completed moves whose family e-mail never went (broker or mail server down), while still news."""
    return list(
        TransitionPlan.objects.filter(
            kind=TransitionPlan.Kind.ROOM_MOVE,
            status=TransitionPlan.Status.COMPLETED,
            family_emailed_at__isnull=True,
            completed_at__gte=timezone.now() - timedelta(days=days),
            child__guardianships__isnull=False,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def set_leaver_access_days(*, nursery: Nursery, days: int, by: User) -> None:
    nursery.leaver_access_days = days
    nursery.save(update_fields=["leaver_access_days"])


# --- The transition report ---------------------------------------------------------------------

# The report looks back this far for observations, attendance and the child's words.
REPORT_WINDOW = timedelta(weeks=13)
VOICE_QUOTES = 3


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), flags=re.S)
    return (match.group(1) if match else text.strip())[:240]


def _attendance(child: Child, since: date, until: date) -> str:
    """Days attended against booked days over the window, in two queries."""
    weekdays = set(Booking.objects.filter(child=child).values_list("weekday", flat=True))
    start = max(since, child.start_date) if child.start_date else since
    booked = sum(1 for n in range((until - start).days + 1) if (start + timedelta(days=n)).weekday() in weekdays)
    came = Attendance.objects.filter(child=child, day__gte=start, day__lte=until).values("day").distinct().count()
    if not booked:
        return f"Came on {came} days since {start:%-d %B %Y} (no regular sessions booked)."
    return f"Came on {came} of {booked} booked days since {start:%-d %B %Y} ({round(100 * came / booked)}%)."


def prefill(child: Child, *, today: date | None = None) -> dict:
    """What the report starts from: the latest assessment per area, recent published observations, how the
    child learns, All about me's likes, needs and plans, attendance and the child's own words.

    Other children's names are replaced by "a friend", as the family and the next setting will read it.
    A fixed number of queries whatever the length of the story."""
    today = today or timezone.localdate()
    since = timezone.now() - REPORT_WINDOW
    as_family = Viewer(user=None, is_staff=False, family_child_ids=frozenset({child.pk}))
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(child=child, aspect__isnull=True)
        .select_related("band")
        .order_by("-assessed_on", "-pk")
    ):
        latest.setdefault(assessment.area_id, assessment)
    entries = list(
        Observation.objects.filter(
            child_links__child=child, observed_at__gte=since, status=Observation.Status.PUBLISHED
        )
        .prefetch_related("areas", "characteristics", "children")
        .order_by("-observed_at", "-pk")
    )
    areas = {}
    for area in areas_of(current_framework_for(child.nursery_id)):
        parts = []
        if assessment := latest.get(area.pk):
            band = f" ({assessment.band.name})" if assessment.band else ""
            parts.append(f"{assessment.get_judgement_display()}{band} on {assessment.assessed_on:%-d %B %Y}.")
            if assessment.rationale.strip():
                parts.append(redact(assessment.rationale.strip(), [], as_family))
        tagged = [entry for entry in entries if area in entry.areas.all()]
        if tagged:
            newest = redact(first_sentence(tagged[0].text), list(tagged[0].children.all()), as_family)
            count = f"{len(tagged)} observation{'s' if len(tagged) != 1 else ''}"
            parts.append(f"{count} in the last 13 weeks; the latest: “{newest}”")
        areas[area.code] = " ".join(parts)
    learning = Counter(c.name for entry in entries for c in entry.characteristics.all())
    plans = list(
        SupportPlan.objects.filter(child=child, status=SupportPlan.Status.ACTIVE).values_list("title", flat=True)
    )
    needs = [f"Special educational needs: {child.get_send_status_display()}."]
    if plans:
        needs.append("Support plans: " + ", ".join(plans) + ".")
    voices = [
        f"“{redact(entry.child_voice.strip(), list(entry.children.all()), as_family)}”"
        for entry in entries
        if entry.child_voice.strip()
    ][:VOICE_QUOTES]
    return {
        "areas": areas,
        "characteristics": "; ".join(
            f"{name} (seen {n} time{'s' if n != 1 else ''})" for name, n in learning.most_common()
        ),
        "interests": all_about_me_of(child).likes,
        "needs": " ".join(needs),
        "attendance": _attendance(child, (since).date(), today),
        "child_voice": " ".join(voices),
    }


@transaction.atomic
def start_report(*, plan: TransitionPlan, by: User) -> TransitionReport:
    """The plan's report, pre-filled the first time (starting it again changes nothing)."""
    report = TransitionReport.objects.select_for_update().filter(plan=plan).first()
    if report is None:
        report = TransitionReport.objects.create(plan=plan, written_by=by, **prefill(plan.child))
        _event(plan, by, "Transition report started")
    return report


REPORT_FIELDS = ["characteristics", "interests", "needs", "attendance", "parent_view", "child_voice"]


def save_report(*, report: TransitionReport, data: dict, by: User) -> None:
    if report.status != TransitionReport.Status.DRAFT:
        raise ValidationError("The report has been sent for checking; it can be changed once it is returned.")
    report.areas = data["areas"]
    for name in REPORT_FIELDS:
        setattr(report, name, data[name])
    report.written_by = by
    report.save()
    _event(report.plan, by, "Transition report edited")


def save_parent_view(*, report: TransitionReport, text: str, by: User) -> None:
    """The family's own words for the report, from their phone, until the report is shared."""
    if report.status == TransitionReport.Status.SHARED:
        raise ValidationError("The report has already been shared, so it can no longer change.")
    report.parent_view = text.strip()
    report.save(update_fields=["parent_view", "updated_at"])
    _event(report.plan, by, "Family's view added to the transition report")


REPORT_STEPS = {
    # action: (from status, to status, who: "editor" or "manager")
    "submit": (TransitionReport.Status.DRAFT, TransitionReport.Status.AWAITING_REVIEW, "editor"),
    "approve": (TransitionReport.Status.AWAITING_REVIEW, TransitionReport.Status.APPROVED, "manager"),
    "return": (TransitionReport.Status.AWAITING_REVIEW, TransitionReport.Status.DRAFT, "manager"),
    "share": (TransitionReport.Status.APPROVED, TransitionReport.Status.SHARED, "manager"),
}


def review_report(*, report: TransitionReport, action: str, by: User, comment: str = "") -> None:
    """Submit for review, approve, return with a comment, or share with the family."""
    before, after, _ = REPORT_STEPS[action]
    if report.status != before:
        raise ValidationError(f"The report is “{report.get_status_display()}”, so it cannot be {action}ed now.")
    if action == "return" and not comment.strip():
        raise ValidationError("Say what needs changing, so the key person knows.")
    report.status = after
    if action in ("approve", "return"):
        report.reviewed_by, report.reviewed_at, report.review_comment = by, timezone.now(), comment.strip()
    if action == "share":
        report.shared_at = timezone.now()
    report.save()
    _event(report.plan, by, f"Transition report: {report.get_status_display()}")
