"""A real Celery worker on Redis e-mails the family, through the outbox, when the key person changes."""

import time
from datetime import date

import pytest
from django.core import mail

from core.models import OutgoingMail
from core.queue import all_of
from keyworker import services
from nursery.tests.factories import StaffMemberFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_family_when_the_key_person_changes(child, parent, nursery, manager, celery_worker):
    tom = StaffMemberFactory(nursery=nursery, user__full_name="Tom Hughes")
    result = services.assign_key_person(
        child=child, key_person=tom, starts_on=date(2026, 3, 2), reason="Bonded with Tom", by=manager
    )

    deadline = time.monotonic() + 30
    while not OutgoingMail.objects.filter(sent_at__isnull=False).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all_of(result.dispatches).queued
    assert [m.to for m in mail.outbox] == [[parent.email]]
