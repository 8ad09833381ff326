"""The key person's page flags a key child whose wellbeing has been low three times in a row."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.tests.factories import ChildFactory
from keyworker.tests.factories import KeyPersonAssignmentFactory
from learning_stories.tests.factories import ObservationFactory
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


def rate(child, *ratings):
    for hours, wellbeing in enumerate(reversed(ratings), start=1):
        ObservationFactory(
            nursery=child.nursery,
            children=[child],
            wellbeing=wellbeing,
            observed_at=timezone.now() - timedelta(hours=hours),
        )


def test_my_key_children_flags_a_child_with_three_low_wellbeing_ratings_in_a_row(login, practitioner, child):
    rate(child, 2, 1, 2)

    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()

    assert "Wellbeing has been low three times in a row" in page
    assert f'href="{reverse("stories:story", args=[child.pk])}#wellbeing-heading">Ava Taylor' in page


def test_my_key_children_shows_no_flag_when_wellbeing_recovered(login, practitioner, child):
    rate(child, 2, 1, 4)

    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()

    assert "Wellbeing has been low" not in page


def test_the_flag_costs_the_same_queries_however_much_the_group_has_been_rated(
    login, practitioner, practitioner_post, child, nursery, room
):
    client = login(practitioner)
    rate(child, 1, 1, 1)
    before = queries_for(client, reverse("keyworker:my_key_children"))
    for _ in range(3):
        other = ChildFactory(nursery=nursery, room=room)
        KeyPersonAssignmentFactory(child=other, key_person=practitioner_post)
        rate(other, 2, 2, 1, 1, 5)
    rate(child, 1, 2, 1, 1, 2)

    assert queries_for(client, reverse("keyworker:my_key_children")) == before
