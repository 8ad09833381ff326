"""Whoever can open the admin site passes two-step sign-in first, like a manager: a password alone is not enough.

These tests go through the real steps (marker ``two_factor``): ``force_login`` does not pass the second step.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tests.two_factor import STEP_SECONDS, app_code, set_up_app, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

ADMIN = reverse("admin:index")


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 5, 11, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_someone_who_can_open_the_admin_site_sets_up_two_step_sign_in_before_it_opens(client, flags):
    admin = UserFactory(**flags)
    sign_in(client, admin)

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "administration site" in page


def test_the_admin_site_opens_only_after_the_code_from_the_app(client, clock):
    admin = UserFactory(is_superuser=True, is_staff=True)
    device, _ = set_up_app(admin)
    clock.shift(STEP_SECONDS)
    sign_in(client, admin)
    assert client.get(ADMIN).url.startswith(reverse("accounts:two_factor_verify"))

    client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device)})

    assert client.get(ADMIN).status_code == 200


def test_the_admin_rule_follows_the_install_setting(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin)

    assert client.get(ADMIN).status_code == 200
