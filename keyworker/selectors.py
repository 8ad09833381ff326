"""Reads for the key person system."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from children.models import CareEntry, Child, Guardianship, Incident
from children.selectors import (
    can_manage_child,
    care_log,
    children_in_staff_care,
    children_of_guardian,
    not_left_by,
    sessions_attended,
)
from learning_stories.models import Assessment, NextStep
from learning_stories.selectors import open_next_steps, shared_with_families, with_story_details
from nursery.models import Nursery, NurserySession, Room, StaffMember
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import (
    Consultation,
    ConsultationNotice,
    ConsultationSlot,
    KeyPersonAssignment,
    KeyPersonNotice,
    PlannedActivity,
    SessionFeedback,
)
from .summaries import scopes_for, summaries


def assignments_on(day: date) -> QuerySet[KeyPersonAssignment]:
    return KeyPersonAssignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


def spell_on(child: Child, day: date | None = None) -> KeyPersonAssignment | None:
    """The child's key person spell on a day (today by default), with the key person and buddies loaded."""
    return (
        assignments_on(day or timezone.localdate())
        .filter(child=child)
        .select_related("key_person__user", "buddy__user", "key_person__key_group__buddy__user")
        .order_by("-starts_on")
        .first()
    )


def key_person_on(child: Child, day: date | None = None) -> StaffMember | None:
    """The child's key person on a day (today by default)."""
    spell = spell_on(child, day)
    return spell.key_person if spell else None


def key_children_of(user: User, day: date | None = None) -> QuerySet[Child]:
    """The children whose key person the user is on a day, in the nurseries where they work."""
    spells = assignments_on(day or timezone.localdate()).filter(key_person__user=user, key_person__is_active=True)
    return children_in_staff_care(user).filter(pk__in=spells.values("child_id")).order_by("first_name")


def key_children_and_starters_of(user: User, day: date | None = None) -> QuerySet[Child]:
    """The user's key children on a day, and the starters already allocated to them."""
    day = day or timezone.localdate()
    upcoming = KeyPersonAssignment.objects.filter(
        key_person__user=user, key_person__is_active=True, starts_on__gt=day, ends_on__isnull=True
    )
    return (
        key_children_of(user, day) | children_in_staff_care(user).filter(pk__in=upcoming.values("child_id"))
    ).order_by("first_name")


def _key_person_day(day: date) -> Greatest:
    """The day a child needs a key person from: today, or their first day if they have not started."""
    today = Value(day, output_field=DateField())
    return Greatest(today, Coalesce("start_date", today))


def children_without_key_person(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children here or starting who have no key person on the day (or on their first day): a hole."""
    day = day or timezone.localdate()
    spells = KeyPersonAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("key_person_day")),
        child=OuterRef("pk"),
        starts_on__lte=OuterRef("key_person_day"),
    )
    return (
        children_in_staff_care(user)
        .filter(not_left_by(day))
        .annotate(key_person_day=_key_person_day(day))
        .exclude(Exists(spells))
        .order_by("start_date", "first_name")
    )


def starters_without_key_person(user: User, day: date | None = None, *, within_days: int = 14) -> QuerySet[Child]:
    """Children starting soon (or with no start date yet) who have no key person for their first day."""
    day = day or timezone.localdate()
    return children_without_key_person(user, day).filter(
        Q(start_date__isnull=True) | Q(start_date__gt=day, start_date__lte=day + timedelta(days=within_days))
    )


def buddy_for(spell: KeyPersonAssignment) -> StaffMember | None:
    """The child's own buddy, or else their key person's group buddy."""
    if spell.buddy_id:
        return spell.buddy
    group = getattr(spell.key_person, "key_group", None)  # no KeyGroup row: no group buddy
    return group.buddy if group else None


def key_group_spells(nursery: Nursery, day: date | None = None) -> QuerySet[KeyPersonAssignment]:
    """Spells that put a child in a key group on the day: current ones, and starters already allocated."""
    day = day or timezone.localdate()
    return KeyPersonAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), key_person__nursery=nursery
    ).filter(Q(child__leave_date__isnull=True) | Q(child__leave_date__gte=day))


def key_group_sizes(nursery: Nursery, day: date | None = None) -> dict[int, int]:
    """How many children each practitioner is key person for, counting starters already allocated."""
    counts = (
        key_group_spells(nursery, day).order_by().values_list("key_person_id").annotate(Count("child", distinct=True))
    )
    return dict(counts)


def key_groups(nursery: Nursery, day: date | None = None) -> list[StaffMember]:
    """Every practitioner's key group: ``size``, ``limit``, ``buddy`` and ``over_limit`` set on each person."""
    sizes = key_group_sizes(nursery, day)
    people = list(
        # Someone who has left still shows while they have key children, so the group can be moved.
        StaffMember.objects.filter(Q(is_active=True) | Q(pk__in=list(sizes)), nursery=nursery)
        .filter(Q(role=StaffMember.Role.PRACTITIONER) | Q(pk__in=list(sizes)))
        .select_related("user", "room", "key_group__buddy__user")
        .order_by("room__min_age_months", "user__full_name")
    )
    for person in people:
        group = getattr(person, "key_group", None)
        person.size = sizes.get(person.pk, 0)
        person.limit = group.size_limit if group else None
        person.buddy = group.buddy if group else None
        person.over_limit = person.limit is not None and person.size > person.limit
    return people


def assignment_history(child: Child) -> QuerySet[KeyPersonAssignment]:
    return child.key_person_assignments.select_related("key_person__user", "buddy__user", "created_by").order_by(
        "-starts_on"
    )


def key_spells_for_guardian(user: User, day: date | None = None) -> dict[int, KeyPersonAssignment]:
    """Each of the user's children's key person spell today (with buddies), keyed by child id, in one query."""
    spells = (
        assignments_on(day or timezone.localdate())
        .filter(child__in=children_of_guardian(user))
        .select_related("key_person__user", "buddy__user", "key_person__key_group__buddy__user")
    )
    return {spell.child_id: spell for spell in spells}


# --- End-of-session feedback ----------------------------------------------------------------


@dataclass
class FeedbackRow:
    """One child on a room's feedback page: the summary to review and any feedback already saved."""

    child: Child
    summary: str
    feedback: SessionFeedback | None
    key_person: StaffMember | None


def feedback_sessions(room: Room, day: date, *, now: datetime | None = None) -> list[NurserySession]:
    """The sessions that children of the room attended on the day, in time order."""
    attended = sessions_attended(Child.objects.filter(room=room), day, now=now)
    return sorted(
        {session for sessions in attended.values() for session in sessions}, key=lambda s: (s.starts_at, s.ends_at)
    )


def current_session(sessions: list[NurserySession], *, now: datetime | None = None) -> NurserySession | None:
    """The session whose end is nearest to now, among those already started: the one to give feedback for."""
    local = timezone.localtime(now or timezone.now()).time()
    started = [s for s in sessions if s.starts_at <= local] or sessions
    return min(started, key=lambda s: abs(_seconds(s.ends_at) - _seconds(local)), default=None)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def feedback_rows(room: Room, session: NurserySession, day: date, *, now: datetime | None = None) -> list[FeedbackRow]:
    """Every child of the room who attended the session, with the summary from today's records."""
    attended = sessions_attended(Child.objects.filter(room=room), day, now=now)
    children = list(
        Child.objects.filter(pk__in=[pk for pk, sessions in attended.items() if session in sessions]).order_by(
            "first_name", "last_name"
        )
    )
    existing = {f.child_id: f for f in SessionFeedback.objects.filter(child__in=children, session=session, day=day)}
    fresh = summaries(scopes_for(children, session, day, attended))
    key_people = {
        spell.child_id: spell.key_person
        for spell in assignments_on(day).filter(child__in=children).select_related("key_person__user")
    }
    return [
        FeedbackRow(
            child=child,
            summary=existing[child.pk].summary if child.pk in existing else fresh[child.pk],
            feedback=existing.get(child.pk),
            key_person=key_people.get(child.pk),
        )
        for child in children
    ]


def feedback_for_guardian(user: User) -> QuerySet[SessionFeedback]:
    """Feedback the family can read: published, about their own children, newest first."""
    return SessionFeedback.objects.filter(
        child__in=children_of_guardian(user), status=SessionFeedback.Status.SENT
    ).select_related("child", "session", "written_by")


@dataclass
class FamilyDay:
    """What a family member sees of one child's day so far."""

    link: Guardianship
    log: list[CareEntry] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    feedback: list[SessionFeedback] = field(default_factory=list)

    @property
    def child(self) -> Child:
        return self.link.child


def family_day(user: User, day: date) -> list[FamilyDay]:
    """Today's care log, accident reports still to read and sent feedback for each of the user's children
    who receive daily feedback: five queries, however many children."""
    days = {
        link.child_id: FamilyDay(link)
        for link in Guardianship.objects.filter(user=user, receives_feedback=True).select_related("child")
    }
    for entry in care_log(list(days), day).select_related(None).select_related("by"):
        days[entry.child_id].log.append(entry)
    for incident in Incident.objects.filter(child_id__in=list(days)).filter(
        Q(day=day) | Q(acknowledged_at__isnull=True)
    ):
        days[incident.child_id].incidents.append(incident)
    for feedback in feedback_for_guardian(user).filter(child_id__in=list(days), day=day).order_by("session__starts_at"):
        days[feedback.child_id].feedback.append(feedback)
    return list(days.values())


def _is_post_of(post: StaffMember | None, user: User) -> bool:
    return post is not None and post.is_active and post.user_id == user.pk


def is_key_person(user: User, child: Child) -> bool:
    """Whether the user is the child's key person today."""
    return _is_post_of(key_person_on(child), user)


def may_read_confidential_notes(user: User, child: Child) -> bool:
    """Confidential family notes: the nursery's managers and the child's key persons only (privacy rule 4).

    The key persons are the key person and the buddy who shares the child's care as co-key person.
    """
    if not user.is_authenticated:
        return False
    if can_manage_child(user, child):
        return True
    spell = spell_on(child)
    return spell is not None and (_is_post_of(spell.key_person, user) or _is_post_of(buddy_for(spell), user))


def key_person_notices_for_guardian(user: User, *, days: int = 30) -> list[KeyPersonNotice]:
    """The newest change of key person per child of the user in the last ``days`` days."""
    notices = KeyPersonNotice.objects.filter(
        assignment__child__in=children_of_guardian(user), created_at__gte=timezone.now() - timedelta(days=days)
    ).select_related("assignment__child", "assignment__key_person__user")
    newest: dict[int, KeyPersonNotice] = {}
    for notice in notices:  # newest first
        newest.setdefault(notice.assignment.child_id, notice)
    return list(newest.values())


def child_panel(request: HttpRequest, child: Child) -> dict:
    """The key person section of a child's page: key person and buddy today, and the booked sessions."""
    spell = spell_on(child)
    return {
        "key_person": spell.key_person if spell else None,
        "buddy": buddy_for(spell) if spell else None,
        "bookings": child.bookings.select_related("session"),
        "can_manage": can_manage_child(request.user, child),
    }


# --- Weekly planning board ----------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class BoardGroup:
    """One key group on a room's board: its children, each with ``open_steps`` and ``achieved_steps``."""

    key_person: StaffMember | None
    children: list[Child]


@dataclass
class PlanningBoard:
    room: Room
    week_of: date
    groups: list[BoardGroup]
    activities: list[PlannedActivity]

    @property
    def week_ends(self) -> date:
        return self.week_of + timedelta(days=6)

    @property
    def open_steps(self) -> list:
        return [step for group in self.groups for child in group.children for step in child.open_steps]


def planning_board(room: Room, week_of: date) -> PlanningBoard:
    """A room's week: each key group's children with their open next steps (and those achieved that week),
    and the activities planned for them, each with the observations that closed its steps.

    Seven queries, whatever the number of children, steps or activities.
    """
    week_ends = week_of + timedelta(days=6)
    children = list(
        Child.objects.filter(not_left_by(week_of), room=room)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=week_ends))
        .order_by("first_name", "last_name")
    )
    key_people = {
        spell.child_id: spell.key_person
        for spell in assignments_on(week_of).filter(child__in=children).select_related("key_person__user")
    }
    activities = list(
        PlannedActivity.objects.filter(room=room, week_of=week_of)
        .select_related("led_by__user", "evaluated_by")
        .prefetch_related(
            Prefetch("next_steps", queryset=NextStep.objects.select_related("child", "achieved_by")),
            Prefetch("children", queryset=Child.objects.order_by("first_name")),
            Prefetch("engaged", queryset=Child.objects.order_by("first_name")),
        )
    )
    planned: dict[int, list[PlannedActivity]] = {}
    for activity in activities:
        steps = list(activity.next_steps.all())
        for step in steps:
            planned.setdefault(step.pk, []).append(activity)
        activity.closed_by = sorted(
            {step.achieved_by for step in steps if step.status == NextStep.Status.ACHIEVED and step.achieved_by},
            key=lambda entry: entry.observed_at,
        )
    steps = NextStep.objects.filter(child__in=children).filter(
        Q(status=NextStep.Status.OPEN)
        | Q(
            status=NextStep.Status.ACHIEVED,
            closed_at__date__gte=week_of,
            closed_at__date__lte=week_of + timedelta(days=6),
        )
    )
    by_child: dict[int, list] = {child.pk: [] for child in children}
    for step in steps.select_related("area", "achieved_by").order_by("created_at", "pk"):
        step.activities = planned.get(step.pk, [])
        by_child[step.child_id].append(step)
    groups: dict[int | None, BoardGroup] = {}
    for child in children:
        child.open_steps = [s for s in by_child[child.pk] if s.status == NextStep.Status.OPEN]
        child.achieved_steps = [s for s in by_child[child.pk] if s.status == NextStep.Status.ACHIEVED]
        key_person = key_people.get(child.pk)
        group = groups.setdefault(key_person.pk if key_person else None, BoardGroup(key_person, []))
        group.children.append(child)
    ordered = sorted(
        groups.values(), key=lambda g: (g.key_person is None, g.key_person.user.full_name if g.key_person else "")
    )
    return PlanningBoard(room=room, week_of=week_of, groups=ordered, activities=activities)


def activities_visible_to(user: User) -> QuerySet[PlannedActivity]:
    return PlannedActivity.objects.filter(room__nursery_id__in=staff_nursery_ids(user)).select_related("room")


# --- Consultations --------------------------------------------------------------------------------

SUMMARY_WEEKS = 6


def meetings_for_staff(user: User) -> QuerySet[Consultation]:
    """Meetings about children of the user's nurseries."""
    return Consultation.objects.filter(child__in=children_in_staff_care(user)).select_related(
        "child", "key_person__user", "slot", "requested_by"
    )


def meetings_for_family(user: User) -> QuerySet[Consultation]:
    """Meetings about the user's own children, for those with parental responsibility (a grandparent who
    only collects does not see what was discussed)."""
    children = children_of_guardian(user, with_parental_responsibility=True)
    return Consultation.objects.filter(child__in=children).select_related("child", "key_person__user", "slot")


def may_change_meeting(user: User, consultation: Consultation) -> bool:
    """The meeting's key person, or a manager of the nursery; other staff may only read it."""
    return (
        consultation.key_person.user_id == user.pk
        or managed_nursery_ids(user).filter(nursery_id=consultation.child.nursery_id).exists()
    )


def live_booking() -> Q:
    return Q(status__in=[Consultation.Status.BOOKED, Consultation.Status.HELD])


def free_slots(key_person: StaffMember | int, *, now: datetime | None = None) -> QuerySet[ConsultationSlot]:
    """A key person's future slots that nobody has booked."""
    taken = Consultation.objects.filter(live_booking(), slot=OuterRef("pk"))
    return (
        ConsultationSlot.objects.filter(
            key_person=key_person, withdrawn_at__isnull=True, starts_at__gt=now or timezone.now()
        )
        .exclude(Exists(taken))
        .select_related("key_person__user")
    )


def slots_of(post: StaffMember) -> QuerySet[ConsultationSlot]:
    """A key person's slots from today on, each with ``booking`` (its live meeting, if any)."""
    since = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    bookings = Consultation.objects.filter(live_booking()).select_related("child")
    return (
        ConsultationSlot.objects.filter(key_person=post, withdrawn_at__isnull=True, starts_at__gte=since)
        .prefetch_related(Prefetch("consultations", queryset=bookings, to_attr="bookings"))
        .order_by("starts_at")
    )


@dataclass
class MeetingSummary:
    entries: list
    assessments: list
    open_steps: list


def meeting_summary(consultation: Consultation) -> MeetingSummary:
    """What the key person takes into the meeting: the child's shared entries of the last six weeks, their
    latest assessments (the most recent assessment point) and their open next steps."""
    child = consultation.child
    since = timezone.now() - timedelta(weeks=SUMMARY_WEEKS)
    entries = with_story_details(
        child.observations.filter(shared_with_families(), observed_at__gte=since).order_by("-observed_at")
    )
    latest = child.assessments.order_by("-point__starts_on").values("point_id")[:1]
    assessments = Assessment.objects.filter(child=child, point_id__in=latest).select_related(
        "point", "area", "aspect", "band"
    )
    return MeetingSummary(
        entries=list(entries), assessments=list(assessments), open_steps=list(open_next_steps([child]))
    )


def consultation_notices_for(user: User) -> QuerySet[ConsultationNotice]:
    return ConsultationNotice.objects.filter(recipient=user, read_at__isnull=True).select_related(
        "consultation__child", "actor"
    )
