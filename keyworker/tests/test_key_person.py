"""Key person spells on a date, key children, children without a key person, and each role's home page."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from keyworker.selectors import children_without_key_person, key_children_of, key_person_on
from keyworker.tests.factories import KeyPersonAssignmentFactory
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_key_person_on_a_date_follows_each_change(child, practitioner_post, nursery):
    successor = StaffMemberFactory(nursery=nursery)
    first = child.key_person_assignments.get()
    first.ends_on = date(2026, 1, 31)
    first.save()
    KeyPersonAssignmentFactory(child=child, key_person=successor, starts_on=date(2026, 2, 1))

    assert key_person_on(child, date(2025, 8, 31)) is None
    assert key_person_on(child, date(2025, 9, 1)) == practitioner_post
    assert key_person_on(child, date(2026, 1, 31)) == practitioner_post
    assert key_person_on(child, date(2026, 2, 1)) == successor


def test_the_database_refuses_two_current_key_persons_for_one_child(child, nursery):
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyPersonAssignmentFactory(child=child, key_person=StaffMemberFactory(nursery=nursery))


def test_my_key_children_lists_only_the_practitioners_own_key_children(login, practitioner, child, other_child):
    page = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()
    assert child.display_name in page
    assert other_child.display_name not in page
    assert set(key_children_of(practitioner)) == {child}


def test_manager_overview_shows_children_without_a_key_person(login, manager, child, other_child):
    assert set(children_without_key_person(manager)) == {other_child}
    page = login(manager).get(reverse("keyworker:overview")).content.decode()
    assert "Children without a key person" in page
    assert other_child.display_name in page


def test_parent_sees_their_childs_key_person_with_what_a_key_person_does(login, parent, practitioner):
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert practitioner.full_name in page
    assert "A <strong>key person</strong> is" in page


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("manager", "keyworker:overview"),
        ("practitioner", "keyworker:my_key_children"),
        ("parent", "keyworker:my_children"),
    ],
)
def test_each_role_lands_on_its_own_home_page(request, login, who, home):
    response = login(request.getfixturevalue(who)).get(reverse("home"))
    assert response.url == reverse(home)


def test_someone_with_no_role_is_told_how_to_get_one(login):
    from accounts.tests.factories import UserFactory

    page = login(UserFactory()).get(reverse("home")).content.decode()
    assert "not linked to a nursery or a child yet" in page


def test_manager_overview_counts_only_children_who_have_started_and_not_left(login, manager, child, nursery, room):
    from children.tests.factories import ChildFactory

    ChildFactory(nursery=nursery, room=room, start_date=date(2099, 1, 1))
    ChildFactory(nursery=nursery, room=room, start_date=date(2024, 1, 1), leave_date=date(2025, 7, 31))
    response = login(manager).get(reverse("keyworker:overview"))
    assert response.context["children_count"] == 1
    assert [(r.name, r.on_roll) for r in response.context["rooms"]] == [(room.name, 1)]
