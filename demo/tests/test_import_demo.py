"""The sample leaver pack from another setting: it imports, and the command writes it."""

import pytest
from django.core.management import call_command

from demo.import_demo import sample_pack
from learning_stories.models import ObservationPhoto
from transitions.imports.services import import_pack

pytestmark = pytest.mark.django_db


def test_the_sample_pack_imports_as_a_joining_child(nursery, manager):
    result = import_pack(nursery=nursery, upload=sample_pack(), by=manager)
    assert (result.child.first_name, result.child.start_date, result.child.room) == ("Theo", None, None)
    assert (result.from_setting, result.entries, result.photos, result.comments, result.records) == (
        "Little Acorns Childminding",
        3,
        2,
        1,
        1,
    )
    assert ObservationPhoto.objects.filter(observation__children=result.child).count() == 2


def test_the_command_writes_the_sample_pack(tmp_path):
    call_command("demo_leaver_pack", str(tmp_path / "theo.zip"))
    assert (tmp_path / "theo.zip").read_bytes()[:2] == b"PK"
