"""Invitations: the e-mailed link (queued once in the outbox), accepting it, and what makes it stop working."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import resolve, reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from accounts.tests.factories import PASSWORD, InvitationFactory, UserFactory
from core.models import OutgoingMail
from core.outbox import mail_status
from core.tasks import send_due_mail, send_outgoing_mail
from tests.helpers import link_path_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "bluebells-in-spring"


def accept_url(invitation: Invitation) -> str:
    return reverse("accounts:accept_invitation", kwargs={"token": services.invitation_token(invitation)})


def invite(email: str = "tom@example.org") -> services.Invited:
    return services.create_invitation(email=email, full_name="Tom", invited_by=None, nursery_id=None)


def accept(client, invitation: Invitation, **data):
    fields = {"full_name": "Sam Taylor", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **data}
    return client.post(accept_url(invitation), fields)


def test_invitation_email_carries_a_link_that_opens_the_set_password_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = invite("New.Person@Example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    # The link itself, not a fresh one: the token carries a timestamp, so rebuilding it a second later differs.
    path = link_path_in(mail.outbox[0])
    assert services.invitation_from_token(resolve(path).kwargs["token"]) == invited.invitation
    assert mail_status(key=invited.invitation.mail_key).status == OutgoingMail.Status.SENT
    assert "Choose a password" in client.get(path).content.decode()


def test_accepting_an_invitation_creates_the_account_and_logs_in(client):
    invitation = InvitationFactory(email="sam@example.org")
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(email="sam@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == "Sam Taylor"
    assert client.get(reverse("home")).status_code in (200, 302)
    assert "_auth_user_id" in client.session


def test_an_invitation_link_works_only_once(client):
    invitation = InvitationFactory()
    accept(client, invitation)
    client.logout()
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_invitation_says_to_ask_for_a_new_one(client):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    response = accept(client, invitation)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "1:abc:def", "%00"])
def test_a_malformed_invitation_link_gets_a_clear_page_not_an_error(client, token):
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": token}))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_sending_a_new_link_makes_the_old_one_stop_working(client, django_capture_on_commit_callbacks):
    invitation = InvitationFactory()
    old_url = accept_url(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation=invitation, nursery_id=None)
    assert client.get(old_url).status_code == 410
    assert client.get(accept_url(invitation)).status_code == 200


def test_a_cancelled_invitation_cannot_be_accepted(client):
    invitation = InvitationFactory()
    services.revoke_invitation(invitation=invitation)
    assert "cancelled" in accept(client, invitation).content.decode()


def test_a_weak_password_is_refused_with_a_reason_and_the_name_is_kept(client):
    invitation = InvitationFactory()
    response = accept(client, invitation, full_name="Sam Q Taylor", password1="12345678", password2="12345678")
    assert response.status_code == 200
    page = response.content.decode()
    assert "too short" in page or "too common" in page
    assert 'value="Sam Q Taylor"' in page
    assert not User.objects.filter(email=invitation.email).exists()


def test_someone_with_an_account_confirms_their_password_to_accept(client):
    existing = UserFactory(email="priya@example.org")
    invitation = InvitationFactory(email="priya@example.org")
    assert "already have a KeyStory account" in client.get(accept_url(invitation)).content.decode()

    wrong = client.post(accept_url(invitation), {"password": "not-mine"})
    assert "not the password" in wrong.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    right = client.post(accept_url(invitation), {"password": PASSWORD})
    assert right.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_by == existing


def test_an_invitation_email_delivered_twice_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = invite()
    queued = mail_status(key=invited.invitation.mail_key)
    assert send_outgoing_mail.delay(queued.pk).get() is False  # a retried task, or a second worker
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert send_due_mail() == 0
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]


def test_each_new_link_is_a_new_email_and_replaces_one_not_yet_sent(broker_down, django_capture_on_commit_callbacks):
    from conftest import use_broker

    with django_capture_on_commit_callbacks(execute=True):
        invited = invite()  # the broker is down: saved, not sent
    first_key = invited.invitation.mail_key
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation=invited.invitation, nursery_id=None)
    assert mail_status(key=first_key).status == OutgoingMail.Status.CANCELLED
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert send_due_mail() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(invitation=invited.invitation, nursery_id=None)
    assert [m.to for m in mail.outbox] == [["tom@example.org"], ["tom@example.org"]]
    newest = Invitation.objects.get()
    assert link_path_in(mail.outbox[-1]) == accept_url(newest)


def test_the_sweep_sends_invitations_whose_email_never_went(broker_down, django_capture_on_commit_callbacks):
    from conftest import use_broker

    with django_capture_on_commit_callbacks(execute=True):
        unsent = invite("unsent@example.org").invitation
        cancelled = invite("cancelled@example.org").invitation
    services.revoke_invitation(invitation=cancelled)
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert send_due_mail.delay().get() == 1
        assert send_due_mail.delay().get() == 0
    assert [m.to for m in mail.outbox] == [[unsent.email]]


def test_when_the_mail_server_is_down_the_invitation_is_kept_for_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def refuse(backend, messages):
        attempts.extend(message.to for message in messages)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        invited = invite()

    assert attempts == [["tom@example.org"]]  # tried once, not retried inside the web request
    queued = mail_status(key=invited.invitation.mail_key)
    assert (queued.status, queued.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "mail server down" in queued.last_error
    monkeypatch.undo()  # the mail server is back
    with time_machine.travel(queued.retry_after):
        assert send_due_mail() == 1
        assert send_due_mail() == 0
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]


def test_run_sweeps_runs_every_periodic_job_once_for_cron(capsys, broker_down, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from conftest import use_broker

    with django_capture_on_commit_callbacks(execute=True):
        unsent = invite().invitation
    use_broker("memory://", eager=True)  # the broker is back
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        call_command("run_sweeps")
    assert "send-due-mail: 1" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [[unsent.email]]


def test_guessing_an_existing_accounts_password_on_the_invitation_page_is_throttled(client, settings):
    UserFactory(email="priya@example.org")
    invitation = InvitationFactory(email="priya@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(accept_url(invitation), {"password": "guess"})
    response = client.post(accept_url(invitation), {"password": PASSWORD})
    assert response.status_code == 429
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
