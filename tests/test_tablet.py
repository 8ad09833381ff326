"""tablet: a room's shared tablet; staff switch in with a PIN, it locks when left, and a PIN opens no
manager's page, export or download."""

import uuid
from datetime import date, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import pins
from accounts.models import TabletPin
from accounts.tablet import PIN_SESSION_KEY
from children.day import services as day_services
from children.day.models import CareEntry
from children.day.selectors import moment
from learning_stories.models import Framework, Observation
from nursery import tablets
from nursery.models import StaffMember, TabletDevice
from nursery.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db
PIN = "2468"
# Half past ten on a Wednesday, so the care log's "now" is a working morning.
NOW = moment(date(2026, 3, 4), time(10, 30))


def make_tablet(room, manager, name="Butterflies tablet") -> TabletDevice:
    device, token = tablets.create_tablet(room=room, name=name, by=manager)
    device.token = token
    return device


@pytest.fixture
def tablet(room, manager):
    return make_tablet(room, manager)


def on(device) -> Client:
    client = Client()
    client.cookies[tablets.COOKIE_NAME] = device.token
    return client


def switch_in(client, post, pin=PIN):
    return client.post(reverse("nursery:tablet_switch_in", args=[post.pk]), {"pin": pin})


@pytest.fixture
def with_pin(practitioner):
    pins.set_pin(user=practitioner, pin=PIN)
    return practitioner


@pytest.fixture
def switched_in(tablet, practitioner_post, with_pin):
    client = on(tablet)
    assert switch_in(client, practitioner_post).status_code == 302
    return client


# --- PINs -------------------------------------------------------------------------------------------------


def test_a_member_of_staff_sets_a_pin_which_is_kept_only_as_a_hash(login, practitioner):
    response = login(practitioner).post(reverse("nursery:my_pin"), {"pin": "2580", "pin_again": "2580"})
    assert response.status_code == 400  # a keypad column: refused
    response = login(practitioner).post(reverse("nursery:my_pin"), {"pin": "73915", "pin_again": "73915"})
    assert response.status_code == 302
    stored = TabletPin.objects.get(user=practitioner)
    assert "73915" not in stored.pin
    assert check_password("73915", stored.pin)


@pytest.mark.parametrize(
    ("pin", "says"),
    [
        ("0000", "one digit repeated"),
        ("1234", "digits in a row"),
        ("654321", "digits in a row"),
        ("1212", "many people choose"),
        ("123", "4, 5 or 6 digits"),
        ("12a4", "4, 5 or 6 digits"),
        ("1234567", "4, 5 or 6 digits"),
    ],
)
def test_a_trivial_or_malformed_pin_is_refused_with_a_clear_message(login, practitioner, pin, says):
    response = login(practitioner).post(reverse("nursery:my_pin"), {"pin": pin, "pin_again": pin})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not TabletPin.objects.exists()


def test_two_different_pins_are_refused(login, practitioner):
    response = login(practitioner).post(reverse("nursery:my_pin"), {"pin": "7391", "pin_again": "7392"})
    assert "The two PINs are different" in response.content.decode()
    assert not TabletPin.objects.exists()


def test_a_pin_session_cannot_set_or_change_the_pin(switched_in, practitioner):
    response = switched_in.post(reverse("nursery:my_pin"), {"pin": "7391", "pin_again": "7391"})
    assert response.status_code == 403
    assert "Sign in fully for this page" in response.content.decode()
    assert check_password(PIN, TabletPin.objects.get(user=practitioner).pin)


def test_a_parent_cannot_set_a_pin(login, parent):
    assert login(parent).get(reverse("nursery:my_pin")).status_code == 403


# --- The tablet -------------------------------------------------------------------------------------------


def test_making_a_browser_a_tablet_needs_a_manager_and_sets_a_secure_long_lived_cookie(
    login, manager, practitioner, room, settings
):
    settings.SESSION_COOKIE_SECURE = True
    assert login(practitioner).post(reverse("nursery:tablets"), {"room": room.pk, "name": "Door"}).status_code == 403
    client = login(manager)
    response = client.post(reverse("nursery:tablets"), {"room": room.pk, "name": "Door"})
    assert response.status_code == 302
    assert response.url == reverse("nursery:tablet")
    cookie = response.cookies[tablets.COOKIE_NAME]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 300 * 24 * 60 * 60
    device = TabletDevice.objects.get()
    assert device.room == room
    assert device.created_by == manager
    assert cookie.value not in device.token_hash  # only a hash is kept
    # The manager is signed out on the tablet; it shows the room.
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("nursery:tablet"))
    assert "using the tablet?" in page.content.decode()


def test_a_tablet_with_nobody_switched_in_shows_the_room_and_sends_every_other_page_there(
    tablet, child, practitioner_post, manager, parent
):
    client = on(tablet)
    page = client.get(reverse("nursery:tablet")).content.decode()
    assert "Ava Taylor" in page
    assert "Priya Practitioner" in page
    assert "Maya Manager" in page
    assert page.index("Priya Practitioner") < page.index("Maya Manager")
    assert "Sam Taylor" not in page  # parents are never offered
    for url in (reverse("home"), reverse("children:list"), reverse("nursery:staff")):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("nursery:tablet")), url


@pytest.mark.parametrize("name", ["service_worker", "manifest", "offline", "accessibility"])
def test_a_locked_tablet_can_still_install_the_app_and_open_the_accessibility_statement(tablet, name):
    assert on(tablet).get(reverse(name)).status_code == 200


def test_a_locked_tablet_can_still_choose_english_or_welsh(tablet):
    response = on(tablet).post(reverse("accounts:language"), {"language": "cy"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"  # the choice reached the view


def test_an_ordinary_browser_has_no_tablet_page(login, practitioner):
    assert login(practitioner).get(reverse("nursery:tablet")).status_code == 404
    assert Client().get(reverse("nursery:tablet")).status_code == 404


def test_switching_in_with_the_right_pin_makes_the_session_that_persons(tablet, practitioner_post, with_pin):
    client = on(tablet)
    response = switch_in(client, practitioner_post)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == with_pin.pk
    assert client.session[PIN_SESSION_KEY] == tablet.pk
    page = client.get(reverse("children:list"))
    assert page.status_code == 200
    assert "Lock" in page.content.decode()
    # The outbox on the tablet follows the person switched in.
    assert f'<meta name="keystory-user" content="{with_pin.pk}">' in page.content.decode()


def test_a_wrong_pin_says_so_and_switches_nobody_in(tablet, practitioner_post, with_pin):
    client = on(tablet)
    response = switch_in(client, practitioner_post, pin="1357")
    assert response.status_code == 200
    assert "That PIN is not right. 4 more wrong PINs and it will be locked." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_pins_lock_the_pin_on_every_tablet_until_the_next_full_sign_in(
    room, manager, practitioner_post, with_pin
):
    first, second = make_tablet(room, manager, "One"), make_tablet(room, manager, "Two")
    for _ in range(3):
        switch_in(on(first), practitioner_post, pin="1357")
    for _ in range(2):
        response = switch_in(on(second), practitioner_post, pin="1357")
    assert "Your PIN is locked after 5 wrong tries" in response.content.decode()
    assert "Sign in with your e-mail address and password" in response.content.decode()
    # The right PIN, on another tablet, does not open it either.
    third = make_tablet(room, manager, "Three")
    client = on(third)
    response = switch_in(client, practitioner_post)
    assert "Your PIN is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session

    Client().force_login(with_pin)  # a full sign-in (password and second step) unlocks it
    assert switch_in(client, practitioner_post).status_code == 302
    assert int(client.session["_auth_user_id"]) == with_pin.pk


def test_a_locked_pin_is_unlocked_only_when_the_second_sign_in_step_is_done(practitioner, with_pin):
    from accounts.tests.two_factor import STEP_SECONDS, app_code, set_up_app, sign_in

    with time_machine.travel(NOW, tick=False) as clock:
        device, _codes = set_up_app(practitioner)
        TabletPin.objects.filter(user=practitioner).update(failures=5, locked_at=timezone.now())
        clock.shift(timedelta(seconds=STEP_SECONDS))
        client = Client()
        assert sign_in(client, practitioner).status_code == 302  # e-mail and password: the first step only
        assert pins.is_locked(practitioner)
        client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device)})
        assert client.session.get("otp_device_id")  # the second step passed
        assert not pins.is_locked(practitioner)


def test_wrong_pins_on_a_tablet_are_throttled_whoever_they_are_for(tablet, nursery, room, practitioner_post, with_pin):
    others = [StaffMemberFactory(nursery=nursery, room=room) for _ in range(3)]
    for post in others:  # one wrong PIN each: nobody is locked, but the tablet has had enough (3 in tests)
        pins.set_pin(user=post.user, pin="7391")
        switch_in(on(tablet), post, pin="1357")
    client = on(tablet)
    response = switch_in(client, practitioner_post)
    assert "Too many wrong PINs on this tablet. Wait 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not pins.is_locked(with_pin)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert switch_in(client, practitioner_post).status_code == 302


def test_the_tablet_locks_after_the_nurserys_idle_minutes(tablet, nursery, practitioner_post, with_pin):
    nursery.tablet_idle_minutes = 10
    nursery.save()
    with time_machine.travel(NOW, tick=False) as clock:
        client = on(tablet)
        switch_in(client, practitioner_post)
        clock.shift(timedelta(minutes=9))
        assert client.get(reverse("children:list")).status_code == 200  # in use: the wait starts again
        clock.shift(timedelta(minutes=9, seconds=59))
        assert client.get(reverse("children:list")).status_code == 200
        clock.shift(timedelta(minutes=10))
        response = client.get(reverse("children:list"))
        assert response.status_code == 302
        assert response.url == reverse("nursery:tablet")
        assert "_auth_user_id" not in client.session
        page = client.get(reverse("nursery:tablet")).content.decode()
        assert "The tablet locked after 10 minutes unused." in page


def test_a_full_sign_in_on_a_tablet_shows_the_lock_bar_and_locks_after_the_idle_minutes(tablet, nursery, practitioner):
    nursery.tablet_idle_minutes = 10
    nursery.save()
    with time_machine.travel(NOW, tick=False) as clock:
        client = on(tablet)
        client.force_login(practitioner)
        page = client.get(reverse("children:list"))
        assert page.status_code == 200
        assert 'id="tablet-lock-form"' in page.text
        assert "js/tablet.js" in page.text
        clock.shift(timedelta(minutes=9))
        assert client.get(reverse("children:list")).status_code == 200  # in use: the wait starts again
        clock.shift(timedelta(minutes=10))
        response = client.get(reverse("children:list"))
        assert response.status_code == 302
        assert response.url == reverse("nursery:tablet")
        assert "_auth_user_id" not in client.session


def test_a_full_sign_in_on_an_ordinary_browser_never_locks_and_has_no_lock_bar(login, nursery, practitioner):
    with time_machine.travel(NOW, tick=False) as clock:
        client = login(practitioner)
        assert "tablet-lock-form" not in client.get(reverse("children:list")).text
        clock.shift(timedelta(hours=2))
        assert client.get(reverse("children:list")).status_code == 200


def test_the_lock_button_signs_out_a_full_sign_in_on_a_tablet(tablet, practitioner):
    client = on(tablet)
    client.force_login(practitioner)
    client.post(reverse("accounts:tablet_lock"))
    assert "_auth_user_id" not in client.session


def test_a_page_refreshing_itself_does_not_keep_the_tablet_awake(tablet, room, practitioner_post, with_pin):
    with time_machine.travel(NOW, tick=False) as clock:
        client = on(tablet)
        switch_in(client, practitioner_post)
        for _ in range(5):  # the care log asks for the day's entries every minute
            clock.shift(timedelta(minutes=1))
            client.get(reverse("children:room_care", args=[room.pk]), headers={"HX-Request": "true"})
        response = client.get(reverse("children:list"))
        assert response.url == reverse("nursery:tablet")
        assert "_auth_user_id" not in client.session


def test_the_lock_button_switches_out_back_to_the_room(switched_in):
    response = switched_in.post(reverse("accounts:tablet_lock"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("nursery:tablet")
    assert "_auth_user_id" not in switched_in.session
    assert "The tablet is locked." in response.content.decode()


def test_revoking_a_tablet_signs_out_whoever_is_switched_in(login, manager, tablet, switched_in):
    response = login(manager).post(reverse("nursery:revoke_tablet", args=[tablet.pk]))
    assert response.status_code == 302
    response = switched_in.get(reverse("children:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in switched_in.session
    assert response.cookies[tablets.COOKIE_NAME].value == ""  # an ordinary browser again
    assert switched_in.get(reverse("nursery:tablet")).status_code == 404


def test_another_nurserys_manager_cannot_revoke_a_tablet(login, other_manager, tablet):
    assert login(other_manager).post(reverse("nursery:revoke_tablet", args=[tablet.pk])).status_code == 404
    tablet.refresh_from_db()
    assert tablet.revoked_at is None


def test_a_parent_can_never_use_a_pin_session(tablet, parent, other_nursery):
    TabletPin.objects.create(user=parent, pin=pins.make_password(PIN))  # even with a PIN somehow set
    elsewhere = StaffMemberFactory(nursery=other_nursery, user=parent)
    client = on(tablet)
    assert parent.full_name not in client.get(reverse("nursery:tablet")).content.decode()
    # Staff of another nursery are not this tablet's: nobody of that name here.
    assert switch_in(client, elsewhere).status_code == 404
    assert "_auth_user_id" not in client.session


# --- What a PIN session may not do ---------------------------------------------------------------------

FULL_SIGN_IN_ONLY = [
    ("nursery:staff", {}),
    ("nursery:tablets", {}),
    ("nursery:details", {}),
    ("keyworker:overview", {}),
    ("keyworker:tracker_csv", {}),
    ("children:import_children_template", {}),
    ("privacy:requests", {}),
    ("privacy:my_data", {}),
    ("privacy:download", {"pk": 1}),
    ("transitions:download_pack", {"pk": 1}),
    ("transitions:pack", {"pk": 1}),
    ("retention:schedule", {}),
    ("accounts:password_change", {}),
    ("accounts:two_factor", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), FULL_SIGN_IN_ONLY)
def test_a_managers_pin_session_is_asked_for_a_full_sign_in_on_manager_pages_and_exports(
    tablet, nursery, manager, name, kwargs
):
    pins.set_pin(user=manager, pin=PIN)
    client = on(tablet)
    switch_in(client, StaffMember.objects.get(user=manager))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign in fully for this page" in page
    assert "Lock the tablet" in page


def test_a_managers_pin_session_opens_the_everyday_pages_without_the_code_step(tablet, manager):
    pins.set_pin(user=manager, pin=PIN)
    client = on(tablet)
    switch_in(client, StaffMember.objects.get(user=manager))
    assert client.get(reverse("children:list")).status_code == 200


def test_a_pin_session_cannot_open_the_admin_site(tablet, manager):
    manager.is_staff = manager.is_superuser = True
    manager.save()
    pins.set_pin(user=manager, pin=PIN)
    client = on(tablet)
    switch_in(client, StaffMember.objects.get(user=manager))
    assert client.get(reverse("admin:index")).status_code == 403


# --- A PIN session holds no manager's powers --------------------------------------------------------------


@pytest.fixture
def manager_switched_in(tablet, manager):
    pins.set_pin(user=manager, pin=PIN)
    client = on(tablet)
    assert switch_in(client, StaffMember.objects.get(user=manager)).status_code == 302
    return client


def test_a_managers_pin_session_cannot_approve_or_share_a_transition_report(manager_switched_in, child, practitioner):
    from transitions.models import TransitionReport
    from transitions.report import services as report_services
    from transitions.tests.factories import TransitionPlanFactory

    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    report = report_services.start_report(plan=plan, by=practitioner)
    report_services.review_report(report=report, action="submit", by=practitioner)
    review = reverse("transitions:review_report", args=[plan.pk])

    for action in ("approve", "return", "share"):
        response = manager_switched_in.post(review, {"action": action, "comment": "Fine."})
        assert response.status_code == 403
        assert "Sign in fully for this page" in response.content.decode()
    report.refresh_from_db()
    assert report.status == TransitionReport.Status.AWAITING_REVIEW


def test_a_managers_pin_session_cannot_send_an_announcement_to_the_whole_nursery(manager_switched_in):
    from messaging.models import Announcement

    response = manager_switched_in.post(
        reverse("messaging:announcements"), {"room": "", "title": "Closed Friday", "text": "Snow day."}
    )
    assert response.status_code == 400  # "All families" is not offered: a room must be chosen
    assert "All families" not in response.content.decode()
    assert not Announcement.objects.exists()


def test_a_managers_pin_session_sees_only_the_rooms_unread_medicine_doses_not_the_whole_nurserys(
    manager_switched_in, login, manager, room
):
    url = reverse("children:room_medicines", args=[room.pk])
    assert manager_switched_in.get(url).context["whole_nursery"] is False
    assert login(manager).get(url).context["whole_nursery"] is True  # signed in fully, the manager sees all


def test_a_pin_session_works_only_at_the_tablets_nursery_and_cannot_switch_to_another(
    tablet, nursery, other_nursery, practitioner, practitioner_post, with_pin
):
    from children.tests.factories import ChildFactory

    # Also the manager of another nursery: that managing post would otherwise come first.
    StaffMemberFactory(nursery=other_nursery, user=practitioner, role=StaffMember.Role.MANAGER)
    ChildFactory(nursery=other_nursery, first_name="Zebedee")
    client = on(tablet)
    switch_in(client, practitioner_post)
    assert client.session["current_nursery"] == nursery.pk

    page = client.get(reverse("children:list"))
    assert page.status_code == 200
    assert "Zebedee" not in page.text
    assert "Sunflower Day Nursery" not in page.text
    assert client.post(reverse("nursery:switch"), {"nursery": other_nursery.pk}).status_code == 403
    assert client.session["current_nursery"] == nursery.pk


def test_a_tablets_pages_are_in_english_or_welsh_whatever_language_its_browser_asks_for(
    tablet, practitioner_post, with_pin
):
    client = on(tablet)
    assert client.get(reverse("nursery:tablet"), HTTP_ACCEPT_LANGUAGE="pl")["Content-Language"] == "en-gb"
    assert client.get(reverse("nursery:tablet"), HTTP_ACCEPT_LANGUAGE="cy")["Content-Language"] == "cy"
    switch_in(client, practitioner_post)
    assert client.get(reverse("children:list"), HTTP_ACCEPT_LANGUAGE="ar")["Content-Language"] == "en-gb"


def test_an_ordinary_browser_still_takes_the_browsers_language(client):
    assert client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="pl")["Content-Language"] == "pl"


# --- Records name the person -----------------------------------------------------------------------------


def test_an_observation_and_a_care_entry_made_in_a_pin_session_are_recorded_by_that_person(
    tablet, room, child, practitioner, practitioner_post, with_pin, manager
):
    with time_machine.travel(NOW, tick=False):
        day_services.sign_in(child=child, by=manager, at=timezone.now() - timedelta(hours=1))
        client = on(tablet)
        switch_in(client, practitioner_post)
        client.post(
            reverse("children:room_care", args=[room.pk]),
            {"child": [child.pk], "action": "meal:all", "meal": "lunch"},
            headers={"HX-Request": "true"},
        )
        client.post(
            reverse("stories:new"),
            {
                "client_key": str(uuid.uuid4()),
                "observed_at": "2026-03-04T10:00",
                "children": [child.pk],
                "text": "Poured water from a jug into a cup.",
                "areas": [Framework.objects.get(is_default=True).areas.get(code="PD").pk],
                "action": "submit",
            },
        )
    entry = CareEntry.objects.get(child=child, kind=CareEntry.Kind.MEAL)
    assert entry.by == practitioner
    assert entry.recorded_by == practitioner
    observation = Observation.objects.get()
    assert observation.author == practitioner


def test_a_manager_chooses_the_idle_minutes_within_an_hour(login, manager, nursery):
    client = login(manager)
    response = client.post(reverse("nursery:tablet_idle_minutes"), {"tablet_idle_minutes": "0"})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert client.post(reverse("nursery:tablet_idle_minutes"), {"tablet_idle_minutes": "12"}).status_code == 302
    nursery.refresh_from_db()
    assert nursery.tablet_idle_minutes == 12


def test_a_tablet_needs_a_room_of_this_nursery(login, manager, other_nursery):
    from nursery.tests.factories import RoomFactory

    elsewhere = RoomFactory(nursery=other_nursery)
    response = login(manager).post(reverse("nursery:tablets"), {"room": elsewhere.pk, "name": "Door"})
    assert response.status_code == 400
    assert not TabletDevice.objects.exists()
    assert tablets.COOKIE_NAME not in response.cookies


def test_making_a_tablet_again_on_the_same_browser_ends_the_old_one(manager, room, tablet):
    client = on(tablet)
    client.force_login(manager)  # a full sign-in on the tablet
    response = client.post(reverse("nursery:tablets"), {"room": room.pk, "name": "Second"})
    assert response.status_code == 302
    tablet.refresh_from_db()
    assert tablet.revoked_at is not None
    assert list(tablets.tablets_of(room.nursery).values_list("name", flat=True)) == ["Second"]
