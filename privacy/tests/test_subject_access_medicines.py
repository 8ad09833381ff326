"""Subject access covers medicines: each permission, who gave it, and every dose with its witness."""

import pytest

from children.tests.medicine_factories import MedicineDoseFactory, MedicineRequestFactory
from privacy.records import child_record

pytestmark = pytest.mark.django_db


def test_the_childs_export_lists_each_medicine_permission_and_dose(child, parent, practitioner, manager):
    medicine = MedicineRequestFactory(child=child, consented_by=parent, reason="Ear infection")
    MedicineDoseFactory(request=medicine, given_by=practitioner, witness=manager, acknowledged_by=parent)

    [exported] = child_record(child, photos=[], progress=lambda percent, stage: None)["medicines"]

    assert (exported["medicine"], exported["reason"], exported["permission_given_by"]) == (
        "Calpol",
        "Ear infection",
        "Sam Taylor",
    )
    assert exported["health_care_plan_attached"] is False
    [dose] = exported["doses"]
    assert (dose["dose_given"], dose["given_by"], dose["witness"], dose["acknowledged_by"]) == (
        "5 ml",
        "Priya Practitioner",
        "Maya Manager",
        "Sam Taylor",
    )
