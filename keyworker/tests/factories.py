from datetime import date

import factory

from children.tests.factories import ChildFactory
from keyworker.models import KeyGroup, KeyPersonAssignment
from nursery.tests.factories import StaffMemberFactory


class KeyPersonAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPersonAssignment

    child = factory.SubFactory(ChildFactory)
    key_person = factory.SubFactory(StaffMemberFactory, nursery=factory.SelfAttribute("..child.nursery"))
    starts_on = date(2025, 9, 1)


class KeyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyGroup

    key_person = factory.SubFactory(StaffMemberFactory)
