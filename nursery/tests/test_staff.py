"""Inviting staff, the invitation's e-mail through the outbox, and the staff list."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from core.models import OutgoingMail
from core.tasks import send_due_mail
from nursery.models import StaffMember
from tests.helpers import link_path_in

pytestmark = pytest.mark.django_db


def invite(client, **data):
    fields = {"full_name": "Tom Hughes", "email": "tom@example.org", "role": "practitioner", "job_title": "", **data}
    return client.post(reverse("nursery:invite_staff"), fields)


def test_manager_invites_a_practitioner_who_joins_the_nursery(
    login, manager, nursery, room, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(login(manager), room=room.pk)
    assert response.status_code == 302
    accepted = client.post(
        link_path_in(mail.outbox[0]),
        {"full_name": "Tom Hughes", "password1": "rainbow-trout-9", "password2": "rainbow-trout-9"},
    )
    assert accepted.status_code == 302
    post = StaffMember.objects.get(user__email="tom@example.org")
    assert (post.nursery, post.role, post.room) == (nursery, "practitioner", room)
    assert client.get(reverse("home")).url == reverse("keyworker:my_key_children")


def test_inviting_someone_who_already_works_here_is_refused(login, manager, practitioner):
    response = invite(login(manager), email=practitioner.email.upper())
    assert response.status_code == 200
    assert "already works here" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_invitation_with_a_bad_email_keeps_what_was_typed(login, manager):
    response = invite(login(manager), email="tom-at-example")
    page = response.content.decode()
    assert "Enter a valid email address" in page
    assert 'value="Tom Hughes"' in page


def test_staff_page_lists_only_this_nurserys_staff(login, manager, practitioner, other_manager):
    page = login(manager).get(reverse("nursery:staff")).content.decode()
    assert practitioner.full_name in page
    assert other_manager.full_name not in page


def test_a_manager_cannot_cancel_another_nurserys_invitation(login, manager, other_manager, nursery):
    from nursery.services import invite_staff

    grant = invite_staff(
        nursery=nursery, email="x@example.org", full_name="X", role="practitioner", invited_by=manager
    ).invitation.staff_grant
    response = login(other_manager).post(reverse("nursery:cancel_staff_invitation", args=[grant.pk]))
    assert response.status_code == 404
    grant.invitation.refresh_from_db()
    assert grant.invitation.revoked_at is None


def test_the_staff_page_says_whether_each_invitation_email_went(
    login, manager, broker_down, django_capture_on_commit_callbacks
):
    from conftest import use_broker

    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    assert ">Waiting to send<" in client.get(reverse("nursery:staff")).content.decode()
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        send_due_mail()
    assert ">Sent<" in client.get(reverse("nursery:staff")).content.decode()


def test_a_new_link_is_a_new_email_and_cancelling_stops_one_not_yet_sent(
    login, manager, nursery, broker_down, django_capture_on_commit_callbacks
):
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    grant = Invitation.objects.get().staff_grant
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nursery:resend_staff_invitation", args=[grant.pk]))
    first, second = OutgoingMail.objects.order_by("pk")
    assert (first.status, second.status) == (OutgoingMail.Status.CANCELLED, OutgoingMail.Status.PENDING)
    assert (second.kind, second.nursery_id, second.to) == ("Invitation", nursery.pk, "tom@example.org")

    client.post(reverse("nursery:cancel_staff_invitation", args=[grant.pk]))
    second.refresh_from_db()
    assert second.status == OutgoingMail.Status.CANCELLED
    assert mail.outbox == []
