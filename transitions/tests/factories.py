"""Factories for transition plans, trial visits and leaver packs."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from children.day.selectors import moment
from transitions.models import LeaverPack, SettlingSession, StarterPlan, TransitionPlan, TrialVisit


class TransitionPlanFactory(factory.django.DjangoModelFactory):
    """A room move three weeks ahead, from the child's room."""

    class Meta:
        model = TransitionPlan

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    kind = TransitionPlan.Kind.ROOM_MOVE
    planned_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=3))
    from_room = factory.SelfAttribute("child.room")
    created_by = factory.SubFactory(UserFactory)


class TrialVisitFactory(factory.django.DjangoModelFactory):
    """A visit of an hour, the day after tomorrow at ten (whatever the hour now, it never runs past midnight)."""

    class Meta:
        model = TrialVisit

    plan = factory.SubFactory(TransitionPlanFactory)
    starts_at = factory.LazyFunction(lambda: moment(timezone.localdate() + timedelta(days=2), time(10)))
    ends_at = factory.LazyAttribute(lambda visit: visit.starts_at + timedelta(hours=1))


class LeaverPackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaverPack

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    requested_by = factory.SubFactory(UserFactory)


class StarterPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarterPlan

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    created_by = factory.SubFactory(UserFactory)


class SettlingSessionFactory(factory.django.DjangoModelFactory):
    """An hour's settling session, the day after tomorrow at ten."""

    class Meta:
        model = SettlingSession

    plan = factory.SubFactory(StarterPlanFactory)
    starts_at = factory.LazyFunction(lambda: moment(timezone.localdate() + timedelta(days=2), time(10)))
    minutes = 60
