"""Medicine records follow the schedule: kept until the child is 21 years 3 months, plans deleted with them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from children.medicines.models import MedicineDose, MedicineRequest
from children.tests.factories import ChildFactory
from children.tests.medicine_factories import MedicineDoseFactory, MedicineRequestFactory
from retention import services

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


def sweep_on(day: date, nursery) -> None:
    with time_machine.travel(at(day.year, day.month, day.day, 2), tick=False):
        services.sweep(nursery_id=nursery.pk)


def test_medicine_records_are_kept_until_the_child_is_21_years_3_months_then_go_with_the_plan(
    nursery, room, django_capture_on_commit_callbacks
):
    leo = ChildFactory(
        nursery=nursery,
        room=room,
        date_of_birth=date(2022, 5, 1),
        start_date=date(2024, 9, 1),
        leave_date=date(2026, 7, 17),
    )
    medicine = MedicineRequestFactory(child=leo, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 5))
    medicine.plan.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    storage, name = medicine.plan.storage, medicine.plan.name
    dose = MedicineDoseFactory(request=medicine, given_at=at(2026, 6, 1), day=date(2026, 6, 1))

    sweep_on(date(2043, 7, 30), nursery)  # Leo is 21 years 2 months
    assert MedicineRequest.objects.filter(pk=medicine.pk).exists()
    assert MedicineDose.objects.filter(pk=dose.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        sweep_on(date(2043, 8, 2), nursery)
    assert not MedicineRequest.objects.filter(pk=medicine.pk).exists()
    assert not MedicineDose.objects.filter(pk=dose.pk).exists()
    assert not storage.exists(name)


def test_the_medicine_kind_names_its_source_and_will_not_go_below_it():
    medicines = services.BY_CODE["medicines"]
    assert medicines.minimum == 21 * 12 + 3
    assert "EYFS section 3.45" in medicines.source
    assert "Limitation Act 1980" in medicines.source
