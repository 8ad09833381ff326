from datetime import date

import factory

from accounts.tests.factories import UserFactory
from children.models import Booking, Child, Consent, ConsentPurpose, Guardianship, Relationship
from nursery.tests.factories import NurseryFactory, NurserySessionFactory


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    nursery = factory.SubFactory(NurseryFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2024, 3, 14)
    start_date = date(2025, 9, 1)


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
    relationship = Relationship.MOTHER


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    child = factory.SubFactory(ChildFactory)
    session = factory.SubFactory(NurserySessionFactory, nursery=factory.SelfAttribute("..child.nursery"))
    weekday = 0


def consent(child: Child, code: str, *, granted: bool = True, by=None) -> Consent:
    """Record a decision on a built-in purpose (for tests)."""
    return Consent.objects.create(
        child=child, purpose=ConsentPurpose.objects.get(nursery=None, code=code), granted=granted, recorded_by=by
    )
