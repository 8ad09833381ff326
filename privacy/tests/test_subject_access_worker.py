"""The subject access download on a real Celery worker and Redis (CI sets REDIS_URL)."""

import io
import json
import time
import zipfile

import pytest

from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from privacy import services
from privacy.models import SubjectAccessExport

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_ready(export: SubjectAccessExport, seconds: float = 60) -> SubjectAccessExport:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status == SubjectAccessExport.Status.READY:
            return export
        time.sleep(0.2)
    raise AssertionError(f"export still {export.status} at {export.progress}%: {export.stage}")


def test_a_real_worker_builds_the_parents_download(nursery, child, parent, practitioner, celery_worker):
    entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Ava jumped.")
    ObservationPhotoFactory(observation=entry, children=[child])

    export, dispatch = services.request_export(nursery=nursery, child=child, person=parent, by=parent)
    export = wait_until_ready(export)

    assert dispatch.queued
    with export.file.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert json.loads(archive.read("data.json"))["child"]["story"][0]["text"] == "Ava jumped."
    assert len([name for name in archive.namelist() if name.startswith("photos/")]) == 1
