"""Fetching a child's records for the person asking: 404 for what they may not see, 403 with a reason for
what they see but may not do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from children.access import access_child, access_emergency_contact, access_own_child, access_own_guardianship
from children.support_plans.selectors import access_support_plan
from children.tests.factories import ChildFactory, EmergencyContactFactory, GuardianshipFactory, SupportPlanFactory

pytestmark = pytest.mark.django_db


def test_a_member_of_staff_sees_their_own_child_elsewhere_as_a_parent_but_not_on_staff_pages(
    practitioner, other_nursery
):
    own = ChildFactory(nursery=other_nursery)
    GuardianshipFactory(child=own, user=practitioner)
    assert access_child(practitioner, own.pk) == own
    assert access_child(practitioner, own.pk, family=True) == own
    with pytest.raises(Http404):
        access_child(practitioner, own.pk, in_care=True)


def test_colleagues_get_a_reason_where_families_and_other_nurseries_get_not_found(
    practitioner, parent, other_parent, other_manager, child
):
    with pytest.raises(PermissionDenied, match="managers"):
        access_child(practitioner, child.pk, manage=True)
    with pytest.raises(PermissionDenied, match="family"):
        access_child(practitioner, child.pk, family=True)
    for outsider in (other_parent, other_manager):
        with pytest.raises(Http404):
            access_child(outsider, child.pk)
    with pytest.raises(Http404):
        access_child(parent, child.pk, in_care=True)
    contact = EmergencyContactFactory(child=child)
    with pytest.raises(PermissionDenied):
        access_emergency_contact(practitioner, contact.pk)
    with pytest.raises(Http404):
        access_emergency_contact(other_manager, contact.pk)


def test_a_support_plan_says_who_works_on_it_and_who_reads_it(practitioner, parent, child):
    plan = SupportPlanFactory(child=child)
    _, team = access_support_plan(practitioner, plan.pk)
    _, family = access_support_plan(parent, plan.pk)
    assert (team.may_write, team.is_parent) == (True, False)
    assert (family.may_write, family.is_parent) == (False, True)
    with pytest.raises(Http404):
        access_support_plan(parent, plan.pk, team=True)


def test_a_familys_own_pages_find_only_their_own_children_even_for_the_childs_key_person(
    parent, other_parent, practitioner, child
):
    assert access_own_child(parent, child.pk) == child
    assert access_own_guardianship(parent, child.pk).child == child
    for someone_else in (other_parent, practitioner):
        with pytest.raises(Http404):
            access_own_child(someone_else, child.pk)
        with pytest.raises(Http404):
            access_own_guardianship(someone_else, child.pk)
