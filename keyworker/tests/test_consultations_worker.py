"""A real Celery worker on Redis e-mails the other side of a meeting, through the outbox."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutgoingMail
from keyworker.meetings import services


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_key_person_when_a_family_books(child, parent, practitioner_post, celery_worker):
    slot = services.offer_slot(
        key_person=practitioner_post, starts_at=timezone.now() + timedelta(days=1), minutes=15, place="phone"
    )
    services.book_slot(child=child, slot=slot, by=parent)

    deadline = time.monotonic() + 30
    while not OutgoingMail.objects.filter(sent_at__isnull=False).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[practitioner_post.user.email]]
