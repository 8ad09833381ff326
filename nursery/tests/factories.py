"""Test factories for nurseries, rooms, sessions and staff."""

from datetime import date, time

import factory

from accounts.tests.factories import UserFactory
from nursery.models import Nursery, NurserySession, Room, StaffAbsence, StaffMember, WorkingPattern
from nursery.setup import step_keys


class NurseryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nursery

    name = factory.Sequence(lambda n: f"Nursery {n}")
    # A nursery at work, past its set-up checklist (managers land on their overview); a new one: setup_confirmed=[].
    setup_confirmed = factory.LazyFunction(step_keys)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    nursery = factory.SubFactory(NurseryFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    min_age_months = 24
    max_age_months = 36
    capacity = 10


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    nursery = factory.SubFactory(NurseryFactory)
    role = StaffMember.Role.PRACTITIONER
    qualification_level = 3


class NurserySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NurserySession
        django_get_or_create = ("nursery", "name")

    nursery = factory.SubFactory(NurseryFactory)
    name = "Full day"
    starts_at = time(8, 0)
    ends_at = time(18, 0)


class WorkingPatternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingPattern

    staff = factory.SubFactory(StaffMemberFactory)
    session = factory.SubFactory(NurserySessionFactory, nursery=factory.SelfAttribute("..staff.nursery"))
    weekday = 0


class StaffAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAbsence

    staff = factory.SubFactory(StaffMemberFactory)
    kind = StaffAbsence.Kind.HOLIDAY
    starts_on = date(2026, 3, 2)
    ends_on = factory.SelfAttribute("starts_on")
