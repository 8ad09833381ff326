"""Reads for the day: who is in, the care log, accidents, which sessions each child attended, and the
``access_*`` fetches of the day's records."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.absences.selectors import absences_on
from children.models import Booking, Child
from children.selectors import children_in_staff_care, children_of_guardian, not_left_by
from nursery.models import NurserySession, Room

from .models import Attendance, CareEntry, Incident, SleepCheck


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


def mark_arrivals(children: Iterable[Child], day: date, *, now: datetime | None = None) -> list[Child]:
    """Set ``absence`` (the family's report that the child is off) and ``not_arrived`` on each child of a
    day's register, in two queries (stays come prefetched by ``register_for``).

    A child is "not arrived" on the day itself when booked in, not signed in, not reported off, and both the
    nursery's ``not_arrived_after`` time and the start of their first booked session have passed (a child
    booked for the afternoon is not missing at ten). Times are the nursery's own (Europe/London), so a
    clock change moves nothing: ten o'clock is ten o'clock on the wall.
    """
    children = list(children)
    now = now or timezone.now()
    off = absences_on((child.pk for child in children), day)
    starts: dict[int, time] = {}
    for child_id, starts_at in Booking.objects.filter(
        child_id__in=[child.pk for child in children], weekday=day.weekday()
    ).values_list("child_id", "session__starts_at"):
        starts[child_id] = min(starts_at, starts.get(child_id, starts_at))
    is_today = timezone.localdate(now) == day
    for child in children:
        child.absence = off.get(child.pk)
        first_start = starts.get(child.pk)
        child.not_arrived = bool(
            is_today
            and first_start is not None
            and child.absence is None
            and not child.day_attendances
            and now >= moment(day, max(child.nursery.not_arrived_after, first_start))
        )
    return children


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


# Safe sleep: a sleeping child is checked (breathing, position, temperature) this often.
SLEEP_CHECK_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Sleeper:
    """A child asleep now, for the room's care log: since when, when last checked, and whether a check is due."""

    child: Child
    since: datetime
    last_check: datetime
    check_due: bool


def asleep_now(children: QuerySet[Child], now: datetime) -> list[Sleeper]:
    """These children's sleeps under way, longest asleep first, each with its latest check."""
    sleepers = []
    for entry in sleeping(children):
        checks = list(entry.checks.all())  # prefetched, oldest first
        last_check = checks[-1].at if checks else entry.at
        sleepers.append(Sleeper(entry.child, entry.at, last_check, now - last_check >= SLEEP_CHECK_EVERY))
    return sleepers


def care_log(children: QuerySet[Child] | Iterable[int], day: date) -> QuerySet[CareEntry]:
    """The day's care entries for these children, in time order, with who did each and any sleep checks."""
    return (
        CareEntry.objects.filter(child__in=children, day=day)
        .select_related("child", "by")
        .prefetch_related("checks")
        .order_by("at", "pk")
    )


def access_care_entry(user: User, pk: int) -> CareEntry:
    """A care log entry of a child at a nursery where the user works (any colleague may correct one), or 404."""
    return get_object_or_404(
        CareEntry.objects.filter(child__in=children_in_staff_care(user)).select_related("child"), pk=pk
    )


def care_entries_to_undo(user: User, ids: Iterable[int]) -> list[CareEntry]:
    """The care entries of one tap the user wants to take back: only those they last recorded themselves (a
    colleague's tap is corrected, never undone), among those of children in their care."""
    return list(
        CareEntry.objects.filter(child__in=children_in_staff_care(user), recorded_by=user, pk__in=ids).select_related(
            "child"
        )
    )


def sleep_checks_to_undo(user: User, ids: Iterable[int]) -> list[SleepCheck]:
    """Sleep checks the user just recorded (only their own), among those of children in their care."""
    return list(
        SleepCheck.objects.filter(entry__child__in=children_in_staff_care(user), by=user, pk__in=ids).select_related(
            "entry"
        )
    )


def incidents_for(children: QuerySet[Child] | Iterable[int], day: date) -> QuerySet[Incident]:
    return Incident.objects.filter(child__in=children, day=day).select_related("child", "recorded_by")


def incidents_awaiting_acknowledgement(user: User) -> QuerySet[Incident]:
    """Accidents and incidents the user's children had that no parent has acknowledged yet."""
    return Incident.objects.filter(child__in=children_of_guardian(user), acknowledged_at__isnull=True).select_related(
        "child"
    )


def access_incident(user: User, pk: int) -> Incident:
    """An accident or incident report about one of the user's own children, for the family to read, or 404."""
    return get_object_or_404(Incident.objects.filter(child__in=children_of_guardian(user)), pk=pk)


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


def stays_on(nursery_id: int, day: date) -> dict[int, list[Attendance]]:
    """Each child's stays at the nursery on the day (signed in, and out), in one query."""
    stays: dict[int, list[Attendance]] = defaultdict(list)
    for stay in Attendance.objects.filter(child__nursery_id=nursery_id, day=day).order_by("signed_in_at"):
        stays[stay.child_id].append(stay)
    return stays
