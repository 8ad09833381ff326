"""Factories for medicines: a parent's standing permission for today, and a dose given earlier today."""

import factory
from django.utils import timezone

from children.medicines.models import MedicineDose, MedicineRequest
from children.tests.factories import ChildFactory, earlier_today


class MedicineRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicineRequest

    child = factory.SubFactory(ChildFactory)
    medicine = "Calpol"
    dose = "5 ml"
    times = "10:00, 15:00"
    reason = "Teething pain"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(timezone.localdate)
    prescribed = True
    prescribed_by = "Dr Patel"


class MedicineDoseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicineDose

    request = factory.SubFactory(MedicineRequestFactory)
    child = factory.LazyAttribute(lambda dose: dose.request.child)
    given_at = factory.LazyFunction(earlier_today)
    day = factory.LazyAttribute(lambda dose: timezone.localdate(dose.given_at))
    dose_given = "5 ml"
