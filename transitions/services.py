"""Writes for transitions: the receiving school's link to a leaver pack, and importing another setting's pack."""

import logging
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.access import Viewer
from children.models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Attendance,
    Booking,
    Child,
    ChildAuditEvent,
    ConsentPurpose,
    SupportPlan,
)
from children.selectors import all_about_me_of, has_consent
from children.services import record_event
from core.images import ImageRejected
from core.mail import send_templated, templated_email
from core.queue import Dispatch, enqueue
from keyworker.selectors import key_person_on
from keyworker.services import assign_key_person
from learning_stories.framework.selectors import areas_of, current_framework_for
from learning_stories.models import (
    Area,
    Aspect,
    Assessment,
    Characteristic,
    Comment,
    NextStep,
    Observation,
    ObservationChild,
    ObservationPhoto,
)
from learning_stories.observations.services import add_photo
from learning_stories.story.selectors import children_to_redact, redact, shared_with_families
from nursery.models import Nursery

from .importer import Pack, PackRejected, open_pack, parse_moment
from .models import (
    HandoverNote,
    LeaverPack,
    PackImport,
    SchoolDownload,
    SchoolShareLink,
    TransitionPlan,
    TransitionReport,
    TrialVisit,
)
from .packs import write_pack_zip

logger = logging.getLogger(__name__)


Action = ChildAuditEvent.Action


def school_link_problem(pack: LeaverPack) -> str:
    """Why this pack cannot be shared with a school now ("" when it can)."""
    if pack.status != LeaverPack.Status.READY or not pack.file:
        return "The leaver pack is not ready yet: build it first, then share it."
    if not has_consent(pack.child, ConsentPurpose.SHARE_WITH_SCHOOL):
        return (
            f"{pack.child.known_as}'s family has not agreed to sharing with the receiving school. "
            "Ask them to give that consent on the child's consents page first."
        )
    return ""


@transaction.atomic
def create_school_link(
    *, pack: LeaverPack, school: str, email: str, by: User, days: int | None = None
) -> tuple[SchoolShareLink, Dispatch | None]:
    """An expiring link for the school, e-mailed to it when an address is given (after commit)."""
    if problem := school_link_problem(pack):
        raise ValidationError(problem)
    link = SchoolShareLink.objects.create(
        pack=pack,
        school=school.strip(),
        email=email.strip(),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days or settings.SCHOOL_LINK_VALID_DAYS),
    )
    record_event(child=pack.child, actor=by, action=Action.SHARED, what=f"Leaver pack link for {link.school}")
    dispatch = None
    if link.email:
        from .tasks import send_school_link_email  # tasks import this module

        dispatch = enqueue(send_school_link_email, link.pk)
    return link, dispatch


def revoke_school_link(*, link: SchoolShareLink, by: User) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record_event(child=link.pack.child, actor=by, action=Action.CHANGED, what=f"Link for {link.school} revoked")


def school_link_url(link: SchoolShareLink) -> str:
    return settings.SITE_URL + reverse("transitions:school_page", args=[link.token])


def deliver_school_link(*, link_id: int) -> bool:
    """E-mail the link to the school; idempotent (a retried task never sends twice). True if it sent."""
    with transaction.atomic():
        link = SchoolShareLink.objects.select_for_update().filter(pk=link_id).select_related("pack__child").first()
        if link is None or link.emailed_at or not link.email or link.revoked_at or link.expires_at <= timezone.now():
            return False
        if not has_consent(link.pack.child, ConsentPurpose.SHARE_WITH_SCHOOL):
            return False
        context = {"link": link, "child": link.pack.child, "url": school_link_url(link)}
        send_templated("transitions/email/school_link", context, [link.email])
        link.emailed_at = timezone.now()
        link.save(update_fields=["emailed_at"])
    return True


def unsent_school_link_ids() -> list[int]:
    """Links whose e-mail never went (broker or mail server down) and that still work."""
    return list(
        SchoolShareLink.objects.filter(emailed_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .exclude(email="")
        .values_list("pk", flat=True)
    )


def record_school_download(*, link: SchoolShareLink, ip_address: str | None, user_agent: str) -> SchoolDownload:
    """Each download by the school: on the link (for the manager and family) and in the child's record."""
    download = SchoolDownload.objects.create(link=link, ip_address=ip_address, user_agent=user_agent[:300])
    record_event(
        child=link.pack.child, actor=None, action=Action.EXPORTED, what=f"Leaver pack downloaded by {link.school}"
    )
    return download


def import_pack(*, nursery: Nursery, upload: IO[bytes], by: User) -> PackImport:
    """Bring a checked pack in as a new, enrolling child with their story, all or nothing.

    Raises ``PackRejected`` with the reasons. Photos are stored as they are read; if anything fails
    they are deleted again and the transaction leaves no row behind.
    """
    stored: list[str] = []
    try:
        with open_pack(upload) as pack, transaction.atomic():
            return _import(pack, nursery=nursery, by=by, stored=stored)
    except Exception:
        storage = ObservationPhoto._meta.get_field("image").storage
        for name in stored:
            storage.delete(name)
        raise


STAGED_FOLDER = "imports"


def discard_stale_uploads(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Uploaded packs a manager checked but never confirmed or cancelled (closed the tab): not kept."""
    try:
        _, names = default_storage.listdir(STAGED_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    stale = [f"{STAGED_FOLDER}/{name}" for name in names]
    stale = [name for name in stale if default_storage.get_modified_time(name) < cutoff]
    for name in stale:
        default_storage.delete(name)
    return len(stale)


class _Framework:
    """The importing nursery's current framework, looked up by the pack's codes and names."""

    def __init__(self, nursery: Nursery) -> None:
        self.framework = current_framework_for(nursery)
        self.areas = {area.code.lower(): area for area in Area.objects.filter(framework=self.framework)}
        self.aspects = {aspect.name.lower(): aspect for aspect in Aspect.objects.filter(area__framework=self.framework)}
        self.characteristics = {
            item.name.lower(): item for item in Characteristic.objects.filter(framework=self.framework)
        }

    def area(self, area: dict | None) -> Area | None:
        return self.areas.get(area["code"].lower()) if area else None


def _import(pack: Pack, *, nursery: Nursery, by: User, stored: list[str]) -> PackImport:
    data = pack.data
    child = _enrolling_child(data["child"], nursery=nursery)
    framework = _Framework(nursery)
    now = timezone.now()
    photos = comments = 0
    for number, entry in enumerate(pack.entries, start=1):
        observation = _observation(entry, pack=pack, child=child, framework=framework, now=now)
        for photo in entry.get("photos", []):
            with pack.photo(photo["file"]) as file:
                try:
                    saved, _ = add_photo(observation=observation, upload=file, by=by)
                except ImageRejected as rejected:
                    raise PackRejected(f"The photo {photo['file']} of entry {number}: {rejected.message}") from None
            stored.append(saved.image.name)
            photos += 1
        for comment in entry.get("comments", []):
            author = comment.get("author", "").strip()
            Comment.objects.create(
                observation=observation,
                child=child,
                author=None,
                by_staff=comment["by"] == "staff",
                text=f"{author}: {comment['text']}" if author else comment["text"],
                created_at=parse_moment(comment["at"]),
                read_at=now,
            )
            comments += 1
    records = _records(data, pack=pack, child=child, framework=framework, now=now)
    record_event(
        child=child,
        actor=by,
        action=Action.CREATED,
        what=f"Arrived with a leaver pack from {pack.setting}: {len(pack.entries)} entries, {photos} photos",
    )
    return PackImport.objects.create(
        nursery=nursery,
        child=child,
        from_setting=pack.setting[:200],
        format_version=data["version"],
        entries=len(pack.entries),
        photos=photos,
        comments=comments,
        records=records,
        imported_by=by,
    )


def _enrolling_child(person: dict, *, nursery: Nursery) -> Child:
    """The child as the pack names them, with no start date and no room: "joining" until the nursery enrols them."""
    born = person.get("date_of_birth")
    child = Child.objects.create(
        nursery=nursery,
        first_name=person["first_name"].strip(),
        last_name=person["last_name"].strip(),
        preferred_name=person.get("preferred_name", "").strip(),
        date_of_birth=datetime.fromisoformat(born).date() if born else None,
    )
    # What the family said at induction, where the pack's topics are KeyStory's own (allergies above all).
    topics = {key.lower(): text for key, text in person.get("all_about_me", {}).items()}
    about = {
        field: topics.get(field) or topics.get(label.lower(), "")
        for field, label in ABOUT_ME_FIELDS.items()
        if topics.get(field) or topics.get(label.lower())
    }
    if about:
        about["home_languages"] = about.get("home_languages", "")[:200]
        AllAboutMe.objects.create(child=child, **about)
    return child


def _observation(entry: dict, *, pack: Pack, child: Child, framework: _Framework, now: datetime) -> Observation:
    """One story entry as a published observation of this child alone, marked as coming from the other setting."""
    areas = [(item, framework.area(item)) for item in entry.get("areas", [])]
    aspects = [(name, framework.aspects.get(name.lower())) for name in entry.get("aspects", [])]
    characteristics = [(name, framework.characteristics.get(name.lower())) for name in entry.get("characteristics", [])]
    # What the new framework has no match for stays readable in the text.
    notes = []
    if unmatched := [f"{item['name']} ({item['code']})" for item, area in areas if area is None]:
        notes.append(f"Areas of learning at {pack.setting}: {', '.join(unmatched)}.")
    if unmatched := [name for name, aspect in aspects if aspect is None]:
        notes.append(f"Early learning goals: {', '.join(unmatched)}.")
    if unmatched := [name for name, item in characteristics if item is None]:
        notes.append(f"How they learned: {', '.join(unmatched)}.")
    if entry.get("statements"):
        notes.append("Statements: " + "; ".join(entry["statements"]))
    if author := entry.get("author", "").strip():
        notes.append(f"Written by {author}.")
    text = "\n\n".join([entry["text"].strip(), *notes]) if notes else entry["text"].strip()
    observation = Observation.objects.create(
        nursery=child.nursery,
        source=entry["source"],
        author=None,
        observed_at=parse_moment(entry["observed_at"]),
        text=text,
        child_voice=entry.get("child_voice", ""),
        framework=framework.framework,
        status=Observation.Status.PUBLISHED,
        submitted_at=now,
        published_at=now,
        read_at=now,
        imported_from=pack.setting[:200],
    )
    ObservationChild.objects.create(observation=observation, child=child, next_steps=entry.get("next_steps", ""))
    observation.areas.set({area for _, area in areas if area})
    observation.aspects.set({aspect for _, aspect in aspects if aspect})
    observation.characteristics.set({item for _, item in characteristics if item})
    return observation


def _history(
    *, pack: Pack, child: Child, title: str, lines: list[str], on: datetime, framework: _Framework, now: datetime
) -> None:
    """A staff-only entry that keeps part of the other setting's records readable."""
    observation = Observation.objects.create(
        nursery=child.nursery,
        observed_at=on,
        text="\n".join([f"{title} (from {pack.setting})", *lines]),
        framework=framework.framework,
        staff_only=True,
        status=Observation.Status.PUBLISHED,
        submitted_at=now,
        published_at=now,
        read_at=now,
        imported_from=pack.setting[:200],
    )
    ObservationChild.objects.create(observation=observation, child=child)


def _day(value: str) -> datetime:
    return parse_moment(f"{value}T12:00:00")


JUDGEMENTS = {
    "on_track": "on track",
    "not_on_track": "not on track",
    "emerging": "emerging",
    "expected": "expected",
}


def _records(data: dict, *, pack: Pack, child: Child, framework: _Framework, now: datetime) -> int:
    """Assessments, progress checks and the transition report as staff-only history; next steps as next steps."""
    count = 0
    if assessments := data.get("assessments", []):
        lines = [
            f"- {item['point']}, {item['assessed_on']}: {item['area']['name']}"
            + (f", {item['aspect']}" if item.get("aspect") else "")
            + (f" ({item['band']})" if item.get("band") else "")
            + f": {JUDGEMENTS[item['judgement']]}."
            + (f" {item['rationale']}" if item.get("rationale") else "")
            for item in assessments
        ]
        latest = max(item["assessed_on"] for item in assessments)
        _history(
            pack=pack, child=child, title="Assessments", lines=lines, on=_day(latest), framework=framework, now=now
        )
        count += 1
    for check in data.get("progress_checks", []):
        lines = [
            f"- {item['area']['name']}"
            + {True: " (as expected)", False: " (less than expected)"}.get(item.get("on_track"), "")
            + f": {item['summary']}"
            for item in check.get("prime_areas", [])
        ]
        for key, label in (
            ("strengths", "What the child is good at"),
            ("less_than_expected", "Where progress is less than expected"),
            ("setting_plan", "What the nursery planned"),
            ("family_plan", "What the family planned"),
            ("parent_comments", "The family's view"),
        ):
            if check.get(key):
                lines.append(f"{label}: {check[key]}")
        title = "Progress check at age two"
        _history(
            pack=pack, child=child, title=title, lines=lines, on=_day(check["checked_on"]), framework=framework, now=now
        )
        count += 1
    if report := data.get("transition_report"):
        lines = [f"- {code}: {text}" for code, text in report.get("areas", {}).items()]
        for key, label in (
            ("characteristics", "How the child learns"),
            ("interests", "Interests"),
            ("needs", "Needs and support"),
            ("attendance", "Attendance"),
            ("parent_view", "The family's view"),
            ("child_voice", "The child's voice"),
        ):
            if report.get(key):
                lines.append(f"{label}: {report[key]}")
        exported = parse_moment(data["exported_at"])
        _history(
            pack=pack, child=child, title="Transition report", lines=lines, on=exported, framework=framework, now=now
        )
        count += 1
    steps = [
        NextStep(
            child=child,
            text=step["text"],
            area=framework.area(step.get("area")),
            status=step["status"],
            created_at=parse_moment(step["created_at"]) if step.get("created_at") else now,
            closed_at=None if step["status"] == NextStep.Status.OPEN else now,
        )
        for step in data.get("next_steps", [])
    ]
    NextStep.objects.bulk_create(steps)
    return count + len(steps)


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
            send_templated("transitions/email/moved", context, [link.user.email])
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
    nursery_children = children_to_redact([child.nursery_id])  # a rationale may name any of them
    entries = list(
        Observation.objects.filter(shared_with_families(), child_links__child=child, observed_at__gte=since)
        .prefetch_related("areas", "characteristics")
        .order_by("-observed_at", "-pk")
    )
    areas = {}
    for area in areas_of(current_framework_for(child.nursery_id)):
        parts = []
        if assessment := latest.get(area.pk):
            band = f" ({assessment.band.name})" if assessment.band else ""
            parts.append(f"{assessment.get_judgement_display()}{band} on {assessment.assessed_on:%-d %B %Y}.")
            if assessment.rationale.strip():
                parts.append(redact(assessment.rationale.strip(), nursery_children, as_family))
        tagged = [entry for entry in entries if area in entry.areas.all()]
        if tagged:
            newest = redact(first_sentence(tagged[0].text), nursery_children, as_family)
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
        f"“{redact(entry.child_voice.strip(), nursery_children, as_family)}”"
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
    """The family's own words for the report, from their phone, until a manager approves it."""
    if report.status == TransitionReport.Status.SHARED:
        raise ValidationError("The report has already been shared, so it can no longer change.")
    if report.status == TransitionReport.Status.APPROVED:
        raise ValidationError(
            "The report has been checked and approved, so your view can no longer be added. "
            "Please tell your child's key person if something should change."
        )
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


logger = logging.getLogger(__name__)


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
    """Whoever asked, and, for a child who is leaving, the family with parental responsibility who can read
    the story."""
    people = [pack.requested_by] if pack.requested_by else []
    if pack.child.leave_date:
        links = pack.child.guardianships.filter(can_view_story=True, has_parental_responsibility=True)
        people += [link.user for link in links.select_related("user")]
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
        messages = [
            templated_email(
                "transitions/email/pack_ready",
                {"pack": pack, "child": pack.child, "user": person, "link": link},
                [person.email],
            )
            for person in pack_recipients(pack)
        ]
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


# A build takes seconds to minutes; one still "being made" an hour after the request lost its worker and
# its message (e.g. the broker was flushed), so the sweep starts it again (build_pack starts over safely).
STUCK_BUILD_AFTER = timedelta(hours=1)


def waiting_pack_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Packs still queued a while after the request (the broker was down, or the message was lost), builds
    stuck without a worker, and ready packs whose e-mail has not gone (the mail server was down)."""
    now = timezone.now()
    return list(
        LeaverPack.objects.filter(
            (
                Q(status=LeaverPack.Status.QUEUED)
                | Q(status=LeaverPack.Status.READY, emailed_at__isnull=True)
                | Q(status=LeaverPack.Status.BUILDING, requested_at__lt=now - STUCK_BUILD_AFTER)
            ),
            requested_at__lt=now - older_than,
        ).values_list("pk", flat=True)
    )
