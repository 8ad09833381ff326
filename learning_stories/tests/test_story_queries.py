"""A child's story page runs the same number of SQL queries however long the story is."""

import pytest
from django.urls import reverse

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Area
from learning_stories.observations.services import add_comment
from tests.helpers import queries_for

from .factories import ObservationFactory, ObservationPhotoFactory

pytestmark = pytest.mark.django_db


def add_entries(count: int, *, nursery, child, friend, parent) -> None:
    areas = list(Area.objects.filter(framework__is_default=True))
    for number in range(count):
        entry = ObservationFactory(nursery=nursery, children=[child, friend])
        entry.areas.add(areas[number % len(areas)])
        ObservationPhotoFactory(observation=entry, children=[child, friend])
        add_comment(observation=entry, child=child, author=parent, text="Lovely", by_staff=False)


@pytest.mark.parametrize("role", ["practitioner", "parent"])
def test_story_page_query_count_does_not_grow_with_the_story(request, login, role, nursery, child, other_child, parent):
    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    client = login(request.getfixturevalue(role))
    url = reverse("stories:story", args=[child.pk])
    add_entries(5, nursery=nursery, child=child, friend=other_child, parent=parent)
    queries_for(client, url)  # the first view is written to the record history; the next within 10 minutes are not
    few = queries_for(client, url)
    add_entries(35, nursery=nursery, child=child, friend=other_child, parent=parent)
    assert queries_for(client, url) == few
