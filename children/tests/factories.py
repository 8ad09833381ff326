from datetime import date

import factory

from accounts.tests.factories import UserFactory
from children.models import (
    AllAboutMe,
    Booking,
    Child,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    EmergencyContact,
    Guardianship,
    HomeChange,
    Relationship,
)
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


class EmergencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyContact

    child = factory.SubFactory(ChildFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = "Grandmother"
    phone = "07700 900123"


class AllAboutMeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllAboutMe

    child = factory.SubFactory(ChildFactory)
    likes = "Sand, water and stories about trains"
    sleep_routine = "One nap after lunch, with her blanket"


class HomeChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeChange

    child = factory.SubFactory(ChildFactory)
    proposed_by = factory.SubFactory(UserFactory)
    changes = factory.LazyFunction(lambda: {"likes": {"from": "", "to": "Dinosaurs"}})


class ConfidentialNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfidentialNote

    child = factory.SubFactory(ChildFactory)
    written_by = factory.SubFactory(UserFactory)
    source = ConfidentialNote.Source.FAMILY
    text = "We are separating; Dad collects on Fridays for now."
