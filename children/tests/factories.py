"""Test factories for children, families, consents and the day's records."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from children.day.models import Attendance, CareEntry, Condition, Incident
from children.day.selectors import moment
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
from children.support_plans.models import SupportPlan
from nursery.tests.factories import NurseryFactory, NurserySessionFactory


def earlier_today(minutes: int = 60) -> datetime:
    """``minutes`` ago, but never before midnight: a moment of today whatever the hour, never in the future."""
    return max(timezone.now() - timedelta(minutes=minutes), moment(timezone.localdate(), time(0, 0, 1)))


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


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    child = factory.SubFactory(ChildFactory)
    signed_in_at = factory.LazyFunction(lambda: earlier_today(120))
    day = factory.LazyAttribute(lambda stay: timezone.localdate(stay.signed_in_at))


class CareEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareEntry

    child = factory.SubFactory(ChildFactory)
    kind = CareEntry.Kind.NAPPY
    condition = Condition.WET
    at = factory.LazyFunction(earlier_today)
    day = factory.LazyAttribute(lambda entry: timezone.localdate(entry.at))


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    child = factory.SubFactory(ChildFactory)
    happened_at = factory.LazyFunction(earlier_today)
    day = factory.LazyAttribute(lambda incident: timezone.localdate(incident.happened_at))
    what_happened = "Bumped her head on the table."
    where = "Messy play area"
    first_aid = "Cold compress."


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


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan

    child = factory.SubFactory(ChildFactory, send_status="sen_support")
    title = "Speech and language support"
    needs = "Says a handful of single words; understands more than they say."
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=6))
