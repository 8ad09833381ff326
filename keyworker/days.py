"""The nursery's days: who is booked, who is working, who covers whom, and the ratios.

``NurseryDays`` loads a nursery's bookings, working patterns, absences and key person spells for
a range of dates in a fixed number of queries, then answers each day in Python with the plain
functions of ``ratios.py``. The daily register, cover, ratios and the manager's dashboard use it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from children.absences.models import Absence
from children.absences.selectors import absences_between
from children.day.models import Attendance
from children.models import Booking, Child
from children.selectors import not_left_by
from nursery.models import Nursery, NurserySession, Room, StaffAbsence, StaffMember, WorkingPattern

from .models import KeyGroup, KeyPersonAssignment
from .ratios import Cover, RatioFigures, Slot, cover_status, periods, present_during, ratio_figures


def slot_of(session: NurserySession) -> Slot:
    return (session.starts_at, session.ends_at)


def hours_of(slots: list[Slot]) -> float:
    return sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds / 3600 for start, end in slots
    )


def _slot_of_stay(stay: Attendance) -> Slot:
    """The hours of a stay; one still under way runs until now."""
    end = stay.signed_out_at or max(timezone.now(), stay.signed_in_at)
    return (timezone.localtime(stay.signed_in_at).time(), timezone.localtime(end).time())


@dataclass
class RegisterRow:
    """One line of the daily register: a child booked in, their hours, key person and cover."""

    child: Child
    sessions: list[NurserySession]
    key_person: StaffMember | None
    buddy: StaffMember | None
    cover: Cover
    stays: list[Attendance] = field(default_factory=list)  # when signed in and out, if the day is known
    absence: Absence | None = None  # the family reported the child off that day

    @property
    def flagged(self) -> bool:
        """Nobody named is in for a child who is coming (a child reported off needs no cover)."""
        return self.cover.flagged and self.absence is None

    @property
    def hours(self) -> float:
        return hours_of([slot_of(s) for s in self.sessions])


@dataclass
class RoomPeriod:
    """Ratio figures for one room in one period of one day."""

    day: date
    room: Room
    period: Slot
    label: str
    figures: RatioFigures
    children: list[Child]
    staff: list[StaffMember]

    @property
    def without_date_of_birth(self) -> list[Child]:
        return [child for child in self.children if child.date_of_birth is None]


class NurseryDays:
    def __init__(self, nursery: Nursery, first: date, last: date | None = None, *, only: Q | None = None) -> None:
        """``only``: just the children it selects (each child's row and cover stand on their own; the ratios need
        every child)."""
        self.nursery = nursery
        self.first, self.last = first, last or first
        self.sessions = list(NurserySession.objects.filter(nursery=nursery))
        self.rooms = list(Room.objects.filter(nursery=nursery).active(self.first))  # archived by then: no ratios
        self.children = list(
            Child.objects.filter(nursery=nursery, start_date__lte=self.last)
            .filter(not_left_by(self.first))
            .filter(only or Q())
            .select_related("room")
            .order_by("first_name", "last_name")
        )
        sessions = {s.pk: s for s in self.sessions}
        self.bookings: dict[int, dict[int, list[NurserySession]]] = defaultdict(lambda: defaultdict(list))
        for child_id, weekday, session_id in Booking.objects.filter(
            child__in=[c.pk for c in self.children]
        ).values_list("child_id", "weekday", "session_id"):
            self.bookings[child_id][weekday].append(sessions[session_id])
        self.staff = {
            s.pk: s for s in StaffMember.objects.filter(nursery=nursery, is_active=True).select_related("user", "room")
        }
        self.shifts: dict[int, dict[int, list[NurserySession]]] = defaultdict(lambda: defaultdict(list))
        for staff_id, weekday, session_id in WorkingPattern.objects.filter(staff__in=list(self.staff)).values_list(
            "staff_id", "weekday", "session_id"
        ):
            self.shifts[staff_id][weekday].append(sessions[session_id])
        self.absences: dict[int, list[StaffAbsence]] = defaultdict(list)
        for absence in StaffAbsence.objects.filter(
            staff__nursery=nursery, starts_on__lte=self.last, ends_on__gte=self.first
        ):
            self.absences[absence.staff_id].append(absence)
        # Children the family reported off: on the register as absent, not expected for the ratios.
        self.reported_off = absences_between(nursery.pk, self.first, self.last)
        self.spells: dict[int, list[KeyPersonAssignment]] = defaultdict(list)
        for spell in KeyPersonAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=self.first),
            child__nursery=nursery,
            starts_on__lte=self.last,
        ).select_related("key_person__user", "buddy__user"):
            self.spells[spell.child_id].append(spell)
        self.group_buddies = {
            group.key_person_id: group.buddy
            for group in KeyGroup.objects.filter(key_person__nursery=nursery, buddy__isnull=False).select_related(
                "buddy__user"
            )
        }

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def booked(self, child: Child, day: date) -> list[NurserySession]:
        """The sessions a child is booked into on the day, if they are on roll then."""
        if child.start_date is None or child.start_date > day or child.has_left(day):
            return []
        return sorted(self.bookings[child.pk][day.weekday()], key=lambda s: s.starts_at)

    def absence_of(self, child: Child, day: date) -> Absence | None:
        """The family's report that the child is off on the day, if any."""
        return next((a for a in self.reported_off.get(child.pk, []) if a.covers(day)), None)

    def expected(self, child: Child, day: date) -> list[NurserySession]:
        """The sessions a child is booked into and expected at: none when reported off."""
        return [] if self.absence_of(child, day) else self.booked(child, day)

    def reported_off_on(self, day: date) -> list[tuple[Child, Absence]]:
        """Children booked in on the day whom the family reported off, with the report."""
        return [
            (child, absence)
            for child in self.children
            if self.booked(child, day) and (absence := self.absence_of(child, day)) is not None
        ]

    def is_away(self, staff: StaffMember, day: date) -> bool:
        return any(a.starts_on <= day <= a.ends_on for a in self.absences[staff.pk])

    def away(self, day: date) -> list[tuple[StaffMember, StaffAbsence]]:
        """Who is away on the day, and why."""
        return [
            (member, absence)
            for member in self.staff.values()
            for absence in self.absences[member.pk]
            if absence.starts_on <= day <= absence.ends_on
        ]

    def working(self, staff: StaffMember | None, day: date) -> list[Slot] | None:
        """When a member of staff is in on the day ([] when away or not working; None for nobody)."""
        if staff is None:
            return None
        if staff.pk not in self.staff or self.is_away(staff, day):
            return []
        if staff.leaves_on is not None and staff.leaves_on <= day:  # has left by then: no longer works here
            return []
        return [slot_of(s) for s in self.shifts[staff.pk][day.weekday()]]

    def spell_on(self, child: Child, day: date) -> KeyPersonAssignment | None:
        return next(
            (s for s in self.spells[child.pk] if s.starts_on <= day and (s.ends_on is None or s.ends_on >= day)), None
        )

    def register(self, day: date, stays: dict[int, list[Attendance]] | None = None) -> list[RegisterRow]:
        """Every child booked in on the day, by room, with their key person on that date and who covers.

        With the day's ``stays`` (sign in and out), each row carries its child's, and a child who came
        without a booking is on the register too, covered for the hours they were here.
        """
        stays = stays or {}
        rows = []
        for child in self.children:
            sessions = self.booked(child, day)
            if not sessions and not stays.get(child.pk):
                continue
            slots = [slot_of(s) for s in sessions] or [_slot_of_stay(stay) for stay in stays[child.pk]]
            spell = self.spell_on(child, day)
            key_person = spell.key_person if spell else None
            buddy = (spell.buddy or self.group_buddies.get(spell.key_person_id)) if spell else None
            cover = cover_status(slots, self.working(key_person, day), self.working(buddy, day))
            absence = self.absence_of(child, day)
            rows.append(RegisterRow(child, sessions, key_person, buddy, cover, stays.get(child.pk, []), absence))
        room_order = {room.pk: index for index, room in enumerate(self.rooms)}
        return sorted(rows, key=lambda row: room_order.get(row.child.room_id, len(room_order)))

    def period_label(self, period: Slot) -> str:
        start, end = period
        name = next((s.name for s in self.sessions if slot_of(s) == period), "")
        return f"{name + ' ' if name else ''}{start:%H:%M}\N{EN DASH}{end:%H:%M}"

    def ratios(self, day: date) -> list[RoomPeriod]:
        """Each room's periods on the day with children or staff in, from the children's ages on that date."""
        result = []
        for period in periods(slot_of(s) for s in self.sessions):
            for room in self.rooms:
                if room.archived_on and room.archived_on <= day:  # archived: no ratios from that day
                    continue
                children = [
                    c
                    for c in self.children
                    if c.room_id == room.pk and present_during([slot_of(s) for s in self.expected(c, day)], period)
                ]
                staff = [
                    s
                    for s in self.staff.values()
                    if s.room_id == room.pk and present_during(self.working(s, day), period)
                ]
                if not children and not staff:
                    continue
                figures = ratio_figures(
                    [c.age_in_months(day) for c in children], staff_levels=[s.qualification_level for s in staff]
                )
                result.append(RoomPeriod(day, room, period, self.period_label(period), figures, children, staff))
        return sorted(result, key=lambda rp: (rp.room.min_age_months, rp.room.name, rp.period))

    def shortfalls(self) -> list[RoomPeriod]:
        """Room periods in the range short of staff, or whose figures are unsure for want of a date of birth."""
        return [rp for day in self.days() for rp in self.ratios(day) if rp.figures.shortfall or rp.figures.unknown_age]

    def first_open_day(self) -> date | None:
        """The first day in the range with any child booked in."""
        return next((day for day in self.days() if any(self.booked(c, day) for c in self.children)), None)
