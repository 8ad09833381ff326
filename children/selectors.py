"""Reads for children and families. Every query about children starts from these."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from nursery.models import Nursery, NurserySession, Room, StaffMember
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from . import care_team
from .models import (
    AllAboutMe,
    Attendance,
    Booking,
    CareEntry,
    Child,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    GuardianInvitation,
    Guardianship,
    HomeChange,
    Incident,
    ParentContribution,
    PhotoConsent,
    SendStatus,
    SupportPlan,
    SupportTarget,
    TargetProgress,
)

OWN = ConsentPurpose.PHOTOS_OWN_STORY
OTHERS = ConsentPurpose.PHOTOS_OTHERS_STORIES


def children_visible_to(user: User) -> QuerySet[Child]:
    """Children of the nurseries where the user works, and the user's own children."""
    if not user.is_authenticated:
        return Child.objects.none()
    own = children_of_guardian(user).values("pk")
    return Child.objects.filter(Q(nursery_id__in=staff_nursery_ids(user)) | Q(pk__in=own)).select_related(
        "room", "nursery"
    )


def children_of_guardian(user: User, *, with_parental_responsibility: bool = False) -> QuerySet[Child]:
    """The user's own children (as parent or carer), whatever their staff posts; with
    ``with_parental_responsibility``, only those the user holds it for (what goes beyond the story, such as
    checks, plans, meetings and consents, is theirs; a grandparent who collects does not see it).

    A child who has left stays here for the nursery's ``leaver_access_days`` after the last day (so the
    family can download the leaver pack), then drops out: the family's access ends.
    """
    if not user.is_authenticated:
        return Child.objects.none()
    today = timezone.localdate()
    still_readable = Q(leave_date__isnull=True)
    for nursery_id, days in (
        Nursery.objects.filter(children__guardianships__user=user).values_list("pk", "leaver_access_days").distinct()
    ):
        still_readable |= Q(nursery_id=nursery_id, leave_date__gte=today - timedelta(days=days))
    links = Q(guardianships__user=user)
    if with_parental_responsibility:
        links &= Q(guardianships__has_parental_responsibility=True)
    return Child.objects.filter(still_readable, links).select_related("room", "nursery")


def family_access_ends(child: Child) -> date | None:
    """The last day a leaver's family can still read the child's record (None while the child has not left)."""
    return child.leave_date + timedelta(days=child.nursery.leaver_access_days) if child.leave_date else None


def has_left(child: Child, day: date | None = None) -> bool:
    """After the child's last day: the family may still read (for a while) but no longer add to the record."""
    return child.leave_date is not None and child.leave_date < (day or timezone.localdate())


def children_in_staff_care(user: User) -> QuerySet[Child]:
    """Children at the nurseries where the user works (staff cover every child present)."""
    return Child.objects.filter(nursery_id__in=staff_nursery_ids(user)).select_related("room", "nursery")


def not_left_by(day: date) -> Q:
    """Children still at the nursery on the day (a leaver's last day counts)."""
    return Q(leave_date__isnull=True) | Q(leave_date__gte=day)


def children_on_roll(user: User, day: date | None = None) -> QuerySet[Child]:
    """Children in the user's care who have started and not yet left on the day."""
    day = day or timezone.localdate()
    return children_in_staff_care(user).filter(not_left_by(day), start_date__lte=day)


def is_guardian(user: User) -> bool:
    return user.is_authenticated and Guardianship.objects.filter(user=user).exists()


def guardianships_of(child: Child) -> QuerySet[Guardianship]:
    return child.guardianships.select_related("user")


def pending_guardian_invitations(user: User) -> QuerySet[GuardianInvitation]:
    """Invitations a manager has sent to families that are not yet accepted."""
    return GuardianInvitation.objects.filter(
        child__nursery_id__in=managed_nursery_ids(user),
        invitation__accepted_at__isnull=True,
        invitation__revoked_at__isnull=True,
    ).select_related("invitation", "child")


def works_at_childs_nursery(user: User, child: Child) -> bool:
    return staff_nursery_ids(user).filter(nursery_id=child.nursery_id).exists()


def can_manage_child(user: User, child: Child) -> bool:
    return managed_nursery_ids(user).filter(nursery_id=child.nursery_id).exists()


def consent_purposes_for(nursery_id: int) -> QuerySet[ConsentPurpose]:
    """The built-in purposes and the ones this nursery added."""
    return ConsentPurpose.objects.filter(Q(nursery__isnull=True) | Q(nursery_id=nursery_id))


def current_consents(child: Child, purposes: Iterable[ConsentPurpose] | None = None) -> dict[str, Consent | None]:
    """Each purpose's newest decision for the child (None: never asked, which counts as not given)."""
    purposes = consent_purposes_for(child.nursery_id) if purposes is None else purposes
    latest: dict[str, Consent | None] = {p.code: None for p in purposes}
    for decision in child.consents.select_related("purpose", "recorded_by"):  # newest first
        if latest.get(decision.purpose.code) is None:
            latest[decision.purpose.code] = decision
    return latest


def consent_rows(child: Child) -> list[tuple[ConsentPurpose, Consent | None]]:
    """Each purpose the child's nursery asks about, in order, with its current decision."""
    purposes = list(consent_purposes_for(child.nursery_id))
    current = current_consents(child, purposes)
    return [(purpose, current[purpose.code]) for purpose in purposes]


def children_with_consent(child_ids: Iterable[int], code: str) -> set[int]:
    """Which of these children currently have consent for the purpose, in one query."""
    decided: dict[int, bool] = {}
    decisions = Consent.objects.filter(child_id__in=list(child_ids), purpose__code=code).values_list(
        "child_id", "granted"
    )
    for child_id, granted in decisions:  # newest first: the first decision per child is the current one
        decided.setdefault(child_id, granted)
    return {child_id for child_id, granted in decided.items() if granted}


def has_consent(child: Child, code: str) -> bool:
    return child.pk in children_with_consent([child.pk], code)


# --- The day: attendance, care log, incidents -------------------------------------------------


def moment(day: date, at: time) -> datetime:
    """A time of day on a date, in the nursery's time zone."""
    return timezone.make_aware(datetime.combine(day, at))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return moment(day, time.min), moment(day + timedelta(days=1), time.min)


def register_for(room: Room, day: date) -> QuerySet[Child]:
    """The room's children on roll on the day, each with that day's stays (``day_attendances``)."""
    return (
        Child.objects.filter(room=room, start_date__lte=day)
        .filter(not_left_by(day))
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(day=day).select_related("signed_in_by", "signed_out_by"),
                to_attr="day_attendances",
            )
        )
        .order_by("first_name", "last_name")
    )


def present_at(children: QuerySet[Child], at: datetime) -> QuerySet[Child]:
    """The children signed in at a moment (signed in by then, not yet signed out)."""
    stays = Attendance.objects.filter(signed_in_at__lte=at).filter(
        Q(signed_out_at__isnull=True) | Q(signed_out_at__gte=at)
    )
    return children.filter(pk__in=stays.values("child_id"))


def open_attendance(child: Child) -> Attendance | None:
    return child.attendances.filter(signed_out_at__isnull=True).first()


def sleeping(children: QuerySet[Child]) -> QuerySet[CareEntry]:
    """Sleeps not yet ended for these children, with their checks, longest asleep first."""
    return (
        CareEntry.objects.filter(child__in=children, kind=CareEntry.Kind.SLEEP, ends_at__isnull=True)
        .select_related("child")
        .prefetch_related("checks")
        .order_by("at")
    )


def care_log(children: QuerySet[Child] | Iterable[int], day: date) -> QuerySet[CareEntry]:
    """The day's care entries for these children, in time order, with who did each and any sleep checks."""
    return (
        CareEntry.objects.filter(child__in=children, day=day)
        .select_related("child", "by")
        .prefetch_related("checks")
        .order_by("at", "pk")
    )


def incidents_for(children: QuerySet[Child] | Iterable[int], day: date) -> QuerySet[Incident]:
    return Incident.objects.filter(child__in=children, day=day).select_related("child", "recorded_by")


def incidents_awaiting_acknowledgement(user: User) -> QuerySet[Incident]:
    """Accidents and incidents the user's children had that no parent has acknowledged yet."""
    return Incident.objects.filter(child__in=children_of_guardian(user), acknowledged_at__isnull=True).select_related(
        "child"
    )


def sessions_attended(
    children: QuerySet[Child], day: date, *, now: datetime | None = None
) -> dict[int, list[NurserySession]]:
    """Which sessions each child attended on a day: THE attendance rule, in four queries.

    A child attended a session when they were signed in for part of its times that day (a stay not yet
    signed out counts up to now) and the session is in their booking pattern for that weekday. On a day
    they came without a booking for what they attended (an extra or swapped day), they attended the one
    session that covers most of the time they were in (the shorter session on a tie), so a child in for
    the morning gets morning feedback, not "Full day" as well; a child who came early for a booked
    session still to start waits for it. Signing in exactly at a session's end does not count.
    """
    now = now or timezone.now()
    rows = list(children.values_list("pk", "nursery_id"))
    stays: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    day_end = day_bounds(day)[1]
    for child_id, start, end in Attendance.objects.filter(child_id__in=[pk for pk, _ in rows], day=day).values_list(
        "child_id", "signed_in_at", "signed_out_at"
    ):
        stays[child_id].append((start, end or min(now, day_end)))
    booked: dict[int, set[int]] = defaultdict(set)
    for child_id, session_id in Booking.objects.filter(child_id__in=list(stays), weekday=day.weekday()).values_list(
        "child_id", "session_id"
    ):
        booked[child_id].add(session_id)
    sessions: dict[int, list[NurserySession]] = defaultdict(list)
    for session in NurserySession.objects.filter(nursery_id__in={nursery for _, nursery in rows}):
        sessions[session.nursery_id].append(session)

    attended: dict[int, list[NurserySession]] = {}
    for child_id, nursery_id in rows:
        if child_id not in stays:
            continue
        overlaps = {}
        for session in sessions[nursery_id]:
            start, end = moment(day, session.starts_at), moment(day, session.ends_at)
            seconds = sum(max((min(end, out) - max(start, into)).total_seconds(), 0) for into, out in stays[child_id])
            if seconds > 0:
                overlaps[session] = seconds
        chosen = [session for session in overlaps if session.pk in booked[child_id]]
        still_in = any(out == now for _, out in stays[child_id])
        booked_later = any(moment(day, s.starts_at) >= now for s in sessions[nursery_id] if s.pk in booked[child_id])
        if not chosen and overlaps and not (still_in and booked_later):
            chosen = [max(overlaps, key=lambda s: (overlaps[s], -session_length(s)))]
        if chosen:
            attended[child_id] = sorted(chosen, key=lambda s: (s.starts_at, s.ends_at))
    return attended


def session_length(session: NurserySession) -> float:
    return (datetime.combine(date.min, session.ends_at) - datetime.combine(date.min, session.starts_at)).total_seconds()


def session_window(session: NurserySession, day: date, attended: list[NurserySession]) -> tuple[datetime, datetime]:
    """The stretch of the day a session's feedback covers. The child's first session of the day also
    covers what happened before it (an early breakfast), and their last what happened after it."""
    start, end = moment(day, session.starts_at), moment(day, session.ends_at)
    if attended and session == attended[0]:
        start = day_bounds(day)[0]
    if attended and session == attended[-1]:
        end = day_bounds(day)[1]
    return start, end


def guardian_link(user: User, child: Child) -> Guardianship | None:
    """The user's own link to the child as parent or carer, if any."""
    if not user.is_authenticated:
        return None
    return Guardianship.objects.filter(user=user, child=child).first()


def holds_parental_responsibility(user: User, child: Child) -> bool:
    """Consents are a parent's decision, and support plans are read and added to by parents: only a
    guardian with parental responsibility does either. (Managers record a family's consent decision on
    their behalf, from a paper form, by a separate path.)"""
    return children_of_guardian(user, with_parental_responsibility=True).filter(pk=child.pk).exists()


def may_edit_all_about_me(user: User, child: Child) -> bool:
    """The nursery's managers and the child's key person fill in "All about me" with the family."""
    return can_manage_child(user, child) or care_team.is_key_person(user, child)


def consent_history(child: Child) -> QuerySet[Consent]:
    return child.consents.select_related("purpose", "recorded_by")


def photo_consent_states(child_ids: Iterable[int]) -> dict[int, str]:
    """Each child's photo badge state (a ``PhotoConsent`` value), in one query.

    A child with no own-story consent shows "No photos" even if the family agreed to appearing in
    others' stories: the badge is for the person holding the camera, so it errs on the safe side.
    """
    ids = list(child_ids)
    decided: dict[tuple[int, str], bool] = {}
    decisions = Consent.objects.filter(
        child_id__in=ids, purpose__nursery__isnull=True, purpose__code__in=[OWN, OTHERS]
    ).values_list("child_id", "purpose__code", "granted")
    for child_id, code, granted in decisions:  # newest first
        decided.setdefault((child_id, code), granted)
    states = {}
    for child_id in ids:
        if not decided.get((child_id, OWN)):
            states[child_id] = PhotoConsent.NONE
        elif decided.get((child_id, OTHERS)):
            states[child_id] = PhotoConsent.ALL
        else:
            states[child_id] = PhotoConsent.OWN_STORY_ONLY
    return states


def with_photo_consent(children: Iterable[Child]) -> list[Child]:
    """The children, each with ``photo_consent`` set for ``children/_photo_consent_badge.html``."""
    children = list(children)
    states = photo_consent_states(child.pk for child in children)
    for child in children:
        child.photo_consent = states[child.pk]
    return children


def with_alerts(children: QuerySet[Child]) -> QuerySet[Child]:
    """Children with "All about me" loaded in the same query, for ``children/_alerts.html``."""
    return children.select_related("all_about_me")


def all_about_me_of(child: Child) -> AllAboutMe:
    """The child's record, or an empty unsaved one before induction."""
    try:
        return child.all_about_me
    except AllAboutMe.DoesNotExist:
        return AllAboutMe(child=child)


def unread_home_changes(child: Child) -> QuerySet[HomeChange]:
    return child.home_changes.filter(read_at__isnull=True).select_related("proposed_by")


def unread_home_changes_for(child_ids: Iterable[int]) -> dict[int, int]:
    """How many changes at home each child has that staff have not read yet, in one query."""
    rows = (
        HomeChange.objects.filter(child_id__in=list(child_ids), read_at__isnull=True)
        .order_by()
        .values_list("child_id")
        .annotate(Count("pk"))
    )
    return dict(rows)


def confidential_notes_of(child: Child) -> QuerySet[ConfidentialNote]:
    """Every confidential note about the child. Callers check the reader first:
    ``keyworker.selectors.may_read_confidential_notes``."""
    return child.confidential_notes.select_related("written_by")


def own_confidential_notes(user: User, child: Child) -> QuerySet[ConfidentialNote]:
    """The notes this family member wrote about the child (what a parent may read back)."""
    return confidential_notes_of(child).filter(written_by=user, source=ConfidentialNote.Source.FAMILY)


def family_nursery_ids(user: User) -> QuerySet:
    """Ids of nurseries the user's children go to: a subquery (their families may see who the staff are)."""
    return Child.objects.filter(guardianships__user=user).values("nursery_id")


def stays_on(nursery_id: int, day: date) -> dict[int, list[Attendance]]:
    """Each child's stays at the nursery on the day (signed in, and out), in one query."""
    stays: dict[int, list[Attendance]] = defaultdict(list)
    for stay in Attendance.objects.filter(child__nursery_id=nursery_id, day=day).order_by("signed_in_at"):
        stays[stay.child_id].append(stay)
    return stays


# --- Support plans (SEN support: assess, plan, do, review) ----------------------------------------
# Plans are sensitive but are not confidential notes: they are shared by the people who work on them
# with the family (key person, buddy, managers, the SENCO) and read by parents with parental
# responsibility. Other practitioners are not in that circle (they get the strategies from the key person).


def is_senco_at(user: User, nursery_id: int) -> bool:
    return StaffMember.objects.filter(user=user, nursery_id=nursery_id, is_active=True, is_senco=True).exists()


def may_work_on_support_plans(user: User, child: Child) -> bool:
    """The child's key person and buddy, the managers and the SENCO write and read the child's plans."""
    if not user.is_authenticated or not works_at_childs_nursery(user, child):
        return False
    return is_senco_at(user, child.nursery_id) or care_team.is_close_team(user, child)


def support_plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    """Plans of children the user can see at all (other nurseries and families are never in it)."""
    return SupportPlan.objects.filter(child__in=children_visible_to(user)).select_related(
        "child__nursery", "child__room"
    )


def support_plans_of(child: Child) -> QuerySet[SupportPlan]:
    """A child's plans, active first, each with its count of open targets."""
    return child.support_plans.annotate(
        open_targets=Count("targets", filter=Q(targets__status=SupportTarget.Status.OPEN))
    ).order_by("status", "next_review_on")


def plan_details(plan: SupportPlan) -> dict:
    """Everything on a plan's page, in a fixed number of queries."""
    return {
        "targets": list(plan.targets.all()),
        "reviews": list(
            plan.reviews.select_related("recorded_by").prefetch_related(
                Prefetch("progress", queryset=TargetProgress.objects.select_related("target"))
            )
        ),
        "contributions": list(plan.contributions.select_related("author")),
    }


def children_with_support_needs(nursery_id: int, day: date) -> list[Child]:
    """The SENCO's list: children still here with SEN support, an EHC plan or an active plan.

    Each child has ``active_plans`` (with ``open_targets``) and ``next_review`` (the soonest), soonest first.
    """
    active = SupportPlan.objects.filter(status=SupportPlan.Status.ACTIVE).annotate(
        open_targets=Count("targets", filter=Q(targets__status=SupportTarget.Status.OPEN))
    )
    children = list(
        Child.objects.filter(not_left_by(day), nursery_id=nursery_id)
        .filter(~Q(send_status=SendStatus.NONE) | Q(support_plans__status=SupportPlan.Status.ACTIVE))
        .distinct()
        .select_related("room")
        .prefetch_related(Prefetch("support_plans", queryset=active.order_by("next_review_on"), to_attr="active_plans"))
    )
    for child in children:
        child.next_review = child.active_plans[0].next_review_on if child.active_plans else None
    return sorted(children, key=lambda c: (c.next_review is None, c.next_review or day, c.first_name))


def unread_plan_contributions_for(child_ids: Iterable[int]) -> dict[int, int]:
    """Families' plan contributions no one on the team has read yet, counted per child in one query."""
    rows = (
        ParentContribution.objects.filter(plan__child_id__in=list(child_ids), read_at__isnull=True)
        .values("plan__child_id")
        .annotate(n=Count("pk"))
    )
    return {row["plan__child_id"]: row["n"] for row in rows}
