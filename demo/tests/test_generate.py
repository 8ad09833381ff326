"""`manage.py generate_group` builds a whole nursery group in bulk, the same one for the same seed."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from children.models import Child, Guardianship
from demo.generate import generate_group
from keyworker.models import KeyPersonAssignment
from learning_stories.models import Assessment, Observation, ObservationChild
from nursery.models import Nursery, StaffMember

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_small_generated_group_has_every_part_a_real_one_has():
    made = generate_group(children=24, observations=120, nurseries=2, password="generated-pass-1")

    assert Nursery.objects.filter(group=made.nurseries[0].group).count() == 2
    assert Child.objects.count() == 24
    assert Observation.objects.count() == 120
    assert ObservationChild.objects.count() == made.counts["child links"] >= 120
    assert KeyPersonAssignment.objects.count() == 24  # every child has a key person
    assert Guardianship.objects.count() == 24  # and a family
    assert Assessment.objects.exists()
    assert StaffMember.objects.filter(role=StaffMember.Role.MANAGER).count() == 2
    # Every entry's children belong to the entry's nursery.
    assert not ObservationChild.objects.exclude(child__nursery=F("observation__nursery")).exists()


def test_the_same_seed_generates_the_same_group():
    first = generate_group(children=10, observations=30, nurseries=1, password="generated-pass-1")
    second = generate_group(children=10, observations=30, nurseries=1, password="generated-pass-1")

    def shape(nursery: Nursery) -> list:
        return list(
            Child.objects.filter(nursery=nursery).order_by("pk").values_list("first_name", "last_name", "date_of_birth")
        ) + list(
            Observation.objects.filter(nursery=nursery).order_by("pk").values_list("text", "observed_at", "status")
        )

    assert shape(first.nurseries[0]) == shape(second.nurseries[0])


def test_the_generated_manager_can_log_in_and_open_the_pages(login):
    out = StringIO()
    call_command("generate_group", children=8, observations=40, nurseries=1, password="generated-pass-1", stdout=out)
    nursery = Nursery.objects.get()
    manager = StaffMember.objects.get(nursery=nursery, role=StaffMember.Role.MANAGER).user
    assert manager.email in out.getvalue()

    assert manager.check_password("generated-pass-1")
    client = login(manager)
    for name in ("keyworker:overview", "children:list", "stories:review_queue", "checks:due"):
        assert client.get(reverse(name)).status_code == 200


def test_the_command_refuses_fewer_children_than_nurseries():
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("generate_group", children=1, observations=0, nurseries=2, stderr=err)
    assert "at least one child per nursery" in err.getvalue()
    assert not Nursery.objects.exists()
