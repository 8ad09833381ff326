"""A leaver's family keeps read access for the nursery's set days after the last day, then loses it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Child
from children.selectors import children_of_guardian, family_access_ends
from learning_stories.story.selectors import viewer_of
from learning_stories.tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def leave(child: Child, days_ago: int) -> None:
    Child.objects.filter(pk=child.pk).update(leave_date=timezone.localdate() - timedelta(days=days_ago))
    child.refresh_from_db()


def test_the_family_still_reads_on_the_last_day_of_the_access_period(child, parent, nursery):
    leave(child, nursery.leaver_access_days)

    assert family_access_ends(child) == timezone.localdate()
    assert list(children_of_guardian(parent)) == [child]
    viewer = viewer_of(parent, child)
    assert viewer is not None
    assert viewer.can_contribute is False  # a leaver's family reads, but no longer adds


def test_the_family_loses_access_the_day_after_the_period_ends(child, parent, nursery):
    leave(child, nursery.leaver_access_days + 1)

    assert list(children_of_guardian(parent)) == []
    assert viewer_of(parent, child) is None


def test_the_period_is_the_nurserys_own(child, parent, nursery):
    nursery.leaver_access_days = 10
    nursery.save()
    leave(child, 11)

    assert viewer_of(parent, child) is None


def test_a_family_can_still_add_to_the_story_on_the_childs_last_day(child, parent):
    leave(child, 0)

    assert viewer_of(parent, child).can_contribute is True


def test_staff_keep_their_access_after_the_period(child, practitioner, nursery):
    leave(child, nursery.leaver_access_days + 30)

    assert viewer_of(practitioner, child).is_staff


def test_pages_answer_404_once_the_familys_access_has_ended(login, child, parent, practitioner, nursery):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child])
    client = login(parent)
    leave(child, nursery.leaver_access_days)
    assert client.get(reverse("stories:story", args=[child.pk])).status_code == 200
    assert client.get(reverse("stories:observation", args=[entry.pk])).status_code == 200
    assert client.get(reverse("stories:add_home", args=[child.pk])).status_code == 404  # reads only

    leave(child, nursery.leaver_access_days + 1)

    assert client.get(reverse("stories:story", args=[child.pk])).status_code == 404
    assert client.get(reverse("stories:observation", args=[entry.pk])).status_code == 404
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404
