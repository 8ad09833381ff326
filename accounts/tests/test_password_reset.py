"""Password reset: the e-mailed link (through the outbox), and pages that give nothing away."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import OutgoingMail
from core.tasks import send_due_mail
from tests.helpers import link_path_in

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    """The page's main content (the shell around it carries a per-request CSRF token)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_password_reset_emails_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "sam@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    form_page = client.get(link_path_in(mail.outbox[0]), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret", "new_password2": "a-brand-new-secret"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret")


def test_the_reset_link_is_built_from_site_url_not_from_the_request(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://keystory.example.org"
    UserFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "sam@example.org"})

    link = next(line for line in mail.outbox[0].body.splitlines() if "://" in line)

    assert link.startswith("https://keystory.example.org/accounts/")
    assert "testserver" not in mail.outbox[0].body


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("accounts:password_reset"), {"email": "sam@example.org"}, follow=True)
        unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert main_text(known) == main_text(unknown)
    assert len(mail.outbox) == 1


def test_a_reset_asked_while_the_mail_server_is_down_is_sent_by_the_sweep(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    UserFactory(email="sam@example.org")

    def refuse(backend, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "sam@example.org"})
    assert response.status_code == 302
    queued = OutgoingMail.objects.get()
    assert (queued.kind, queued.attempts, queued.status) == ("Password reset", 1, OutgoingMail.Status.PENDING)
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert send_due_mail() == 1
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]


def test_a_used_or_forged_reset_link_explains_itself(client):
    user = UserFactory()
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MTIzNA", "token": "forged-token"})
    )
    assert response.status_code == 200
    assert "expired or was already used" in response.content.decode()
    assert user.check_password("correct-horse-battery")
