"""Transitions in the demo: a room move under way, a school leaver getting ready, and a child who has left.

- Mohammed Ali moves from Butterflies to Rainbows in three weeks, with Ben as his new key person: one trial
  visit done (settling), one to come, and Priya's handover note for Ben.
- Reuben Gray starts at Meadow Lane Primary: his last day is in six weeks, the meeting with his family is
  booked and his transition report is a draft, pre-filled from his story.
- Ruby Fox (Hallie's big sister, family: Jo Fox) left four days ago for Meadow Lane Primary. Her family can
  still read her story (and download her leaver pack) for the nursery's leaver access period. She has a full
  story with drawn photos: one with Zara, whose family keeps her to her own story (so Ruby's family never sees
  that photo), and one naming George (who becomes "a friend" for Ruby's family). Her plan is complete and her
  transition report shared.

Idempotent: everything is found by its natural key (child, plan kind, entry text) and made only when missing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from children.models import AllAboutMe, Booking, Child, Consent, ConsentPurpose, Guardianship, Relationship
from keyworker.models import KeyPersonAssignment
from learning_stories.models import Area, Characteristic, Framework, Observation, ObservationChild
from nursery.models import Nursery, NurserySession, Room, StaffMember
from transitions.models import HandoverNote, TransitionPlan, TransitionReport, TrialVisit
from transitions.report.services import prefill

from .story_demo import _photo

SCHOOL = "Meadow Lane Primary School"
SCHOOL_EMAIL = "reception@meadowlane.example"
LEFT_DAYS_AGO = 4

# Ruby's story: text, her words, area codes, days before she left, photo of (first names; None: no photo)
RUBY_STORY = [
    ("Ruby wrote her name on her painting, every letter the right way round.", "That says Ruby!", ["L", "PD"], 3, []),
    ("Ruby counted twelve conkers and shared them out fairly between three bowls.", "Four each!", ["M"], 10, []),
    ("Ruby built a den with crates and a sheet, and invited the younger children in.", "", ["PSED", "EAD"], 17, []),
    (
        "Ruby and Zara planted sunflower seeds and watered them every morning.",
        "They need drinks too.",
        ["UW"],
        24,
        ["Zara"],
    ),
    (
        "Ruby explained to George how the magnets pick up paperclips but not the wooden bricks.",
        "Only metal!",
        ["UW", "CL"],
        31,
        None,
    ),
    ("Ruby climbed to the top of the frame and came down the ladder carefully.", "", ["PD"], 38, []),
    (
        "Ruby made up a song about the rain and taught it to the group at circle time.",
        "Drip drop, drip drop.",
        ["CL", "EAD"],
        45,
        [],
    ),
    ("Ruby read the story book to Ava, pointing at the words.", "Once upon a time...", ["L", "CL"], 52, ["Ava"]),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _staff(nursery: Nursery) -> dict[str, StaffMember]:
    return {post.user.email: post for post in StaffMember.objects.filter(nursery=nursery).select_related("user")}


def _room_move(nursery: Nursery, staff: dict[str, StaffMember], manager: User, today) -> None:
    mohammed = Child.objects.get(nursery=nursery, first_name="Mohammed", last_name="Ali")
    if mohammed.transition_plans.exists():
        return
    priya, ben = staff["priya@rainbow.example"], staff["ben@rainbow.example"]
    plan = TransitionPlan.objects.create(
        child=mohammed,
        kind=TransitionPlan.Kind.ROOM_MOVE,
        status=TransitionPlan.Status.SETTLING,
        planned_on=today + timedelta(weeks=3),
        from_room=mohammed.room,
        to_room=Room.objects.get(nursery=nursery, name="Rainbows"),
        from_key_person=priya,
        to_key_person=ben,
        created_by=manager,
    )
    TrialVisit.objects.create(
        plan=plan,
        starts_at=_at(today - timedelta(days=2), 10),
        ends_at=_at(today - timedelta(days=2), 11),
        accompanied_by=priya,
        outcome=TrialVisit.Outcome.SETTLING,
        how_it_went="Held Priya's hand at first, then joined the play dough table. Asked to go back after 40 minutes.",
        recorded_by=priya.user,
    )
    TrialVisit.objects.create(
        plan=plan,
        starts_at=_at(today + timedelta(days=5), 10),
        ends_at=_at(
            today + timedelta(days=5),
            11,
        ),
        accompanied_by=priya,
    )
    HandoverNote.objects.create(
        plan=plan,
        author=priya.user,
        text="Mohammed settles best with his blue car from home. He naps after lunch (about an hour) and "
        "likes to be told what comes next. Loves trains and the water tray.",
    )


def _school_leaver(nursery: Nursery, staff: dict[str, StaffMember], manager: User, today) -> None:
    reuben = Child.objects.get(nursery=nursery, first_name="Reuben", last_name="Gray")
    if reuben.transition_plans.exists():
        return
    leah = staff["leah@rainbow.example"]
    plan = TransitionPlan.objects.create(
        child=reuben,
        kind=TransitionPlan.Kind.SCHOOL,
        planned_on=today + timedelta(weeks=6),
        from_room=reuben.room,
        from_key_person=reuben.key_person_assignments.order_by("-starts_on").first().key_person,
        receiving_setting=SCHOOL,
        receiving_contact=SCHOOL_EMAIL,
        parents_meeting_at=_at(today + timedelta(days=10), 15),
        created_by=manager,
    )
    TransitionReport.objects.create(plan=plan, written_by=leah.user, **prefill(reuben, today=today))


def _ruby(nursery: Nursery, staff: dict[str, StaffMember], manager: User, today) -> Child:
    """Ruby Fox, who left four days ago: her record, consents, key person history and story."""
    left_on = today - timedelta(days=LEFT_DAYS_AGO)
    started = left_on - timedelta(days=2 * 365)
    ruby, created = Child.objects.get_or_create(
        nursery=nursery,
        first_name="Ruby",
        last_name="Fox",
        # No room now she has left (her plan keeps Rainbows), so the day's demos never book or sign her in.
        defaults={
            "date_of_birth": left_on - timedelta(days=4 * 365 + 130),
            "start_date": started,
            "leave_date": left_on,
        },
    )
    jo = User.objects.get(email="jo.fox@families.example")
    Guardianship.objects.get_or_create(
        child=ruby, user=jo, defaults={"relationship": Relationship.MOTHER, "has_parental_responsibility": True}
    )
    if created:
        KeyPersonAssignment.objects.create(
            child=ruby,
            key_person=staff["leah@rainbow.example"],
            starts_on=started,
            ends_on=left_on,
            reason="Allocated before starting",
        )
        full_day = NurserySession.objects.get(nursery=nursery, name="Full day")
        Booking.objects.bulk_create(Booking(child=ruby, weekday=weekday, session=full_day) for weekday in range(5))
        for purpose in ConsentPurpose.objects.filter(nursery=None):
            Consent.objects.create(child=ruby, purpose=purpose, granted=True, recorded_by=jo)
        AllAboutMe.objects.get_or_create(
            child=ruby, defaults={"likes": "Singing, sunflowers, building dens", "dislikes": "Loud hand dryers"}
        )
    return ruby


def _ruby_story(nursery: Nursery, ruby: Child, staff: dict[str, StaffMember], today) -> None:
    leah = staff["leah@rainbow.example"].user
    framework = Framework.objects.get(is_default=True)
    areas = {area.code: area for area in Area.objects.filter(framework=framework)}
    learning = list(Characteristic.objects.filter(framework=framework).order_by("order"))
    others = {
        child.first_name: child for child in Child.objects.filter(nursery=nursery, first_name__in=["Zara", "Ava"])
    }
    for seed, (text, words, codes, days, pictured) in enumerate(RUBY_STORY, start=300):
        if Observation.objects.filter(nursery=nursery, text=text).exists():
            continue
        entry = Observation.objects.create(
            nursery=nursery,
            author=leah,
            observed_at=_at(ruby.leave_date - timedelta(days=days), 10),
            text=text,
            child_voice=words,
            status=Observation.Status.PUBLISHED,
            framework=framework,
        )
        entry.areas.set([areas[code] for code in codes])
        entry.characteristics.set([learning[seed % len(learning)]])
        in_it = [ruby] + [others[name] for name in pictured or []]
        for child in in_it:
            ObservationChild.objects.create(observation=entry, child=child)
        if pictured is not None:
            _photo(entry, in_it, seed, leah)


def _ruby_plan(ruby: Child, staff: dict[str, StaffMember], manager: User) -> None:
    if ruby.transition_plans.exists():
        return
    leah = staff["leah@rainbow.example"]
    plan = TransitionPlan.objects.create(
        child=ruby,
        kind=TransitionPlan.Kind.SCHOOL,
        status=TransitionPlan.Status.COMPLETED,
        planned_on=ruby.leave_date,
        from_room=Room.objects.get(nursery=ruby.nursery, name="Rainbows"),
        from_key_person=leah,
        receiving_setting=SCHOOL,
        receiving_contact=SCHOOL_EMAIL,
        parents_meeting_at=_at(ruby.leave_date - timedelta(days=14), 15),
        parents_meeting_notes="Talked about the school's settling-in days and Ruby's love of singing.",
        created_by=manager,
        completed_at=_at(ruby.leave_date, 18),
    )
    now = timezone.now()
    TransitionReport.objects.create(
        plan=plan,
        status=TransitionReport.Status.SHARED,
        written_by=leah.user,
        reviewed_by=manager,
        reviewed_at=now,
        shared_at=now,
        **prefill(ruby, today=ruby.leave_date)
        | {"parent_view": "Ruby can't wait to start school and wear her new book bag."},
    )


def load_move_demo(nursery: Nursery, today=None) -> None:
    today = today or timezone.localdate()
    staff = _staff(nursery)
    manager = staff["manager@rainbow.example"].user
    _room_move(nursery, staff, manager, today)
    _school_leaver(nursery, staff, manager, today)
    ruby = _ruby(nursery, staff, manager, today)
    _ruby_story(nursery, ruby, staff, today)
    _ruby_plan(ruby, staff, manager)
