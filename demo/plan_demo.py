"""Next steps, planning and meetings for the demo nursery: the demo observations' next steps as open steps,
this week's planning board in Priya's room (Butterflies) with one activity, a time Priya offers to her key
children's families, and a meeting Sam Taylor has booked with Ava's key person.

Idempotent: each record is found by its natural key and made only when missing.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from children.models import Child
from keyworker.models import Consultation, ConsultationSlot, PlannedActivity
from keyworker.planning.selectors import monday_of
from keyworker.selectors import key_person_on
from learning_stories.models import NextStep, Observation
from learning_stories.next_steps.services import steps_from_observation
from nursery.models import Nursery, StaffMember

ACTIVITY = "Counting and building with blocks"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _slot(key_person: StaffMember, starts_at: datetime, place: str, where: str) -> ConsultationSlot:
    slot, _ = ConsultationSlot.objects.get_or_create(
        key_person=key_person, starts_at=starts_at, defaults={"minutes": 20, "place": place, "where": where}
    )
    return slot


def load_plan_demo(nursery: Nursery, today: date) -> None:
    for entry in Observation.objects.filter(
        nursery=nursery, status=Observation.Status.PUBLISHED, source=Observation.Source.NURSERY
    ):
        steps_from_observation(observation=entry, by=entry.author)

    priya = StaffMember.objects.get(nursery=nursery, user__email="priya@rainbow.example")
    week = monday_of(today)
    activity, created = PlannedActivity.objects.get_or_create(
        room=priya.room,
        week_of=week,
        title=ACTIVITY,
        defaults={
            "description": "A basket of blocks on the carpet; count the blocks together as the tower grows.",
            "days": [0, 2, 4],
            "led_by": priya,
            "created_by": priya.user,
        },
    )
    if created:
        steps = NextStep.objects.filter(
            child__room=priya.room, status=NextStep.Status.OPEN, observation__isnull=False
        ).order_by("child__first_name", "pk")[:2]
        activity.next_steps.set(steps)
        activity.children.set({step.child for step in steps})

    meeting_day = today + timedelta(days=3)
    _slot(priya, _at(meeting_day, 16), ConsultationSlot.Place.IN_PERSON, "Butterflies room")

    ava = Child.objects.get(nursery=nursery, first_name="Ava", last_name="Taylor")
    sam = User.objects.get(email="sam.taylor@families.example")
    avas_key_person = key_person_on(ava, today)
    if avas_key_person is None or Consultation.objects.filter(child=ava, requested_by=sam).exists():
        return
    booked = _slot(avas_key_person, _at(meeting_day, 16, 30), ConsultationSlot.Place.VIDEO, "Link sent by e-mail")
    _slot(avas_key_person, _at(meeting_day, 17), ConsultationSlot.Place.PHONE, "")
    Consultation.objects.create(
        child=ava,
        key_person=avas_key_person,
        slot=booked,
        status=Consultation.Status.BOOKED,
        requested_by=sam,
        booked_by=sam,
        booked_at=timezone.now(),
        message="How Ava is getting on with letters before school.",
    )
