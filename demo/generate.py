"""A generated nursery group for measuring KeyStory at scale: `manage.py generate_group`.

Everything comes from one seeded random generator and is written with bulk inserts, so the same
arguments give the same group, and 1,200 children with 120,000 observations take a few minutes. The
shape follows a real group: six nurseries, three rooms each, a key person per eight children, a parent
per child, observations over two years (mostly of one child, some of two or three, one or two areas
each, a photo on one in five, a family comment on one in four), a few waiting for review, and an
assessment of every area at the last three assessment points.

Names and e-mail addresses are invented (``@generated.example``); never mix the group with real data.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, Guardianship, Relationship, Sex, months_between
from keyworker.models import KeyGroup, KeyPersonAssignment
from learning_stories.assessments.selectors import band_for
from learning_stories.framework.selectors import default_framework
from learning_stories.models import (
    Area,
    Assessment,
    AssessmentPoint,
    Comment,
    NextStep,
    Observation,
    ObservationChild,
    ObservationPhoto,
)
from nursery.models import Nursery, NurseryGroup, Room, StaffMember

EMAIL_DOMAIN = "generated.example"
ROOMS = [("Babies", 0, 23), ("Toddlers", 24, 35), ("Pre-school", 36, 60)]
KEY_GROUP_SIZE = 8
CHILDREN_PER_OBSERVATION = [1] * 17 + [2] * 2 + [3]  # about 1.2 on average
PHOTO_SHARE, COMMENT_SHARE, REVIEW_SHARE, NEXT_STEP_SHARE = 0.2, 0.26, 0.0015, 0.05
ASSESSED_POINTS = 4
HISTORY_DAYS = 730
BATCH = 5000
FIRST_NAMES = ["Ava", "Leo", "Isla", "Noah", "Mia", "Theo", "Zara", "Jack", "Poppy", "Alfie", "Rosie", "Finley"]
FIRST_NAMES += ["Ivy", "Arlo", "Freya", "Oscar", "Maya", "Ezra", "Hallie", "Ruby", "Omar", "Nell", "Sami", "Lola"]
LAST_NAMES = ["Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Khan", "Walker", "Wright", "Ahmed"]
LAST_NAMES += ["Green", "Hall", "Clarke", "Lewis", "Young", "Patel", "Okafor", "Morgan", "Hughes", "Shah"]
ACTIVITIES = ["built a tower", "poured water", "shared a story", "climbed the frame", "counted the cups"]
ACTIVITIES += ["painted with her hands", "sang the hello song", "sorted the shells", "dug in the sand"]


@dataclass
class Generated:
    """What was made, for the summary and for tests."""

    nurseries: list[Nursery] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, number: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


def _batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


class GroupGenerator:
    def __init__(self, *, children: int, observations: int, nurseries: int, seed: int, password: str) -> None:
        self.rng = random.Random(seed)
        self.total_children, self.total_observations = children, observations
        self.nursery_count = nurseries
        self.password = make_password(password)  # one hash for every account: hashing is the slow part
        self.today = timezone.localdate()
        self.result = Generated()
        framework = default_framework()
        self.areas = list(Area.objects.filter(framework=framework).order_by("order"))
        self.bands = list(framework.bands.order_by("order"))

    def run(self) -> Generated:
        with transaction.atomic():
            group = NurseryGroup.objects.create(name="Generated group")
            owner = self._users([("Group owner", f"owner-g{group.pk}@{EMAIL_DOMAIN}")])[0]
            group.owners.add(owner)
            per_nursery = self._shares(self.total_children)
            observations_per_nursery = self._shares(self.total_observations)
            for n, (children, observations) in enumerate(zip(per_nursery, observations_per_nursery, strict=True)):
                self._nursery(group, n + 1, children, observations)
        return self.result

    def _shares(self, total: int) -> list[int]:
        base, rest = divmod(total, self.nursery_count)
        return [base + (1 if n < rest else 0) for n in range(self.nursery_count)]

    def _users(self, people: list[tuple[str, str]]) -> list[User]:
        users = User.objects.bulk_create(
            User(full_name=name, email=email, password=self.password) for name, email in people
        )
        self.result.add("users", len(users))
        return users

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _nursery(self, group: NurseryGroup, number: int, child_count: int, observation_count: int) -> None:
        nursery = Nursery.objects.create(group=group, name=f"Generated Nursery {group.pk}-{number}")
        self.result.nurseries.append(nursery)
        prefix = f"g{group.pk}n{number}"
        rooms = [
            Room.objects.create(nursery=nursery, name=name, min_age_months=low, max_age_months=high, capacity=40)
            for name, low, high in ROOMS
        ]
        key_people = max(1, -(-child_count // KEY_GROUP_SIZE))
        staff_users = self._users(
            [(f"Manager {prefix}", f"manager-{prefix}@{EMAIL_DOMAIN}")]
            + [(" ".join(self._name()), f"staff{s}-{prefix}@{EMAIL_DOMAIN}") for s in range(1, key_people + 1)]
        )
        posts = StaffMember.objects.bulk_create(
            [StaffMember(user=staff_users[0], nursery=nursery, role=StaffMember.Role.MANAGER, qualification_level=6)]
            + [
                StaffMember(user=user, nursery=nursery, room=rooms[s % len(rooms)], qualification_level=3)
                for s, user in enumerate(staff_users[1:])
            ]
        )
        manager, practitioners = posts[0], posts[1:]
        KeyGroup.objects.bulk_create(KeyGroup(key_person=post, size_limit=KEY_GROUP_SIZE + 2) for post in practitioners)
        self.result.add("staff", len(posts))
        children = self._children(nursery, rooms, child_count)
        self._families(children, prefix)
        by_room: dict[int, list[StaffMember]] = {}
        for post in practitioners:
            by_room.setdefault(post.room_id, []).append(post)
        KeyPersonAssignment.objects.bulk_create(
            KeyPersonAssignment(
                child=child,
                key_person=self.rng.choice(by_room.get(child.room_id) or practitioners),
                starts_on=child.start_date,
                created_by=manager.user,
            )
            for child in children
        )
        self._observations(nursery, children, practitioners, observation_count)
        self._assessments(nursery, children, manager)

    def _children(self, nursery: Nursery, rooms: list[Room], count: int) -> list[Child]:
        made = []
        for _ in range(count):
            age_days = self.rng.randint(200, 1750)
            born = self.today - timedelta(days=age_days)
            started = born + timedelta(days=self.rng.randint(180, max(181, age_days - 1)))
            months = months_between(born, self.today)
            room = next((r for r in rooms if r.min_age_months <= months <= r.max_age_months), rooms[-1])
            first, last = self._name()
            made.append(
                Child(
                    nursery=nursery,
                    room=room,
                    first_name=first,
                    last_name=last,
                    date_of_birth=born,
                    start_date=started,
                    sex=self.rng.choice([Sex.FEMALE, Sex.MALE]),
                    english_additional_language=self.rng.random() < 0.2,
                )
            )
        children = Child.objects.bulk_create(made, batch_size=BATCH)
        self.result.add("children", len(children))
        return children

    def _families(self, children: list[Child], prefix: str) -> None:
        parents = self._users(
            [
                (f"Parent of {child.first_name}", f"parent{c}-{prefix}@{EMAIL_DOMAIN}")
                for c, child in enumerate(children)
            ]
        )
        Guardianship.objects.bulk_create(
            (
                Guardianship(child=child, user=parent, relationship=Relationship.PARENT)
                for child, parent in zip(children, parents, strict=True)
            ),
            batch_size=BATCH,
        )

    def _observations(
        self, nursery: Nursery, children: list[Child], practitioners: list[StaffMember], count: int
    ) -> None:
        parents = dict(Guardianship.objects.filter(child__in=children).values_list("child_id", "user_id"))
        framework = self.areas[0].framework_id
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            whos = [self.rng.sample(children, self.rng.choice(CHILDREN_PER_OBSERVATION)) for _ in range(size)]
            observed = [self._moment(max(who, key=lambda c: c.start_date).start_date) for who in whos]
            entries = Observation.objects.bulk_create(
                Observation(
                    nursery=nursery,
                    author=self.rng.choice(practitioners).user,
                    observed_at=when,
                    text=f"{who[0].first_name} {self.rng.choice(ACTIVITIES)}.",
                    framework_id=framework,
                    status=(
                        Observation.Status.AWAITING_REVIEW
                        if self.rng.random() < REVIEW_SHARE
                        else Observation.Status.PUBLISHED
                    ),
                    submitted_at=when,
                    published_at=when,
                )
                for who, when in zip(whos, observed, strict=True)
            )
            links, tags, photos, comments, steps = [], [], [], [], []
            for entry, who in zip(entries, whos, strict=True):
                for child in who:
                    plans = self.rng.random() < NEXT_STEP_SHARE
                    links.append(
                        ObservationChild(observation=entry, child=child, next_steps="Try again" if plans else "")
                    )
                    if plans:
                        steps.append(NextStep(child=child, text="Try again", observation=entry, set_by=entry.author))
                for area in self.rng.sample(self.areas, self.rng.choice([1, 1, 2])):
                    tags.append(Observation.areas.through(observation=entry, area=area))
                if self.rng.random() < PHOTO_SHARE:
                    photos.append(ObservationPhoto(observation=entry, image="stories/generated.jpg", width=1600))
                if self.rng.random() < COMMENT_SHARE:
                    comments.append(
                        Comment(
                            observation=entry,
                            child=who[0],
                            author_id=parents.get(who[0].pk),
                            text="Lovely, thank you!",
                            created_at=entry.observed_at + timedelta(hours=5),
                            read_at=entry.observed_at + timedelta(days=1),
                        )
                    )
            for model, rows in (
                (ObservationChild, links),
                (Observation.areas.through, tags),
                (ObservationPhoto, photos),
                (Comment, comments),
                (NextStep, steps),
            ):
                model.objects.bulk_create(rows, batch_size=BATCH)
            self.result.add("observations", len(entries))
            self.result.add("child links", len(links))
            self.result.add("area tags", len(tags))
            self.result.add("photos", len(photos))
            self.result.add("comments", len(comments))

    def _moment(self, not_before: date) -> datetime:
        earliest = max(not_before, self.today - timedelta(days=HISTORY_DAYS))
        day = earliest + timedelta(days=self.rng.randint(0, max(0, (self.today - earliest).days)))
        moment = time(self.rng.randint(8, 16), self.rng.randint(0, 59))
        return timezone.make_aware(datetime.combine(day, moment))

    def _assessments(self, nursery: Nursery, children: list[Child], manager: StaffMember) -> None:
        """An assessment point at the end of each of the last terms, and every area judged at the last few."""
        points = []
        for months_ago in range(24, -1, -4):
            ends = _months_before(self.today, months_ago)
            if ends >= self.today:
                continue
            points.append(
                AssessmentPoint(
                    nursery=nursery,
                    name=f"Term ending {ends:%d %B %Y}",
                    starts_on=ends - timedelta(days=30),
                    ends_on=ends,
                )
            )
        points = AssessmentPoint.objects.bulk_create(points)
        rows = []
        for point in points[-ASSESSED_POINTS:]:
            for child in children:
                if child.start_date > point.ends_on:
                    continue
                band = band_for(self.bands, child, point.ends_on)
                for area in self.areas:
                    on_track = self.rng.random() < 0.8
                    rows.append(
                        Assessment(
                            child=child,
                            point=point,
                            area=area,
                            band=band,
                            judgement=Assessment.Judgement.ON_TRACK if on_track else Assessment.Judgement.NOT_ON_TRACK,
                            rationale="Seen often in the last term.",
                            assessed_on=point.ends_on,
                            assessed_by=manager.user,
                        )
                    )
        Assessment.objects.bulk_create(rows, batch_size=BATCH)
        self.result.add("assessment points", len(points))
        self.result.add("assessments", len(rows))


def generate_group(
    *, children: int, observations: int, nurseries: int = 6, seed: int = 2026, password: str
) -> Generated:
    """Build a nursery group of ``children`` and ``observations`` spread over ``nurseries``."""
    result = GroupGenerator(
        children=children, observations=observations, nurseries=nurseries, seed=seed, password=password
    ).run()
    analyze()
    return result


def analyze() -> None:
    """Give PostgreSQL's planner statistics for what was just bulk-inserted. Until autovacuum gets round to it
    (or never, where it is off) the planner guesses a few rows per table, and the story page then walks every
    published entry of the group (600 ms) instead of the child's own through their links (20 ms)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
