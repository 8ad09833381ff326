"""Factories for the key person system's records."""

from datetime import date

import factory
from django.utils import timezone

from children.tests.factories import ChildFactory
from keyworker.models import KeyGroup, KeyPersonAssignment, SessionFeedback
from nursery.tests.factories import NurserySessionFactory, StaffMemberFactory


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


class SessionFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFeedback

    child = factory.SubFactory(ChildFactory)
    session = factory.SubFactory(NurserySessionFactory, nursery=factory.SelfAttribute("..child.nursery"))
    day = factory.LazyFunction(timezone.localdate)
    summary = "Food and drink: lunch (all)."
    status = SessionFeedback.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
