"""What subject access and the retention schedule do with collection records: the family's list and one-off
collectors are in the copy (the password only as "set", never its hash), and a one-off arrangement goes a few
months after its day while the register keeps who collected."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from children.collection import services
from children.collection.models import AuthorisedCollector, CollectionPassword, OneOffCollector
from children.day import services as day
from children.day.selectors import moment
from children.tests.factories import AttendanceFactory
from children.tests.test_collection import PASSWORD, WEDNESDAY, key_of, one_off_today
from privacy.records import child_record
from retention import services as retention

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(WEDNESDAY, time(15, 30)))]


@pytest.fixture
def with_password(child, parent):
    services.set_collection_password(child=child, password=PASSWORD, by=parent)
    return child


def test_a_subject_access_copy_says_who_may_collect_and_that_a_password_is_set_but_not_its_hash(
    child, parent, practitioner, with_password
):
    here = child
    day.sign_in(child=here, by=practitioner, at=timezone.now() - timedelta(hours=6))
    AuthorisedCollector.objects.create(child=here, name="Aunt Bea", relationship="Aunt", phone="07700 900111")
    one_off_today(here, parent)
    day.sign_out(child=here, by=practitioner, collector=key_of(here, "Nan Jones"), password=PASSWORD)

    record = child_record(here, photos=[], progress=lambda *args: None)

    text = str(record)
    assert record["collection"]["password_set"] is True
    assert [person["name"] for person in record["collection"]["may_collect"]] == ["Aunt Bea"]
    assert [person["name"] for person in record["collection"]["one_off_collectors"]] == ["Nan Jones"]
    assert "Nan Jones (Neighbour, one-off), password given" in text
    assert CollectionPassword.objects.get().password not in text
    assert PASSWORD not in text


def test_a_one_off_arrangement_goes_three_months_after_its_day_and_the_register_keeps_who_collected(
    child, parent, with_password, time_machine
):
    one_off_today(child, parent)
    stay = AttendanceFactory(child=child, day=timezone.localdate(), signed_in_at=timezone.now(), collected_by="Nan")
    time_machine.move_to(timezone.now() + timedelta(days=62))
    retention.sweep(nursery_id=child.nursery_id)
    assert OneOffCollector.objects.exists()
    time_machine.move_to(timezone.now() + timedelta(days=31))
    retention.sweep(nursery_id=child.nursery_id)
    assert not OneOffCollector.objects.exists()
    assert type(stay).objects.get(pk=stay.pk).collected_by == "Nan"
