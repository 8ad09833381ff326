"""The leaver pack on a real Celery worker and Redis: built once, e-mailed once, even when the worker is lost."""

import time

import pytest
from billiard.exceptions import WorkerLostError
from django.core import mail

from core.models import OutgoingMail
from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
from transitions.leaver_pack import services
from transitions.models import LeaverPack

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_ready(pack: LeaverPack, seconds: float = 60) -> LeaverPack:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        sent = OutgoingMail.objects.filter(kind="Leaver pack ready", status=OutgoingMail.Status.SENT)
        if pack.status == LeaverPack.Status.READY and sent.exists():
            return pack
        time.sleep(0.2)
    raise AssertionError(f"pack still {pack.status} at {pack.progress}%: {pack.stage}")


@pytest.fixture
def story(nursery, child, practitioner):
    for n in range(3):
        entry = ObservationFactory(nursery=nursery, author=practitioner, children=[child], text=f"Entry {n}")
        ObservationPhotoFactory(observation=entry, children=[child])


def test_a_real_worker_builds_the_pack_and_emails_once(manager, child, story, celery_worker):
    pack, dispatch = services.request_pack(child=child, user=manager)

    pack = wait_until_ready(pack)

    assert dispatch.queued
    assert pack.size > 0
    assert pack.file.storage.exists(pack.file.name)
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_a_worker_lost_during_the_export_is_redelivered_and_completes_with_one_email(
    manager, child, story, celery_worker, monkeypatch
):
    """The first delivery dies mid-build the way a killed pool process reports it (WorkerLostError): with
    acks_late and reject_on_worker_lost the worker puts the message back on Redis and runs it again."""
    real = services.write_pack_zip
    attempts = []

    def killed_once(*, child, target, progress):
        attempts.append(1)

        def dies(percent: int, stage: str) -> None:
            progress(percent, stage)
            if len(attempts) == 1 and percent >= 80:
                raise WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL).")

        real(child=child, target=target, progress=dies)

    monkeypatch.setattr(services, "write_pack_zip", killed_once)
    pack, _ = services.request_pack(child=child, user=manager)

    pack = wait_until_ready(pack)

    assert len(attempts) == 2
    assert LeaverPack.objects.count() == 1
    assert len(mail.outbox) == 1
    time.sleep(1)  # nothing else arrives later
    assert len(mail.outbox) == 1
