"""A manager resets a colleague's two-step sign-in (and it is logged), and asks it of all staff."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.tests.two_factor import STEP_SECONDS, app_code, set_up_app, sign_in
from nursery.models import NurseryGroup, StaffMember
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 5, 11, 8, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def reset(client, member: StaffMember):
    return client.post(reverse("nursery:reset_staff_two_factor", args=[member.pk]), follow=True)


def test_a_manager_resets_a_practitioners_two_step_sign_in_and_it_is_logged(login, manager, practitioner_post):
    set_up_app(practitioner_post.user)
    client = login(manager)
    page = client.get(reverse("nursery:edit_staff", args=[practitioner_post.pk])).content.decode()
    assert "Reset Priya Practitioner's two-step sign-in" in page

    page = reset(client, practitioner_post).content.decode()

    assert "Priya Practitioner&#x27;s two-step sign-in is reset. They set it up again next time" in page
    assert "Last reset on 11 May 2026, 09:00 by Maya Manager" in page
    assert not TOTPDevice.objects.filter(user=practitioner_post.user).exists()
    assert not StaticDevice.objects.filter(user=practitioner_post.user).exists()
    event = SecurityEvent.objects.get(user=practitioner_post.user, kind=SecurityEvent.Kind.TWO_FACTOR_RESET)
    assert event.by == manager
    assert event.note == "by a manager of Rainbow Nursery"


def test_a_practitioner_cannot_reset_a_managers(login, manager, practitioner, nursery):
    set_up_app(manager)
    post = StaffMember.objects.get(user=manager, nursery=nursery)
    assert login(practitioner).post(reverse("nursery:reset_staff_two_factor", args=[post.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_another_nurserys_staff_are_not_found(login, other_manager, practitioner_post):
    set_up_app(practitioner_post.user)
    response = login(other_manager).post(reverse("nursery:reset_staff_two_factor", args=[practitioner_post.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=practitioner_post.user).exists()


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("self", "You cannot reset your own"),
        ("manager_by_deputy", "Only a manager can reset"),
        ("group_owner", "runs the nursery group"),
        ("without_app", "has not set up two-step sign-in"),
        ("manager_elsewhere", "also helps run Oak Nursery: a manager there resets it"),
        ("deputy_elsewhere", "also helps run Oak Nursery: a manager there resets it"),
    ],
)
def test_some_resets_are_refused_with_the_reason(login, manager, nursery, practitioner_post, who, refusal):
    deputy = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY)
    manager_post = StaffMember.objects.get(user=manager)
    acting, target = {
        "self": (manager, manager_post),
        "manager_by_deputy": (deputy.user, manager_post),
        "group_owner": (manager, deputy),
        "without_app": (manager, deputy),
        "manager_elsewhere": (manager, practitioner_post),
        "deputy_elsewhere": (manager, practitioner_post),
    }[who]
    if who == "group_owner":
        NurseryGroup.objects.create(name="Rainbow Group").owners.add(deputy.user)
    if who.endswith("_elsewhere"):  # a practitioner here, who manages (or deputises at) another nursery
        role = StaffMember.Role.MANAGER if who == "manager_elsewhere" else StaffMember.Role.DEPUTY
        StaffMemberFactory(user=practitioner_post.user, nursery__name="Oak Nursery", role=role)
    if who != "without_app":
        set_up_app(target.user)

    client = login(acting)
    post_page = client.get(reverse("nursery:edit_staff", args=[target.pk])).content.decode()
    if who != "without_app":  # that page says it is not set up instead
        assert refusal in post_page  # said before anyone presses a button that could only be refused
    assert "two-step sign-in</button>" not in post_page
    page = reset(client, target).content.decode()

    assert refusal in page
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).exists()


@pytest.mark.two_factor
def test_after_a_reset_the_practitioner_sets_it_up_again_when_the_nursery_asks_all_staff(
    client, manager, practitioner_post, nursery, clock
):
    nursery.staff_two_factor_required = True
    nursery.save()
    device, _ = set_up_app(practitioner_post.user)
    clock.shift(STEP_SECONDS)
    sign_in(client, practitioner_post.user)
    client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device)})
    assert client.get(reverse("children:list")).status_code == 200

    managers = client.__class__()
    managers_device, _ = set_up_app(manager)
    clock.shift(STEP_SECONDS)
    sign_in(managers, manager)
    managers.post(reverse("accounts:two_factor_verify"), {"code": app_code(managers_device)})
    reset(managers, practitioner_post)

    # Their session no longer counts as past the second step: they set up their new phone.
    assert client.get(reverse("children:list")).url.startswith(reverse("accounts:two_factor_setup"))


def test_a_manager_asks_all_staff_to_use_two_step_sign_in_on_the_nursery_details_page(login, manager, nursery):
    client = login(manager)
    page = client.get(reverse("nursery:details")).content.decode()
    assert "All staff use two-step sign-in" in page

    client.post(
        reverse("nursery:details"), {"name": "Rainbow Nursery", "address": "1 Lane", "staff_two_factor_required": "on"}
    )

    nursery.refresh_from_db()
    assert nursery.staff_two_factor_required
    assert "All staff use two-step sign-in." in client.get(reverse("nursery:setup")).content.decode()


def test_the_staff_post_page_says_whether_two_step_sign_in_is_on(login, manager, practitioner_post, nursery):
    client = login(manager)
    url = reverse("nursery:edit_staff", args=[practitioner_post.pk])
    assert "Not set up: Priya Practitioner signs in with a password only." in client.get(url).content.decode()
    nursery.staff_two_factor_required = True
    nursery.save()
    assert "They are asked to set it up the next time they open KeyStory." in client.get(url).content.decode()
    set_up_app(practitioner_post.user)
    assert "On since 11 May 2026" in client.get(url).content.decode()
