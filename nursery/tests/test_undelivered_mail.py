"""The manager's page of e-mails that could not be delivered, whatever notice they carry."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from core import outbox
from core.models import OutgoingMail

pytestmark = pytest.mark.django_db


def failed(nursery, key: str, to: str, kind: str = "Invitation") -> OutgoingMail:
    return OutgoingMail.objects.create(
        key=key,
        kind=kind,
        nursery_id=nursery.pk,
        to=to,
        subject=f"About {key}",
        body="Hello",
        attempts=1,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_the_manager_sees_every_kind_of_failed_email_of_their_own_nursery_only(
    login, manager, other_manager, nursery, other_nursery
):
    failed(nursery, "invitation:1", "new@example.org")
    failed(nursery, "feedback:1:2", "sam@example.org", kind="End-of-session feedback")
    OutgoingMail.objects.create(key="sent", kind="X", nursery_id=nursery.pk, to="done@example.org", status="sent")
    failed(other_nursery, "invitation:2", "elsewhere@example.org")

    page = login(manager).get(reverse("nursery:undelivered_mail")).content.decode()

    assert "new@example.org" in page
    assert "End-of-session feedback" in page
    assert "Connection unexpectedly closed" in page
    assert "done@example.org" not in page
    assert "elsewhere@example.org" not in page
    assert "new@example.org" not in login(other_manager).get(reverse("nursery:undelivered_mail")).content.decode()


def test_the_manager_can_try_a_failed_email_again(login, manager, nursery, django_capture_on_commit_callbacks):
    row = failed(nursery, "invitation:1", "new@example.org")
    row.status = OutgoingMail.Status.FAILED
    row.save()
    client = login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nursery:retry_mail", args=[row.pk]))

    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert mail.outbox[0].to == ["new@example.org"]
    assert "Every e-mail has been delivered" in client.get(reverse("nursery:undelivered_mail")).content.decode()


def test_another_nurserys_manager_cannot_retry_an_email(login, other_manager, nursery):
    row = failed(nursery, "invitation:1", "new@example.org")
    assert login(other_manager).post(reverse("nursery:retry_mail", args=[row.pk])).status_code == 404


def test_a_failed_retry_stays_on_the_page(login, manager, nursery, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, *args, **kwargs):
        raise SMTPServerDisconnected("Still down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    row = failed(nursery, "invitation:1", "new@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        login(manager).post(reverse("nursery:retry_mail", args=[row.pk]))
    assert [m.pk for m in outbox.undelivered_mail([nursery.pk])] == [row.pk]
    assert "Still down" in OutgoingMail.objects.get().last_error
