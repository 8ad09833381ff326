"""The key person's "what's new": families' comments and home contributions about their key children."""

import pytest
from django.urls import reverse

from children.tests.factories import ChildFactory, GuardianshipFactory
from learning_stories.models import Comment
from learning_stories.observations import services
from learning_stories.tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(nursery, child, parent):
    entry = ObservationFactory(nursery=nursery, children=[child])
    old = services.add_comment(observation=entry, child=child, author=parent, text="Old news", by_staff=False)
    services.mark_read(comment_ids=[old.pk], entry_ids=[])
    services.add_comment(observation=entry, child=child, author=parent, text="Fresh news", by_staff=False)
    return entry


def test_key_person_sees_unread_comments_first(login, practitioner, news):
    page = login(practitioner).get(reverse("keyworker:whats_new")).content.decode()
    assert page.index("Fresh news") < page.index("Old news")


def test_comments_about_other_key_persons_children_are_not_listed(login, practitioner, nursery, room):
    someone_else = ChildFactory(nursery=nursery, room=room)
    family = GuardianshipFactory(child=someone_else).user
    entry = ObservationFactory(nursery=nursery, children=[someone_else])
    services.add_comment(observation=entry, child=someone_else, author=family, text="Not yours", by_staff=False)
    assert "Not yours" not in login(practitioner).get(reverse("keyworker:whats_new")).content.decode()


def test_marking_read_moves_a_comment_down(login, practitioner, news):
    fresh = Comment.objects.get(text="Fresh news")
    login(practitioner).post(reverse("keyworker:mark_read"), {"comment": fresh.pk})
    fresh.refresh_from_db()
    assert fresh.read_at is not None


def test_another_key_person_cannot_mark_my_childrens_comments_read(login, nursery, news):
    from nursery.tests.factories import StaffMemberFactory

    colleague = StaffMemberFactory(nursery=nursery).user
    fresh = Comment.objects.get(text="Fresh news")
    login(colleague).post(reverse("keyworker:mark_read"), {"comment": fresh.pk})
    fresh.refresh_from_db()
    assert fresh.read_at is None


def test_home_contributions_are_listed_for_the_key_person(login, practitioner, parent, child):
    from django.utils import timezone

    services.add_home_contribution(
        child=child, author=parent, text="Rode a bike", observed_at=timezone.now(), photos=[]
    )
    assert "Rode a bike" in login(practitioner).get(reverse("keyworker:whats_new")).content.decode()
