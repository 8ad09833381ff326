"""The key person system in the demo: session times, booking patterns, working weeks, key groups and buddies,
and the holes the manager's dashboard exists for:

- a starter next week with no key person (Nell Harper);
- a key group over its limit (Priya's: ten key children, limit eight);
- a key person off sick on the next open day, covered by their buddy (Ben, covered by Leah);
- a day short of staff (the open day after, Leah is on training and Rainbows has only Ben).

Idempotent: patterns, groups and history are only created where missing, so a manager's changes survive
reloading, and the two demo absences move to stay relative to today.
"""

from datetime import date, time, timedelta

from children.models import Booking, Child
from keyworker.models import KeyGroup, KeyPersonAssignment
from nursery.models import Nursery, NurserySession, Room, StaffAbsence, StaffMember, WorkingPattern

SESSIONS = [("Morning", time(8), time(13)), ("Afternoon", time(13), time(18)), ("Full day", time(8), time(18))]
MON_TO_FRI = range(5)

# e-mail: (size limit, buddy's e-mail)
KEY_GROUPS = {
    "tom@rainbow.example": (6, "grace@rainbow.example"),
    "grace@rainbow.example": (6, "tom@rainbow.example"),
    "priya@rainbow.example": (8, "manager@rainbow.example"),
    "leah@rainbow.example": (8, "ben@rainbow.example"),
    "ben@rainbow.example": (8, "leah@rainbow.example"),
}


def open_day(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _week(days: dict[int, str], sessions: dict[str, NurserySession]) -> list[tuple[int, NurserySession]]:
    return [(weekday, sessions[name]) for weekday, name in days.items()]


def child_week(room: str, index: int) -> dict[int, str]:
    """Usual sessions for the index-th child of a room, spread so each room keeps to its ratio."""
    if room == "Caterpillars":  # three full days each: at most six babies, two staff
        return {(index + n) % 5: "Full day" for n in range(3)}
    if room == "Butterflies":  # two full days, half of them a morning too: at most five two-year-olds, one staff
        week = {index % 5: "Full day", (index + 2) % 5: "Full day"}
        if index < 5:
            week[(index + 1) % 5] = "Morning"
        return week
    if index == 10:  # Rainbows: full time, but the oldest comes three mornings
        return dict.fromkeys(range(3), "Morning")
    return dict.fromkeys(MON_TO_FRI, "Full day")


def staff_week(email: str) -> dict[int, str]:
    week = dict.fromkeys(MON_TO_FRI, "Full day")
    if email == "ben@rainbow.example":
        week[4] = "Morning"
    return week


def load_key_person_demo(nursery: Nursery, today: date) -> None:
    sessions = {
        name: NurserySession.objects.get_or_create(
            nursery=nursery, name=name, defaults={"starts_at": starts, "ends_at": ends}
        )[0]
        for name, starts, ends in SESSIONS
    }
    staff = {s.user.email: s for s in StaffMember.objects.filter(nursery=nursery).select_related("user")}
    for email, member in staff.items():
        if not member.working_pattern.exists():
            WorkingPattern.objects.bulk_create(
                WorkingPattern(staff=member, weekday=weekday, session=session)
                for weekday, session in _week(staff_week(email), sessions)
            )
    for email, (limit, buddy) in KEY_GROUPS.items():
        KeyGroup.objects.get_or_create(key_person=staff[email], defaults={"size_limit": limit, "buddy": staff[buddy]})

    rooms = {room.name: room for room in Room.objects.filter(nursery=nursery)}
    for room in rooms.values():
        children = Child.objects.filter(nursery=nursery, room=room).order_by("-date_of_birth", "pk")
        for index, child in enumerate(children):
            if not child.bookings.exists():
                Booking.objects.bulk_create(
                    Booking(child=child, weekday=weekday, session=session)
                    for weekday, session in _week(child_week(room.name, index), sessions)
                )

    _bonded_with_another(nursery, staff, today)
    _starter_without_key_person(nursery, rooms["Caterpillars"], sessions, today)
    first_open = open_day(today)
    _away(staff["ben@rainbow.example"], StaffAbsence.Kind.SICKNESS, "Demo: off sick", first_open)
    _away(
        staff["leah@rainbow.example"],
        StaffAbsence.Kind.TRAINING,
        "Demo: paediatric first aid course",
        open_day(first_open + timedelta(days=1)),
    )


def _bonded_with_another(nursery: Nursery, staff: dict[str, StaffMember], today: date) -> None:
    """Arlo settled with Grace rather than Tom: a history of two key persons."""
    arlo = Child.objects.get(nursery=nursery, first_name="Arlo", last_name="Thomas")
    spells = list(arlo.key_person_assignments.all())
    if len(spells) != 1 or spells[0].key_person == staff["grace@rainbow.example"]:
        return
    changed_on = max(today - timedelta(days=20), spells[0].starts_on + timedelta(days=1))
    spells[0].ends_on = changed_on - timedelta(days=1)
    spells[0].save(update_fields=["ends_on"])
    KeyPersonAssignment.objects.create(
        child=arlo, key_person=staff["grace@rainbow.example"], starts_on=changed_on, reason="Bonded with Grace"
    )


def _starter_without_key_person(nursery: Nursery, room: Room, sessions: dict[str, NurserySession], today: date) -> None:
    child, created = Child.objects.get_or_create(
        nursery=nursery,
        first_name="Nell",
        last_name="Harper",
        defaults={"room": room, "date_of_birth": today - timedelta(days=300), "start_date": today + timedelta(days=6)},
    )
    if created:
        # Monday and Tuesday, when Caterpillars has room for one more baby.
        full_day = sessions["Full day"]
        Booking.objects.bulk_create(Booking(child=child, weekday=weekday, session=full_day) for weekday in (0, 1))
    elif not child.key_person_assignments.exists():
        child.start_date = today + timedelta(days=6)  # still a starter, whenever the demo is loaded
        child.save(update_fields=["start_date"])


def _away(member: StaffMember, kind: str, note: str, day: date) -> None:
    StaffAbsence.objects.update_or_create(
        staff=member, note=note, defaults={"kind": kind, "starts_on": day, "ends_on": day}
    )
