"""``manage.py invite_manager``: a manager's link for an existing nursery, printed in the shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Invitation
from nursery.models import NurseryGroup, StaffMember
from nursery.services import start_nursery
from nursery.tests.factories import NurseryFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "meadow-grass-42"


def run(**options) -> str:
    out = StringIO()
    call_command("invite_manager", stdout=out, **options)
    return out.getvalue()


def link_in(output: str, settings) -> str:
    return next(line for line in output.splitlines() if line.startswith("http")).removeprefix(settings.SITE_URL)


@pytest.fixture
def meadow():
    """A further nursery of a group, added on screen: setting up, no manager yet."""
    group = NurseryGroup.objects.create(name="Rainbow Group")
    return NurseryFactory(name="Meadow Nursery", group=group, setup_confirmed=[])


def test_it_prints_a_link_with_which_the_manager_lands_on_that_nurserys_checklist(client, meadow, settings):
    settings.TWO_FACTOR_REQUIRED = False  # where she lands, not how she signs in (nursery/tests/test_two_factor*)
    output = run(nursery="meadow nursery", email="Nia@Example.org", name="Nia Newman")

    assert "Invited nia@example.org to manage Meadow Nursery." in output
    response = client.post(
        link_in(output, settings),
        {"full_name": "Nia Newman", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("nursery:setup")
    post = StaffMember.objects.get(user__email="nia@example.org")
    assert (post.nursery, post.role) == (meadow, StaffMember.Role.MANAGER)


def test_an_invitation_already_waiting_gets_a_new_link_and_the_old_one_stops(client, meadow, settings):
    started = start_nursery(name="Oak Nursery", manager_email="nia@example.org", manager_name="Nia", group=meadow.group)
    old = started.invited.invitation.nonce

    output = run(nursery="Oak Nursery", email="nia@example.org")

    invitation = Invitation.objects.get()
    assert invitation.nonce != old
    assert client.get(link_in(output, settings)).status_code == 200


def test_someone_in_post_there_already_is_refused_and_nothing_changes(meadow):
    StaffMemberFactory(nursery=meadow, user__email="nia@example.org", user__full_name="Nia Newman")
    with pytest.raises(CommandError, match=r"Nia Newman already works here.*Nothing was changed"):
        run(nursery="Meadow Nursery", email="nia@example.org")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"nursery": "Oak Nursery", "email": "nia@example.org"}, 'There is no nursery called "Oak Nursery"'),
        ({"nursery": "\N{SUPERSCRIPT TWO}", "email": "nia@example.org"}, "There is no nursery called"),
        ({"nursery": "9" * 5000, "email": "nia@example.org"}, "There is no nursery called"),
        ({"nursery": "Meadow Nursery", "email": "nia-at-example"}, "is not an e-mail address"),
    ],
)
def test_an_unknown_nursery_or_a_bad_address_is_refused(meadow, options, message):
    with pytest.raises(CommandError, match=message):
        run(**options)
    assert not Invitation.objects.exists()


def test_two_nurseries_of_the_same_name_are_told_apart_by_number(meadow):
    twin = NurseryFactory(name="Meadow Nursery")
    with pytest.raises(CommandError, match="Several nurseries are called"):
        run(nursery="Meadow Nursery", email="nia@example.org")
    assert "to manage Meadow Nursery" in run(nursery=str(twin.pk), email="nia@example.org")
    assert Invitation.objects.get().staff_grant.nursery == twin
