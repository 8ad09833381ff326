"""Two-step sign-in: the code step after the password, who must set it up, recovery codes, trusting a tablet,
wrong codes, and a manager resetting a colleague's.

These tests go through the real steps (marker ``two_factor``): ``force_login`` does not pass the second step.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor import STEP_SECONDS, app_code, set_up_app, sign_in
from accounts.two_factor import trust_cookie_name
from nursery.models import NurseryGroup, StaffMember
from nursery.tests.factories import StaffMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

# 09:00 in London on a weekday; the tests below move on from here in steps and hours.
MORNING = datetime(2026, 5, 11, 8, 0, tzinfo=UTC)
CODE = reverse("accounts:two_factor_verify")
SET_UP = reverse("accounts:two_factor_setup")


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def managers_app(manager, clock):
    device, codes = set_up_app(manager)
    clock.shift(STEP_SECONDS)  # the code that set it up is spent
    return device, codes


def type_code(client, code: str, *, trust: bool = False, next_url: str = ""):
    data = {"code": code, "next": next_url}
    if trust:
        data["trust"] = "on"
    return client.post(CODE, data)


def test_a_manager_with_an_app_types_a_code_after_the_password_before_any_page_opens(client, manager, managers_app):
    device, _ = managers_app
    assert sign_in(client, manager).url == reverse("home")
    wanted = reverse("children:list")
    response = client.get(wanted)
    assert response.status_code == 302
    assert response.url == f"{CODE}?next={wanted.replace('/', '%2F')}"

    response = type_code(client, app_code(device), next_url=wanted)

    assert response.url == wanted
    assert client.get(wanted).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message_and_nothing_opens(client, manager, managers_app):
    sign_in(client, manager)
    page = type_code(client, "000000").content.decode()
    assert "That code is not right" in page
    assert client.get(reverse("children:list")).url.startswith(CODE)


def test_wrong_codes_in_a_row_make_the_next_try_wait_with_a_message(client, manager, managers_app, clock):
    device, _ = managers_app
    sign_in(client, manager)
    type_code(client, "000000")
    type_code(client, "111111")  # too soon after the first: refused without being tried

    refused = type_code(client, app_code(device)).content.decode()
    assert "Too many wrong codes in a row. Wait" in refused
    clock.shift(5)
    assert type_code(client, app_code(device)).status_code == 302


def test_a_recovery_code_signs_in_once_and_is_then_used_up(client, manager, managers_app, clock):
    _, codes = managers_app
    sign_in(client, manager)
    response = type_code(client, codes[0].upper())
    assert response.status_code == 302
    assert client.get(reverse("children:list")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.post(reverse("accounts:logout"))
    sign_in(client, manager)
    assert "That code is not right" in type_code(client, codes[0]).content.decode()
    clock.shift(2)  # after a wrong code the next waits a second
    assert type_code(client, codes[1]).status_code == 302


def test_recovery_codes_are_shown_once_and_new_ones_replace_the_old(client, manager, managers_app):
    _, codes = managers_app
    sign_in(client, manager)
    type_code(client, codes[0])
    page = client.get(reverse("accounts:two_factor_recovery_codes")).content.decode()
    assert codes[1] not in page
    assert "9 unused recovery codes" in page

    client.post(reverse("accounts:two_factor_recovery_codes"))
    new_codes = list(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    shown = client.get(reverse("accounts:two_factor_recovery_codes")).content.decode()
    assert len(new_codes) == 10
    assert all(code in shown for code in new_codes)
    assert new_codes[0] not in client.get(reverse("accounts:two_factor_recovery_codes")).content.decode()
    assert not StaticToken.objects.filter(token__in=codes[1:]).exists()
    assert SecurityEvent.objects.filter(user=manager, kind=SecurityEvent.Kind.RECOVERY_CODES).exists()


def test_a_manager_without_an_app_sets_it_up_before_anything_else(client, manager, clock):
    sign_in(client, manager)
    response = client.get(reverse("children:list"))
    assert response.url.startswith(SET_UP)

    page = client.get(SET_UP).content.decode()
    assert "Managers use two-step sign-in" in page
    assert '<svg class="qr-code"' not in page
    assert 'class="qr-code" role="img"' in page
    assert "style=" not in page.split('class="qr-code"')[1].split("</svg>")[0]  # the CSP allows no inline style
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert "That code is not right" in client.post(SET_UP, {"code": "000000"}).content.decode()
    clock.shift(5)
    assert client.post(SET_UP, {"code": "12 34"}).status_code == 200  # too short: said so, nothing saved

    response = client.post(SET_UP, {"code": app_code(device), "next": reverse("children:list")})

    assert response.url.startswith(reverse("accounts:two_factor_recovery_codes"))
    page = client.get(response.url).content.decode()
    codes = StaticToken.objects.filter(device__user=manager).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(code in page for code in codes)
    assert client.get(reverse("children:list")).status_code == 200  # this session passed the second step
    assert SecurityEvent.objects.filter(user=manager, by=manager, kind=SecurityEvent.Kind.TWO_FACTOR_ON).exists()


def test_the_set_up_page_keeps_the_same_secret_when_reloaded(client, manager):
    sign_in(client, manager)
    client.get(SET_UP)
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_someone_with_an_app_cannot_set_up_another_without_the_code(client, manager, managers_app):
    sign_in(client, manager)
    assert client.get(SET_UP).url == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_a_practitioner_chooses_unless_the_nursery_asks_all_staff(client, practitioner, nursery):
    sign_in(client, practitioner)
    assert client.get(reverse("children:list")).status_code == 200

    nursery.staff_two_factor_required = True
    nursery.save()

    assert client.get(reverse("children:list")).url.startswith(SET_UP)
    assert "Rainbow Nursery asks all its staff" in client.get(SET_UP).content.decode()


def test_a_deputy_has_a_managers_rights_and_must_set_it_up_too(client, nursery):
    deputy = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY).user
    sign_in(client, deputy)
    assert client.get(reverse("home")).url.startswith(SET_UP)


def test_a_group_owner_must_set_it_up(client):
    owner = UserFactory()
    NurseryGroup.objects.create(name="Sunbeams").owners.add(owner)
    sign_in(client, owner)
    assert client.get(reverse("home")).url.startswith(SET_UP)


def test_with_the_requirement_off_a_manager_is_not_forced_but_an_app_they_set_up_is_asked(
    client, manager, settings, clock
):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in(client, manager)
    assert client.get(reverse("children:list")).status_code == 200
    client.post(reverse("accounts:logout"))

    set_up_app(manager)
    sign_in(client, manager)
    assert client.get(reverse("children:list")).url.startswith(CODE)


def test_a_parent_turns_it_on_from_their_account_page_and_off_with_their_password(client, parent, clock):
    sign_in(client, parent)
    assert client.get(reverse("keyworker:my_children")).status_code == 200  # parents choose
    assert "Turn on two-step sign-in" in client.get(reverse("accounts:two_factor")).content.decode()
    client.get(SET_UP)
    client.post(SET_UP, {"code": app_code(TOTPDevice.objects.get(user=parent))})
    assert "On: after your password" in client.get(reverse("accounts:two_factor")).content.decode()

    wrong = client.post(reverse("accounts:two_factor_off"), {"password": "not-my-password"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=parent).exists()

    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})

    assert not TOTPDevice.objects.filter(user=parent).exists()
    assert SecurityEvent.objects.filter(user=parent, kind=SecurityEvent.Kind.TWO_FACTOR_OFF).exists()
    client.post(reverse("accounts:logout"))
    sign_in(client, parent)
    assert client.get(reverse("keyworker:my_children")).status_code == 200


def test_a_manager_cannot_turn_it_off_only_move_it_to_a_new_phone(client, manager, managers_app):
    device, _ = managers_app
    sign_in(client, manager)
    type_code(client, app_code(device))
    response = client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert response.url == SET_UP
    assert client.get(reverse("children:list")).url.startswith(SET_UP)


def test_trusting_the_tablet_skips_the_code_for_12_hours_and_never_longer(client, manager, managers_app, clock):
    device, _ = managers_app
    sign_in(client, manager)
    response = type_code(client, app_code(device), trust=True)
    cookie = response.cookies[trust_cookie_name(manager)]
    assert cookie["max-age"] == 12 * 60 * 60
    assert cookie["httponly"]
    client.post(reverse("accounts:logout"))

    clock.shift(timedelta(hours=11, minutes=50))
    sign_in(client, manager)
    assert client.get(reverse("children:list")).status_code == 200  # no code asked

    clock.shift(timedelta(minutes=11))  # 12 hours and a minute since the code: the same session asks again
    assert client.get(reverse("children:list")).url.startswith(CODE)
    client.post(reverse("accounts:logout"))
    sign_in(client, manager)
    assert client.get(reverse("children:list")).url.startswith(CODE)


def test_a_trusted_tablet_is_trusted_for_that_person_and_that_app_only(client, manager, managers_app, nursery, clock):
    device, _ = managers_app
    deputy = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY).user
    set_up_app(deputy)
    sign_in(client, manager)
    type_code(client, app_code(device), trust=True)
    client.post(reverse("accounts:logout"))

    sign_in(client, deputy)
    assert client.get(reverse("children:list")).url.startswith(CODE)
    client.post(reverse("accounts:logout"))

    # The manager's app is set up again (a new phone): the old trust goes with the old app.
    TOTPDevice.objects.filter(user=manager).delete()
    set_up_app(manager)
    sign_in(client, manager)
    assert client.get(reverse("children:list")).url.startswith(CODE)


def test_a_forged_trust_cookie_is_ignored(client, manager, managers_app):
    client.cookies[trust_cookie_name(manager)] = "e30:1abc:forged"
    sign_in(client, manager)
    assert client.get(reverse("children:list")).url.startswith(CODE)


def test_on_the_code_step_one_can_still_log_out(client, manager, managers_app):
    sign_in(client, manager)
    assert client.post(reverse("accounts:logout")).url == reverse("accounts:login")
    assert client.get(reverse("children:list")).url.startswith(reverse("accounts:login"))


def test_the_code_step_goes_only_to_pages_of_this_site(client, manager, managers_app):
    device, _ = managers_app
    sign_in(client, manager)
    assert type_code(client, app_code(device), next_url="https://evil.example/").url == reverse("home")


def test_an_htmx_request_before_the_code_step_sends_the_whole_page_there(client, manager, managers_app):
    sign_in(client, manager)
    response = client.get(reverse("children:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == CODE


def test_wrong_passwords_still_lock_the_account_before_any_code_is_asked(client, manager, managers_app, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, manager, password="guess")
    assert sign_in(client, manager).status_code == 429
