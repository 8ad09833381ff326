"""The demo learning stories: published entries, one waiting for review, a group entry, and loading twice."""

import pytest

from children.models import ConsentPurpose
from children.selectors import has_consent
from demo.data import load_demo
from learning_stories.models import Comment, Observation, ObservationPhoto

pytestmark = pytest.mark.django_db


def test_demo_stories_have_published_entries_one_waiting_a_group_and_news_for_the_key_person():
    load_demo()
    published = Observation.objects.filter(status=Observation.Status.PUBLISHED, source=Observation.Source.NURSERY)
    assert published.count() >= 5
    assert Observation.objects.filter(status=Observation.Status.AWAITING_REVIEW).count() == 1
    group = Observation.objects.get(children__first_name="Ava", text__contains="Two friends")
    assert set(group.children.values_list("first_name", flat=True)) == {"Ava", "Zara"}
    assert Comment.objects.filter(read_at__isnull=True).exists()
    assert Observation.objects.filter(source=Observation.Source.HOME, read_at__isnull=True).exists()
    assert not ObservationPhoto.objects.filter(thumbnail="").exists()
    zara = group.children.get(first_name="Zara")
    assert has_consent(zara, ConsentPurpose.PHOTOS_OWN_STORY)
    assert not has_consent(zara, ConsentPurpose.PHOTOS_OTHERS_STORIES)


def test_loading_the_story_demo_twice_adds_nothing():
    load_demo()
    counts = (Observation.objects.count(), ObservationPhoto.objects.count(), Comment.objects.count())
    load_demo()
    assert (Observation.objects.count(), ObservationPhoto.objects.count(), Comment.objects.count()) == counts
