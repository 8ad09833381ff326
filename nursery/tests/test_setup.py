"""First start: ``manage.py start_nursery``, the first manager's link, and the "Set up your nursery" checklist."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from accounts.services import invitation_from_token, revoke_invitation
from accounts.tests.two_factor import app_code
from nursery import setup
from nursery.models import Nursery, NurseryGroup, StaffMember
from nursery.services import invite_staff
from nursery.tests.factories import NurseryFactory, NurserySessionFactory, RoomFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "bluebells-in-spring"


def start(**options) -> str:
    out = StringIO()
    call_command("start_nursery", stdout=out, **options)
    return out.getvalue()


def link_in(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("http"))


def test_start_nursery_creates_the_nursery_and_prints_the_first_managers_link(settings):
    settings.SITE_URL = "https://keystory.example.org"

    output = start(name="  Little Acorns  ", manager_email="Maya@Example.org", manager_name="Maya Patel")

    nursery = Nursery.objects.get()
    assert nursery.name == "Little Acorns"
    assert nursery.group.name == "Little Acorns"
    link = link_in(output)
    assert link.startswith("https://keystory.example.org/accounts/")
    invitation = invitation_from_token(resolve(link.removeprefix(settings.SITE_URL)).kwargs["token"])
    assert (invitation.email, invitation.full_name) == ("maya@example.org", "Maya Patel")
    grant = invitation.staff_grant
    assert (grant.nursery, grant.role, grant.makes_group_owner) == (nursery, "manager", True)
    assert "Started Little Acorns." in output


@pytest.mark.parametrize("email", ["maya", "maya@", "maya at example.org", ""])
def test_start_nursery_refuses_a_bad_email_and_creates_nothing(email):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        start(name="Little Acorns", manager_email=email)
    assert not Nursery.objects.exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", ["", "   "])
def test_start_nursery_refuses_an_empty_name(name):
    with pytest.raises(CommandError, match="Give the nursery a name"):
        start(name=name, manager_email="maya@example.org")
    assert not Nursery.objects.exists()


def test_start_nursery_refuses_a_name_already_in_use():
    NurseryFactory(name="Little Acorns")
    with pytest.raises(CommandError, match='A nursery called "Little Acorns" already exists'):
        start(name="little acorns", manager_email="maya@example.org")
    assert not Invitation.objects.exists()


@pytest.mark.two_factor
def test_the_first_manager_sets_a_password_from_the_link_and_lands_on_the_checklist(client, settings):
    link = link_in(start(name="Little Acorns", manager_email="maya@example.org"))

    page = client.get(link.removeprefix(settings.SITE_URL))
    assert "Choose a password" in page.content.decode()
    response = client.post(
        link.removeprefix(settings.SITE_URL),
        {"full_name": "Maya Patel", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    # A manager sets up two-step sign-in first, then the checklist opens.
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    maya = User.objects.get(email="maya@example.org")
    device = TOTPDevice.objects.get(user=maya)
    client.post(reverse("accounts:two_factor_setup"), {"code": app_code(device)})
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("nursery:setup")
    assert "Set up your nursery" in response.content.decode()
    post = StaffMember.objects.get(user=maya)
    assert post.role == StaffMember.Role.MANAGER
    assert NurseryGroup.objects.get().owners.get() == maya


def new_nursery_manager():
    nursery = NurseryFactory(name="Little Acorns", setup_confirmed=[])
    return nursery, StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER).user


def test_a_manager_of_a_new_nursery_is_sent_to_the_checklist_until_every_step_is_done(login):
    nursery, maya = new_nursery_manager()
    client = login(maya)
    assert client.get(reverse("home")).url == reverse("nursery:setup")

    nursery.setup_confirmed = setup.step_keys()
    nursery.save()
    assert client.get(reverse("home")).url == reverse("keyworker:overview")


def test_a_deputy_of_a_new_nursery_sees_the_checklist_too(login):
    nursery = NurseryFactory(setup_confirmed=[])
    deputy = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.DEPUTY).user
    assert login(deputy).get(reverse("home")).url == reverse("nursery:setup")


def test_a_practitioner_of_a_new_nursery_goes_to_their_own_home_page(login):
    nursery = NurseryFactory(setup_confirmed=[])
    practitioner = StaffMemberFactory(nursery=nursery).user
    assert login(practitioner).get(reverse("home")).url == reverse("keyworker:my_key_children")


def done(nursery: Nursery) -> dict[str, bool]:
    nursery.refresh_from_db()
    return {state.step.key: state.done for state in setup.checklist(nursery)}


def test_the_checklist_lists_every_step_in_order_none_done_for_a_new_nursery(login):
    nursery, maya = new_nursery_manager()
    assert list(done(nursery)) == ["details", "rooms", "sessions", "framework", "review", "staff", "children"]
    assert not any(done(nursery).values())
    page = login(maya).get(reverse("nursery:setup")).content.decode()
    assert "0 of 7 steps done" in page
    assert page.count("Not done yet") == 7


def test_each_nursery_step_is_done_when_its_record_exists(manager):
    nursery = NurseryFactory(setup_confirmed=[])
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER, user=manager)

    nursery.address = "1 Meadow Lane, Norwich"
    nursery.save()
    assert done(nursery)["details"]

    archived = RoomFactory(nursery=nursery, archived_on="2020-01-01")
    assert not done(nursery)["rooms"], "an archived room does not count"
    RoomFactory(nursery=nursery, name=f"Not {archived.name}")
    assert done(nursery)["rooms"]

    NurserySessionFactory(nursery=nursery)
    assert done(nursery)["sessions"]

    assert not done(nursery)["staff"]
    invite_staff(nursery=nursery, email="sam@example.org", full_name="Sam", role="practitioner", invited_by=manager)
    assert done(nursery)["staff"]


def test_a_post_beside_the_first_managers_marks_the_staff_step_done():
    nursery = NurseryFactory(setup_confirmed=[])
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER)
    assert not done(nursery)["staff"]
    StaffMemberFactory(nursery=nursery)
    assert done(nursery)["staff"]


def test_a_cancelled_invitation_does_not_count_as_inviting_staff(manager):
    nursery = NurseryFactory(setup_confirmed=[])
    StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER, user=manager)
    invited = invite_staff(
        nursery=nursery, email="sam@example.org", full_name="Sam", role="practitioner", invited_by=manager
    )
    revoke_invitation(invitation=invited.invitation)
    assert not done(nursery)["staff"]


def test_a_manager_keeps_the_review_setting_from_the_checklist(login):
    nursery, maya = new_nursery_manager()

    response = login(maya).post(reverse("nursery:setup_confirm"), {"step": "review"})

    assert response.url == reverse("nursery:setup")
    assert done(nursery)["review"]
    assert nursery.observations_need_review, "keeping the setting changes nothing else"


def test_saving_the_review_settings_page_ticks_off_its_step(login):
    nursery, maya = new_nursery_manager()
    login(maya).post(reverse("stories:review_settings"), {"observations_need_review": ""})
    assert done(nursery)["review"]
    assert not nursery.observations_need_review


def test_a_step_that_needs_a_record_cannot_be_ticked_off_by_hand(login):
    nursery, maya = new_nursery_manager()
    response = login(maya).post(reverse("nursery:setup_confirm"), {"step": "rooms"}, follow=True)
    assert "cannot be ticked off here" in response.content.decode()
    assert not done(nursery)["rooms"]


def test_the_checklist_says_when_everything_is_done(login):
    nursery, maya = new_nursery_manager()
    nursery.setup_confirmed = setup.step_keys()
    nursery.save()
    page = login(maya).get(reverse("nursery:setup")).content.decode()
    assert "Little Acorns is set up" in page
    assert "Not done yet" not in page


def test_the_checklist_shows_only_the_managers_own_nursery(login, other_manager, other_nursery):
    other_nursery.address = "2 High Street"
    other_nursery.save()  # every step done there
    _, maya = new_nursery_manager()
    page = login(maya).get(reverse("nursery:setup")).content.decode()
    assert "0 of 7 steps done" in page
    assert "Little Acorns" in page


def test_the_manager_saves_the_nursery_details(login):
    nursery, maya = new_nursery_manager()
    data = {
        "name": "Little  Acorns Nursery",
        "address": "1 Meadow Lane\nNorwich NR1 1AA",
        "phone": "01603 123456",
        "email": "hello@littleacorns.example",
        "ofsted_urn": "ey 123456",
    }

    response = login(maya).post(reverse("nursery:details"), data)

    assert response.url == reverse("nursery:setup")
    nursery.refresh_from_db()
    assert (nursery.name, nursery.phone, nursery.ofsted_urn) == ("Little Acorns Nursery", "01603 123456", "EY123456")
    assert done(nursery)["details"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "This field is required."),
        ("phone", "call us", "Type a phone number with its area code"),
        ("phone", "12345", "Type a phone number with its area code"),
        ("ofsted_urn", "123", "An Ofsted URN looks like EY123456"),
        ("email", "hello@", "Enter a valid email address."),
    ],
)
def test_bad_nursery_details_are_explained_and_nothing_is_saved(login, field, value, message):
    nursery, maya = new_nursery_manager()
    data = {"name": "Little Acorns", "address": "1 Meadow Lane", "phone": "", "email": "", "ofsted_urn": ""}

    response = login(maya).post(reverse("nursery:details"), {**data, field: value})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "1 Meadow Lane" in page, "what the manager typed is kept"
    nursery.refresh_from_db()
    assert (nursery.name, nursery.address) == ("Little Acorns", "")
