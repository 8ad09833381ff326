"""Who sees which children, and managers inviting families."""

import pytest
from django.core import mail
from django.urls import reverse

from children.models import ChildAuditEvent, Guardianship
from children.selectors import children_visible_to
from children.tests.factories import ChildFactory
from tests.helpers import link_path_in

pytestmark = pytest.mark.django_db


def test_parent_cannot_open_another_childs_page(login, parent, other_child):
    assert login(parent).get(reverse("children:detail", args=[other_child.pk])).status_code == 404


def test_parent_who_edits_the_id_in_the_address_gets_not_found_for_any_other_id(login, parent, child, other_child):
    client = login(parent)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
    for pk in (other_child.pk, child.pk + 1000):
        assert client.get(f"/children/{pk}/").status_code == 404
    assert client.get("/children/not-a-number/").status_code == 404


def test_another_nurserys_manager_cannot_see_our_children(login, other_manager, child):
    assert login(other_manager).get(reverse("children:detail", args=[child.pk])).status_code == 404
    assert child not in children_visible_to(other_manager)


def test_staff_see_every_child_of_their_nursery_and_parents_only_their_own(practitioner, parent, child, other_child):
    assert set(children_visible_to(practitioner)) == {child, other_child}
    assert set(children_visible_to(parent)) == {child}


def test_a_practitioner_whose_own_child_attends_sees_them_as_staff_and_as_parent(practitioner, other_child):
    Guardianship.objects.create(child=other_child, user=practitioner, relationship="mother")
    elsewhere = ChildFactory()
    Guardianship.objects.create(child=elsewhere, user=practitioner, relationship="mother")
    assert {other_child, elsewhere} <= set(children_visible_to(practitioner))


def test_opening_a_childs_page_is_written_to_the_record_history(login, practitioner, child):
    login(practitioner).get(reverse("children:detail", args=[child.pk]))
    event = ChildAuditEvent.objects.get(child=child)
    assert (event.actor, event.action) == (practitioner, ChildAuditEvent.Action.VIEWED)


def test_manager_invites_a_parent_of_two_siblings_who_then_sees_both(
    login, manager, child, nursery, client, django_capture_on_commit_callbacks
):
    sibling = ChildFactory(nursery=nursery, first_name="Leo", last_name=child.last_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(
            reverse("children:invite_guardian", args=[child.pk]),
            {
                "full_name": "Sam Taylor",
                "email": "sam@example.org",
                "relationship": "parent",
                "has_parental_responsibility": "on",
                "siblings": [sibling.pk],
            },
        )
    assert response.status_code == 302
    client.post(
        link_path_in(mail.outbox[0]),
        {"full_name": "Sam Taylor", "password1": "lavender-fields", "password2": "lavender-fields"},
    )
    assert client.get(reverse("home")).url == reverse("keyworker:my_children")
    page = client.get(reverse("keyworker:my_children")).content.decode()
    assert child.first_name in page
    assert "Leo" in page


def test_only_managers_may_invite_families(login, practitioner, child):
    assert login(practitioner).get(reverse("children:invite_guardian", args=[child.pk])).status_code == 403


def test_record_history_is_for_managers_of_the_childs_nursery(login, manager, other_manager, child):
    assert login(manager).get(reverse("children:audit_log", args=[child.pk])).status_code == 200
    assert login(other_manager).get(reverse("children:audit_log", args=[child.pk])).status_code == 404


def test_a_childs_page_shows_sections_that_other_apps_add_such_as_the_key_person(login, parent, child, practitioner):
    page = login(parent).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Key person" in page
    assert practitioner.full_name in page
