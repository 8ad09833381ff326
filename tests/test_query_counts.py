"""Pages run a fixed number of SQL queries, however many children a nursery has."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from children.tests.factories import ChildFactory, GuardianshipFactory
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.models import Comment, Observation, ObservationPhoto
from learning_stories.tests.factories import (
    AssessmentFactory,
    AssessmentPointFactory,
    NextStepFactory,
    ObservationFactory,
    area,
)
from nursery.tests.factories import RoomFactory
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

PAGES = {
    "manager": [
        "keyworker:overview",
        "children:list",
        "nursery:staff",
        "nursery:rooms",
        "keyworker:key_groups",
        "framework:statements",
    ],
    "practitioner": ["keyworker:my_key_children", "children:list", "keyworker:register", "keyworker:ratios"],
    "parent": ["keyworker:my_children"],
}


def add_children(count: int, *, nursery, room, key_person, parent) -> None:
    for _ in range(count):
        child = ChildFactory(nursery=nursery, room=room)
        KeyPersonAssignmentFactory(child=child, key_person=key_person)
        GuardianshipFactory(child=child, user=parent)


@pytest.mark.parametrize(("role", "name"), [(role, name) for role, names in PAGES.items() for name in names])
def test_page_query_count_does_not_grow_with_the_number_of_children(
    request, login, role, name, nursery, room, practitioner_post, parent, manager
):
    client = login(request.getfixturevalue(role))
    url = reverse(name)
    add_children(2, nursery=nursery, room=room, key_person=practitioner_post, parent=parent)
    few = queries_for(client, url)
    add_children(20, nursery=nursery, room=room, key_person=practitioner_post, parent=parent)
    assert queries_for(client, url) == few


# The pages the scale measurement (issue 15) timed, each as the role that uses it. Their data grows from a
# few children to many: every page must answer in the same number of queries.
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Europe/London"))  # a Monday morning
SCALED_PAGES = [
    ("manager", "tracker"),
    ("manager", "checks:due"),
    ("practitioner", "checks:due"),
    ("manager", "story"),
    ("practitioner", "story"),
    ("parent", "story"),
    ("manager", "stories:review_queue"),
    ("practitioner", "keyworker:my_key_children"),
    ("practitioner", "stories:new"),
    ("manager", "children:list"),
    ("practitioner", "children:list"),
    ("manager", "keyworker:overview"),
]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def grow(count: int, *, nursery, room, elsewhere, key_person, parent, child, point) -> None:
    """``count`` more children, half in another room, each two and a half (due a progress check), with
    a key person, a family, a shared entry (two areas, a photo, a family comment, a next step), an entry
    waiting for review and two assessments; and ``count`` more entries in ``child``'s story."""
    pd, cl = area("PD"), area("CL")
    for n in range(count):
        other = ChildFactory(
            nursery=nursery,
            room=room if n % 2 else elsewhere,
            date_of_birth=date(2024, 5, 1),
            start_date=date(2025, 9, 1),
        )
        KeyPersonAssignmentFactory(child=other, key_person=key_person)
        GuardianshipFactory(child=other)
        entry = ObservationFactory(nursery=nursery, children=[other, child])
        entry.areas.set([pd, cl])
        ObservationPhoto.objects.create(observation=entry, image="stories/photo.jpg")
        Comment.objects.create(observation=entry, child=child, author=parent, text="Lovely!")
        NextStepFactory(child=other, observation=entry)
        ObservationFactory(nursery=nursery, status=Observation.Status.AWAITING_REVIEW, children=[other])
        AssessmentFactory(child=other, point=point, area=cl)
        AssessmentFactory(child=other, point=point, area=pd, judgement="not_on_track")


@pytest.mark.parametrize(("role", "name"), SCALED_PAGES)
def test_the_pages_measured_at_scale_take_the_same_queries_for_a_few_or_many_children(
    request, clock, login, role, name, nursery, room, practitioner_post, child, parent, manager
):
    point = AssessmentPointFactory(nursery=nursery, starts_on=NOW.date() - timedelta(days=30), ends_on=NOW.date())
    url = {
        "tracker": f"{reverse('keyworker:tracker')}?point={point.pk}&scope=room-{room.pk}",
        "story": reverse("stories:story", args=[child.pk]),
    }.get(name) or reverse(name)
    data = {
        "nursery": nursery,
        "room": room,
        "elsewhere": RoomFactory(nursery=nursery),
        "key_person": practitioner_post,
        "parent": parent,
        "child": child,
        "point": point,
    }
    client = login(request.getfixturevalue(role))
    grow(2, **data)
    few = settled_queries_for(client, url)
    grow(25, **data)
    assert settled_queries_for(client, url) == few


def settled_queries_for(client, url: str) -> int:
    """Queries for a page seen again: the first view of the day writes to each child's record history."""
    queries_for(client, url)
    return queries_for(client, url)
