"""Pages run a fixed number of SQL queries, however many children a nursery has."""

import pytest
from django.urls import reverse

from children.tests.factories import ChildFactory, GuardianshipFactory
from keyworker.tests.factories import KeyPersonAssignmentFactory
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
