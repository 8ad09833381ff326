"""The Leuven wellbeing and involvement ratings: captured with an observation, drawn as a trend on the story
page for staff (and for families only when the nursery chooses), and low streaks found in one query."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from children.tests.factories import ChildFactory
from learning_stories.models import Observation
from learning_stories.tests.factories import ObservationFactory
from learning_stories.wellbeing.selectors import low_wellbeing_streaks

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def rated(child, *ratings, status=Observation.Status.PUBLISHED, involvement=None, **extra):
    """Observations of the child, oldest first, one an hour up to an hour ago, with these wellbeing ratings."""
    return [
        ObservationFactory(
            nursery=child.nursery,
            children=[child],
            wellbeing=wellbeing,
            involvement=involvement,
            status=status,
            observed_at=NOW - timedelta(hours=len(ratings) - index),
            **extra,
        )
        for index, wellbeing in enumerate(ratings)
    ]


def test_the_capture_page_explains_the_leuven_scales_and_describes_each_level(login, practitioner, child):
    page = login(practitioner).get(reverse("stories:new")).content.decode()

    assert "The Leuven scales are two simple 1 to 5 ratings" in page
    assert 'name="wellbeing" value="1"' in page
    assert "Clear signs of discomfort" in page
    assert "The activity is simple, repetitive and passive" in page


def test_a_practitioner_saves_wellbeing_and_involvement_and_finds_them_ticked_on_the_draft(login, practitioner, child):
    client = login(practitioner)
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": "2026-11-23T10:00",
        "children": [child.pk],
        "text": "Built a tower and laughed when it fell.",
        "wellbeing": "4",
        "involvement": "5",
        "action": "draft",
    }

    client.post(reverse("stories:new"), data)

    observation = Observation.objects.get()
    assert (observation.wellbeing, observation.involvement) == (4, 5)
    page = client.get(reverse("stories:edit", args=[observation.pk])).content.decode()
    assert 'value="4" id="wellbeing-4" aria-describedby="wellbeing-4-about" checked' in page
    assert 'value="5" id="involvement-5" aria-describedby="involvement-5-about" checked' in page


def test_a_rating_off_the_scale_is_refused_with_the_text_kept(login, practitioner, child):
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": "2026-11-23T10:00",
        "children": [child.pk],
        "text": "Painted a rainbow.",
        "wellbeing": "9",
        "action": "draft",
    }

    page = login(practitioner).post(reverse("stories:new"), data)

    assert page.status_code == 200
    assert not Observation.objects.exists()
    assert "Painted a rainbow." in page.content.decode()


def test_staff_see_the_wellbeing_trend_with_a_table_of_the_same_ratings(login, practitioner, child):
    rated(child, 2, 3, 5, involvement=4)

    page = login(practitioner).get(reverse("stories:story", args=[child.pk])).content.decode()

    assert 'class="trend-chart"' in page
    assert 'class="line wellbeing"' in page
    assert "<td>5: Extremely high</td><td>4: High</td>" in page


def test_families_do_not_see_the_ratings_unless_the_nursery_chooses_to_show_them(login, parent, child):
    rated(child, 4)

    assert "trend-chart" not in login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()

    child.nursery.families_see_wellbeing = True
    child.nursery.save()
    assert "trend-chart" in login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()


def test_families_never_see_the_rating_of_a_staff_only_observation(login, parent, child):
    child.nursery.families_see_wellbeing = True
    child.nursery.save()
    rated(child, 1, staff_only=True)

    assert "trend-chart" not in login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()


def test_a_manager_lets_families_see_the_ratings(login, manager, nursery):
    login(manager).post(reverse("stories:wellbeing_settings"), {"families_see_wellbeing": "on"})

    nursery.refresh_from_db()
    assert nursery.families_see_wellbeing


def test_three_low_wellbeing_ratings_in_a_row_are_flagged(child):
    rated(child, 5, 2, 1, 2)

    assert low_wellbeing_streaks([child.pk]) == {child.pk}


def test_a_good_latest_rating_ends_the_streak(child):
    rated(child, 1, 1, 2, 4)

    assert low_wellbeing_streaks([child.pk]) == set()


def test_two_low_ratings_are_not_yet_a_streak(child):
    rated(child, 2, 1)

    assert low_wellbeing_streaks([child.pk]) == set()


def test_drafts_and_unrated_observations_do_not_count_towards_a_streak(child):
    rated(child, 2, 2, 2)
    rated(child, 5, status=Observation.Status.DRAFT)
    ObservationFactory(nursery=child.nursery, children=[child], observed_at=NOW)

    assert low_wellbeing_streaks([child.pk]) == {child.pk}
    rated(child, 5)
    assert low_wellbeing_streaks([child.pk]) == set()


def test_finding_streaks_takes_one_query_however_many_children_and_ratings(
    child, nursery, room, django_assert_num_queries
):
    children = [child] + [ChildFactory(nursery=nursery, room=room) for _ in range(5)]
    for each in children:
        rated(each, 1, 2, 1, 2, 5, 1, 1, 1)

    with django_assert_num_queries(1):
        assert low_wellbeing_streaks(each.pk for each in children) == {each.pk for each in children}


def test_staff_see_the_ratings_on_the_entry_itself(login, practitioner, child):
    (observation,) = rated(child, 2, involvement=3)

    page = login(practitioner).get(reverse("stories:observation", args=[observation.pk])).content.decode()

    assert "wellbeing 2: Low · involvement 3: Moderate" in page


def test_a_rating_on_an_observation_of_two_children_is_refused_with_everything_typed_kept(
    login, practitioner, child, other_child
):
    data = {
        "client_key": str(uuid.uuid4()),
        "observed_at": "2026-11-23T10:00",
        "children": [child.pk, other_child.pk],
        "text": "Built a den together.",
        "wellbeing": "2",
        "involvement": "4",
        "action": "draft",
    }

    response = login(practitioner).post(reverse("stories:new"), data)

    assert response.status_code == 200
    assert not Observation.objects.exists()
    page = response.content.decode()
    assert "can only be rated when one child is tagged" in page
    assert "Built a den together." in page
    assert 'value="2" id="wellbeing-2" aria-describedby="wellbeing-2-about" checked' in page
    assert 'value="4" id="involvement-4" aria-describedby="involvement-4-about" checked' in page


def test_a_rating_on_a_group_observation_counts_in_nobodys_trend_or_streak(login, practitioner, child, other_child):
    rated(child, 1, 1)
    ObservationFactory(nursery=child.nursery, children=[child, other_child], wellbeing=1, observed_at=NOW)

    assert low_wellbeing_streaks([child.pk, other_child.pk]) == set()
    page = login(practitioner).get(reverse("stories:story", args=[other_child.pk])).content.decode()
    assert 'class="trend-chart"' not in page
