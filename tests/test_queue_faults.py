"""A broker fault never loses what a person saved, and a real worker does the work end to end."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from core.models import OutgoingMail
from core.outbox import mail_status


def invite_tom(client):
    return client.post(
        reverse("nursery:invite_staff"),
        {"full_name": "Tom Hughes", "email": "tom@example.org", "role": "practitioner"},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_inviting_while_the_broker_is_down_saves_the_invitation_and_says_so(login, manager, broker_down):
    response = invite_tom(login(manager))

    assert response.status_code == 200
    assert "will be sent automatically" in response.content.decode()
    invitation = Invitation.objects.get(email="tom@example.org")
    queued = mail_status(key=invitation.mail_key)
    assert (queued.status, queued.attempts) == (OutgoingMail.Status.PENDING, 0)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_an_invitation_saved_while_the_broker_was_down(login, manager, broker_down):
    from conftest import use_broker
    from core.tasks import send_due_mail

    invite_tom(login(manager))
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        send_due_mail.delay()

    assert [m.to for m in mail.outbox] == [["tom@example.org"]]
    assert invitation_emailed()


def invitation_emailed() -> bool:
    invitation = Invitation.objects.get()
    return mail_status(key=invitation.mail_key).status == OutgoingMail.Status.SENT


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_invitation_a_manager_sends(login, manager, celery_worker):
    invite_tom(login(manager))

    assert wait_for(invitation_emailed)
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_to_a_real_worker_sends_one_email(login, manager, celery_worker):
    from core.tasks import send_outgoing_mail

    invite_tom(login(manager))
    send_outgoing_mail.delay(OutgoingMail.objects.get().pk)  # a retry or a sweep racing the first send

    assert wait_for(invitation_emailed)
    time.sleep(1)  # give the duplicate time to run
    assert len(mail.outbox) == 1


def add_ava_photo(client, child):
    from children.models import ConsentPurpose
    from children.tests.factories import consent
    from tests.images import camera_jpeg, upload

    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    return client.post(
        reverse("children:change_photo", args=[child.pk]),
        {"photo": upload(camera_jpeg(width=1000, height=1000))},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_photo_saved_while_the_broker_is_down_gets_its_thumbnail_from_the_sweep(
    login, practitioner, child, broker_down
):
    from children.models import Child
    from conftest import use_broker
    from core.tasks import make_missing_thumbnails

    response = add_ava_photo(login(practitioner), child)

    assert "will appear shortly" in response.content.decode()
    assert Child.objects.get(pk=child.pk).photo
    use_broker("memory://", eager=True)  # the broker is back
    make_missing_thumbnails.delay()
    assert Child.objects.get(pk=child.pk).photo_thumbnail


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_thumbnail_of_a_childs_photo(login, practitioner, child, celery_worker):
    from children.models import Child

    add_ava_photo(login(practitioner), child)

    assert wait_for(lambda: bool(Child.objects.get(pk=child.pk).photo_thumbnail))
