"""Logging in and out, lock-outs after wrong passwords, changing a password, and the security headers."""

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_person_logs_in_with_their_email_in_any_capitalisation(client):
    UserFactory(email="sam.taylor@example.org")
    response = post_login(client, "Sam.Taylor@Example.ORG", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client):
    UserFactory(email="sam@example.org")
    response = post_login(client, "sam@example.org", "not-the-password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert 'value="sam@example.org"' in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, settings):
    UserFactory(email="sam@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "sam@example.org", "guess")
    response = post_login(client, "sam@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_logging_out_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("accounts:login"))


def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_changing_password_needs_the_old_one_and_keeps_the_person_logged_in(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    new = {"new_password1": "daffodil-meadow", "new_password2": "daffodil-meadow"}
    wrong = client.post(url, {"old_password": "nope", **new})
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    right = client.post(url, {"old_password": PASSWORD, **new})
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password("daffodil-meadow")
    assert client.get(reverse("keyworker:my_children")).status_code == 200
