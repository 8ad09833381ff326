"""The demo's day: today's register, a little of the care log, an accident report and yesterday's feedback.

Everything is found or created by natural keys, and nothing is put later than the current time, so
loading the demo again (at any hour) changes nothing that is already there. Children go home when their
booked sessions end, once that time has come: no stay runs on after closing or into the next day, where
a child still signed in could not be signed in again.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from children.day.models import Attendance, CareEntry, Condition, Incident, Meal
from children.day.selectors import moment
from children.models import Child, Guardianship
from children.selectors import not_left_by
from keyworker.models import SessionFeedback
from keyworker.selectors import key_person_on
from nursery.models import Nursery

CLOSING = time(18)  # when a child with no booking that day goes home

# child's first name: care entries as (time, kind, meal, amount, condition)
CARE = {
    "Ava": [(time(8, 40), "meal", Meal.BREAKFAST, "most", ""), (time(10, 0), "toilet", "", "", Condition.WET)],
    "Leo": [(time(9, 30), "meal", Meal.MORNING_SNACK, "all", ""), (time(10, 5), "nappy", "", "", Condition.WET)],
    "Zara": [(time(8, 45), "meal", Meal.BREAKFAST, "half", ""), (time(10, 10), "nappy", "", "", Condition.SOILED)],
}


def _previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def load_day_demo(nursery: Nursery, today: date) -> None:
    now = timezone.now()
    sessions = {session.name: session for session in nursery.sessions.all()}  # from the key person demo
    # Sam Taylor (parent of Ava and Leo) asked for feedback by e-mail too; the other parents read it here.
    Guardianship.objects.filter(child__nursery=nursery, user__email="sam.taylor@families.example").update(
        feedback_by_email=True
    )
    children = {child.first_name: child for child in Child.objects.filter(nursery=nursery)}

    # Today's register: the children on roll (started, not yet left) booked today, arriving from 8:00 (only
    # once that time has come) and going home when their sessions end (once that has come too), after any
    # stay still open is closed. A starter's bookings begin on their first day, not before.
    _send_home(nursery, today, now)
    _forget_days_off_roll(nursery)
    booked = Child.objects.filter(
        not_left_by(today), nursery=nursery, start_date__lte=today, bookings__weekday=today.weekday()
    ).distinct()
    for index, child in enumerate(booked.order_by("first_name")):
        arrived = moment(today, time(8)) + timedelta(minutes=2 * index)
        if arrived <= now and not child.attendances.filter(day=today).exists():
            by, leaves = _key_user(child, today), _home_time(child, today, arrived)
            gone = leaves <= now
            Attendance.objects.create(
                child=child,
                day=today,
                signed_in_at=arrived,
                signed_in_by=by,
                signed_out_at=leaves if gone else None,
                signed_out_by=by if gone else None,
            )

    for name, entries in CARE.items():
        child = children.get(name)
        if child is None or not child.attendances.filter(day=today).exists() or child.care_entries.filter(day=today):
            continue
        for at, kind, meal, amount, condition in entries:
            when = moment(today, at)
            if when <= now:
                CareEntry.objects.create(
                    child=child,
                    kind=kind,
                    day=today,
                    at=when,
                    meal=meal,
                    amount=amount,
                    condition=condition,
                    by=_key_user(child, today),
                )

    # Lunch at noon for everyone in, once noon has passed.
    noon = moment(today, time(12))
    if noon <= now and not CareEntry.objects.filter(child__nursery=nursery, day=today, meal=Meal.LUNCH).exists():
        here = Child.objects.filter(nursery=nursery, attendances__day=today).distinct().order_by("first_name")
        CareEntry.objects.bulk_create(
            CareEntry(
                child=child,
                kind=CareEntry.Kind.MEAL,
                day=today,
                at=noon,
                meal=Meal.LUNCH,
                amount=["all", "most", "all", "half", "little"][index % 5],
                by=_key_user(child, today),
            )
            for index, child in enumerate(here)
        )

    ava = children.get("Ava")
    if ava and not ava.incidents.exists():
        bumped = moment(today, time(10, 15))
        day = today if bumped <= now and ava.attendances.filter(day=today).exists() else _previous_weekday(today)
        Incident.objects.create(
            child=ava,
            kind=Incident.Kind.ACCIDENT,
            happened_at=moment(day, time(10, 15)),
            day=day,
            what_happened="Ava tripped on the garden path and grazed her left knee.",
            where="Garden",
            first_aid="Cleaned the graze with water and put on a plaster. Ava was comforted and went back to play.",
            witness="Leah Morgan",
            recorded_by=_key_user(ava, day),
        )

    yesterday = _previous_weekday(today)
    for name, note in (
        ("Ava", "Ava loved the sand tray today and told everyone about her new baby cousin."),
        ("Leo", "Leo was very smiley after his nap and enjoyed the sensory lights."),
        ("Zara", ""),
    ):
        child = children.get(name)
        if child is None:
            continue
        SessionFeedback.objects.get_or_create(
            child=child,
            session=sessions["Full day"],
            day=yesterday,
            defaults={
                "summary": "Food and drink: lunch (all) and afternoon snack (most).\n"
                "Sleep: slept 12:30 to 13:45 (75 min).",
                "note": note,
                "status": SessionFeedback.Status.SENT,
                "written_by": _key_user(child, yesterday),
                "sent_at": timezone.make_aware(datetime.combine(yesterday, time(17, 45))),
            },
        )


def _forget_days_off_roll(nursery: Nursery) -> None:
    """Remove stays and care records dated before a child's first day or after their last: a demo loaded by an
    older version signed a starter in, and loading again moves the starter's first day on."""
    off_roll = Q(day__lt=F("child__start_date")) | Q(day__gt=F("child__leave_date"))
    CareEntry.objects.filter(off_roll, child__nursery=nursery).delete()
    Attendance.objects.filter(off_roll, child__nursery=nursery).delete()


def _send_home(nursery: Nursery, today: date, now: datetime) -> None:
    """Sign out each stay, today's or an earlier day's, whose child's sessions that day are over."""
    stays = Attendance.objects.filter(child__nursery=nursery, day__lte=today, signed_out_at__isnull=True)
    for stay in stays.select_related("child"):
        leaves = _home_time(stay.child, stay.day, stay.signed_in_at)
        if leaves <= now:
            stay.signed_out_at, stay.signed_out_by = leaves, _key_user(stay.child, stay.day)
            stay.save(update_fields=["signed_out_at", "signed_out_by"])


def _home_time(child: Child, day: date, arrived: datetime) -> datetime:
    """When the child's last booked session of the day ends (closing time if none), and not before arriving."""
    ends = child.bookings.filter(weekday=day.weekday()).values_list("session__ends_at", flat=True)
    return max(moment(day, max(ends, default=CLOSING)), arrived)


def _key_user(child: Child, day: date) -> User | None:
    post = key_person_on(child, day)
    return post.user if post else None
