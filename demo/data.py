"""The demo nursery for `make run`: Rainbow Nursery, its rooms, staff, children and families.

Loading is idempotent: records are found by natural keys and created only when missing, and the
demo passwords are reset so the accounts shown on the login page always work.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, Guardianship, Relationship
from demo.keyworker_demo import load_key_person_demo
from keyworker.models import KeyPersonAssignment
from nursery.models import Nursery, NurseryGroup, Room, StaffMember

from .assess_demo import load_assess_demo
from .check_demo import load_check_demo
from .dash_demo import load_dash_demo
from .day_demo import load_day_demo
from .families_demo import load_families
from .move_demo import load_move_demo
from .photos_demo import load_staff_photos
from .plan_demo import load_plan_demo
from .story_demo import load_story_demo

DEMO_PASSWORD = "rainbow-demo-2026"
DEMO_GROUP = "Rainbow Group"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    what: str


DEMO_ACCOUNTS = [
    DemoAccount("manager@rainbow.example", "Maya Patel", "Manager, and owner of the Rainbow Group"),
    DemoAccount("priya@rainbow.example", "Priya Shah", "Practitioner, key person in Butterflies"),
    DemoAccount("sam.taylor@families.example", "Sam Taylor", "Parent of Ava and Leo"),
    DemoAccount("jess.ahmed@families.example", "Jess Ahmed", "Parent of Zara"),
    DemoAccount("jo.fox@families.example", "Jo Fox", "Parent of Hallie, and of Ruby, who has left"),
]

ROOMS = [
    # name, youngest, oldest (months), capacity
    ("Caterpillars", 0, 23, 9),
    ("Butterflies", 24, 35, 10),
    ("Rainbows", 36, 60, 16),
]

STAFF = [
    # e-mail, name, role, room, qualification level, job title
    ("manager@rainbow.example", "Maya Patel", "manager", None, 6, "Nursery manager"),
    ("priya@rainbow.example", "Priya Shah", "practitioner", "Butterflies", 3, "Room leader"),
    ("tom@rainbow.example", "Tom Hughes", "practitioner", "Caterpillars", 3, "Room leader"),
    ("grace@rainbow.example", "Grace Okafor", "practitioner", "Caterpillars", 2, "Nursery practitioner"),
    ("leah@rainbow.example", "Leah Morgan", "practitioner", "Rainbows", 6, "Early years teacher"),
    ("ben@rainbow.example", "Ben Carter", "practitioner", "Rainbows", 3, "Nursery practitioner"),
]

# first name, last name, age in months today, parent (name, e-mail, relationship)
CHILDREN = [
    ("Leo", "Taylor", 7, ("Sam Taylor", "sam.taylor@families.example", Relationship.PARENT)),
    ("Isla", "Brown", 9, ("Hannah Brown", "hannah.brown@families.example", Relationship.MOTHER)),
    ("Oscar", "Wilson", 11, ("James Wilson", "james.wilson@families.example", Relationship.FATHER)),
    ("Freya", "Evans", 13, ("Chloe Evans", "chloe.evans@families.example", Relationship.MOTHER)),
    ("Arlo", "Thomas", 15, ("Rhys Thomas", "rhys.thomas@families.example", Relationship.FATHER)),
    ("Ivy", "Roberts", 17, ("Emma Roberts", "emma.roberts@families.example", Relationship.MOTHER)),
    ("Noah", "Khan", 19, ("Aisha Khan", "aisha.khan@families.example", Relationship.MOTHER)),
    ("Mia", "Walker", 21, ("Dan Walker", "dan.walker@families.example", Relationship.FATHER)),
    ("Theo", "Wright", 22, ("Lucy Wright", "lucy.wright@families.example", Relationship.MOTHER)),
    ("Zara", "Ahmed", 25, ("Jess Ahmed", "jess.ahmed@families.example", Relationship.MOTHER)),
    ("Jack", "Green", 26, ("Olivia Green", "olivia.green@families.example", Relationship.MOTHER)),
    ("Poppy", "Hall", 27, ("Mark Hall", "mark.hall@families.example", Relationship.FATHER)),
    ("Alfie", "Clarke", 28, ("Sophie Clarke", "sophie.clarke@families.example", Relationship.MOTHER)),
    ("Rosie", "Lewis", 29, ("Gareth Lewis", "gareth.lewis@families.example", Relationship.FATHER)),
    ("Finley", "Young", 30, ("Amy Young", "amy.young@families.example", Relationship.MOTHER)),
    ("Sienna", "King", 31, ("Paul King", "paul.king@families.example", Relationship.FATHER)),
    ("Harry", "Scott", 32, ("Nadia Scott", "nadia.scott@families.example", Relationship.MOTHER)),
    ("Evie", "Adams", 33, ("Kate Adams", "kate.adams@families.example", Relationship.MOTHER)),
    ("Mohammed", "Ali", 34, ("Samira Ali", "samira.ali@families.example", Relationship.MOTHER)),
    ("Ava", "Taylor", 37, ("Sam Taylor", "sam.taylor@families.example", Relationship.PARENT)),
    ("George", "Baker", 38, ("Helen Baker", "helen.baker@families.example", Relationship.MOTHER)),
    ("Lily", "Turner", 40, ("Chris Turner", "chris.turner@families.example", Relationship.FATHER)),
    ("Max", "Hill", 41, ("Ruth Hill", "ruth.hill@families.example", Relationship.GRANDPARENT)),
    ("Grace", "Moore", 43, ("Tariq Moore", "tariq.moore@families.example", Relationship.FATHER)),
    ("Jacob", "Cooper", 44, ("Megan Cooper", "megan.cooper@families.example", Relationship.MOTHER)),
    ("Amelia", "Ward", 46, ("Liam Ward", "liam.ward@families.example", Relationship.FATHER)),
    ("Ethan", "Price", 48, ("Bethan Price", "bethan.price@families.example", Relationship.MOTHER)),
    ("Sofia", "Bennett", 50, ("Marco Bennett", "marco.bennett@families.example", Relationship.FATHER)),
    ("Reuben", "Gray", 52, ("Ellie Gray", "ellie.gray@families.example", Relationship.MOTHER)),
    ("Hallie", "Fox", 54, ("Jo Fox", "jo.fox@families.example", Relationship.MOTHER)),
]


def _birth_date(age_months: int, today: date) -> date:
    # Mid-month birthdays keep the age stable for a couple of weeks after loading.
    year, month = divmod(today.year * 12 + today.month - 1 - age_months, 12)
    return date(year, month + 1, min(today.day, 28)) - timedelta(days=3)


def _account(email: str, name: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo(today: date | None = None) -> Nursery:
    today = today or timezone.localdate()
    nursery, _ = Nursery.objects.get_or_create(
        name="Rainbow Nursery",
        # Set up already: the demo shows a nursery at work, not the set-up checklist.
        defaults={"address": "1 Meadow Lane, Norwich NR1 1AA", "setup_confirmed": ["framework", "review"]},
    )
    rooms = {
        name: Room.objects.get_or_create(
            nursery=nursery,
            name=name,
            defaults={"min_age_months": low, "max_age_months": high, "capacity": capacity},
        )[0]
        for name, low, high, capacity in ROOMS
    }
    staff: dict[str, list[StaffMember]] = {name: [] for name in rooms}
    for email, name, role, room, level, title in STAFF:
        post, _ = StaffMember.objects.get_or_create(
            user=_account(email, name),
            nursery=nursery,
            defaults={
                "role": role,
                "room": rooms.get(room),
                "qualification_level": level,
                "job_title": title,
            },
        )
        if room:
            staff[room].append(post)

    if nursery.group_id is None:
        nursery.group = NurseryGroup.objects.get_or_create(name=DEMO_GROUP)[0]
        nursery.save(update_fields=["group"])
    # Maya runs the group too, so the overview across nurseries and "Add a nursery" can be tried.
    nursery.group.owners.add(User.objects.get(email=DEMO_ACCOUNTS[0].email))

    for index, (first, last, age, (parent_name, parent_email, relationship)) in enumerate(CHILDREN):
        room = next(r for r in rooms.values() if r.min_age_months <= age <= r.max_age_months)
        child, created = Child.objects.get_or_create(
            nursery=nursery,
            first_name=first,
            last_name=last,
            defaults={
                "room": room,
                "date_of_birth": _birth_date(age, today),
                "start_date": today - timedelta(days=30 + 7 * index),
            },
        )
        Guardianship.objects.get_or_create(
            child=child,
            user=_account(parent_email, parent_name),
            defaults={
                "relationship": relationship,
                "has_parental_responsibility": relationship != Relationship.GRANDPARENT,
            },
        )
        if created:
            # Key groups: the room's practitioners share its children in turn.
            practitioners = staff[room.name]
            KeyPersonAssignment.objects.create(
                child=child,
                key_person=practitioners[index % len(practitioners)],
                starts_on=child.start_date,
                reason="Allocated before starting",
            )
    load_key_person_demo(nursery, today)
    load_families(nursery)  # after the key person demo: it adds a starter whose family records are loaded here
    load_staff_photos(nursery)
    load_day_demo(nursery, today)  # after the key person demo, whose bookings it uses
    load_story_demo(nursery)  # after the family demo, whose photo consents its entries rely on
    load_plan_demo(nursery, today)  # after the story demo, whose next steps it turns into open steps
    load_dash_demo(nursery, today)
    load_check_demo(nursery, today)
    load_assess_demo(nursery, today)
    load_move_demo(nursery, today)
    return nursery
