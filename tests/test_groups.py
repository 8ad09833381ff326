"""A group in one install: the owner adds nurseries, and people linked to two nurseries switch between them."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory, GuardianshipFactory
from nursery.models import Nursery, NurseryGroup, StaffMember
from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory
from tests.helpers import link_path_in

pytestmark = pytest.mark.django_db

PASSWORD = "rainbow-trout-9"


@pytest.fixture
def owner(nursery):
    """The owner of the group of the ``nursery`` fixture, holding no post anywhere."""
    nursery.group = NurseryGroup.objects.create(name="Rainbow Group")
    nursery.save(update_fields=["group"])
    user = UserFactory(full_name="Gill Owner")
    nursery.group.owners.add(user)
    return user


def add_nursery(client, group, **data):
    fields = {"name": "Meadow Nursery", "manager_name": "Nia Newman", "manager_email": "nia@example.org", **data}
    return client.post(reverse("nursery:group_add_nursery", args=[group.pk]), fields)


def accept(client, message) -> None:
    response = client.post(
        link_path_in(message), {"full_name": "Nia Newman", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302


def test_a_second_nursery_added_by_the_owner_shows_none_of_the_first_nurserys_children(
    login, owner, nursery, child, parent, client, django_capture_on_commit_callbacks, settings
):
    settings.TWO_FACTOR_REQUIRED = False  # what the new manager sees, not how she signs in (nursery/tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_nursery(login(owner), nursery.group)
    assert response.status_code == 302
    meadow = Nursery.objects.get(name="Meadow Nursery")
    assert meadow.group == nursery.group
    accept(client, mail.outbox[0])
    post = StaffMember.objects.get(user__email="nia@example.org")
    assert (post.nursery, post.role) == (meadow, StaffMember.Role.MANAGER)
    assert not meadow.group.owners.filter(pk=post.user_id).exists()  # a manager, not an owner of the group
    # Her own nursery's staff and families see only Meadow's children.
    newcomer = ChildFactory(nursery=meadow, first_name="Olly", last_name="Meadows")
    family = GuardianshipFactory(child=newcomer).user
    for page in ("children:list", "keyworker:overview"):
        shown = client.get(reverse(page)).content.decode()
        assert "Olly" in shown, page
        assert child.first_name not in shown, page
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404
    family_page = login(family).get(reverse("keyworker:my_children")).content.decode()
    assert "Olly" in family_page
    assert child.first_name not in family_page
    assert login(family).get(reverse("children:detail", args=[child.pk])).status_code == 404


def test_the_owner_is_told_the_invitation_is_on_its_way(login, owner, nursery):
    client = login(owner)
    response = add_nursery(client, nursery.group)
    page = client.get(response.url).content.decode()
    assert "Meadow Nursery is added" in page
    assert "nia@example.org" in page
    assert "Nia Newman" in page  # listed as invited, not accepted yet


@pytest.mark.django_db(transaction=True)  # the e-mail is queued when the view's transaction commits
def test_a_broker_fault_still_adds_the_nursery_and_says_the_email_will_follow(login, owner, nursery, broker_down):
    client = login(owner)
    response = add_nursery(client, nursery.group)
    assert response.status_code == 302
    assert Nursery.objects.filter(name="Meadow Nursery").exists()
    assert "could not be queued just now" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  "}, "This field is required"),
        ({"manager_email": "nia-at-example"}, "Enter a valid email address"),
        ({"name": "rainbow nursery"}, "already has a nursery called rainbow nursery"),
    ],
)
def test_bad_input_adds_no_nursery_and_keeps_what_was_typed(login, owner, nursery, data, message):
    response = add_nursery(login(owner), nursery.group, **data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Nia Newman"' in page
    assert Nursery.objects.count() == 1
    assert not mail.outbox


def test_the_owner_of_another_group_gets_404(login, owner, nursery, other_nursery):
    stranger = UserFactory()
    other_nursery.group = NurseryGroup.objects.create(name="Sunflower Group")
    other_nursery.save(update_fields=["group"])
    other_nursery.group.owners.add(stranger)
    client = login(stranger)
    for url in (
        reverse("nursery:group", args=[nursery.group_id]),
        reverse("nursery:group_add_nursery", args=[nursery.group_id]),
        reverse("keyworker:group_overview", args=[nursery.group_id]),
        reverse("keyworker:group_nursery", args=[nursery.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert add_nursery(client, nursery.group).status_code == 404
    assert client.get(reverse("nursery:group", args=[other_nursery.group_id])).status_code == 200


def test_an_owner_without_a_post_lands_on_the_group_overview(login, owner, nursery):
    client = login(owner)
    assert client.get(reverse("home")).url == reverse("keyworker:group_overview", args=[nursery.group_id])
    menu = client.get(reverse("nursery:group", args=[nursery.group_id])).content.decode()
    assert "Add a nursery" in menu
    assert "Overview across nurseries" in menu


@pytest.fixture
def meadow(nursery):
    return NurseryFactory(name="Meadow Nursery", group=nursery.group)


def switch(client, nursery):
    return client.post(reverse("nursery:switch"), {"nursery": nursery.pk})


def test_a_person_working_at_two_nurseries_switches_and_sees_only_the_chosen_nurserys_children(
    login, manager, nursery, child, meadow
):
    StaffMemberFactory(user=manager, nursery=meadow, role=StaffMember.Role.PRACTITIONER)
    olly = ChildFactory(nursery=meadow, room=RoomFactory(nursery=meadow), first_name="Olly")
    client = login(manager)
    first = client.get(reverse("children:list")).content.decode()
    assert child.first_name in first
    assert "Olly" not in first
    assert "Rainbow Nursery" in first  # the page says which nursery it is about

    assert switch(client, meadow).url == reverse("home")
    assert client.get(reverse("home")).url == reverse("keyworker:my_key_children")  # her post there
    for page in ("children:list", "stories:new"):
        shown = client.get(reverse(page)).content.decode()
        assert "Olly" in shown, page
        assert child.first_name not in shown, page
        assert 'data-testid="current-nursery">Meadow Nursery' in shown
    assert client.get(reverse("children:room_care", args=[child.room_id])).status_code == 404
    assert client.get(reverse("children:room_care", args=[olly.room_id])).status_code == 200

    # A manager's page she opens is Rainbow's, where she manages: the nursery chosen follows.
    overview = client.get(reverse("keyworker:overview")).content.decode()
    assert "Rainbow Nursery today" in overview
    assert child.first_name in client.get(reverse("children:list")).content.decode()


def test_a_parent_with_children_at_two_nurseries_switches(login, nursery, child, parent, meadow):
    olly = ChildFactory(nursery=meadow, first_name="Olly")
    GuardianshipFactory(child=olly, user=parent)
    client = login(parent)
    first = client.get(reverse("keyworker:my_children")).content.decode()
    rainbow_first = 'data-testid="current-nursery">Rainbow Nursery' in first
    shown, hidden = (child.first_name, "Olly") if rainbow_first else ("Olly", child.first_name)
    assert shown in first
    assert hidden not in first
    assert "Switch nursery" in first

    switch(client, meadow)
    page = client.get(reverse("keyworker:my_children")).content.decode()
    assert "Olly" in page
    assert child.first_name not in page
    assert client.get(reverse("keyworker:family_meetings")).content.decode().count(child.first_name) == 0
    switch(client, nursery)
    page = client.get(reverse("keyworker:my_children")).content.decode()
    assert child.first_name in page
    assert "Olly" not in page


def test_nobody_switches_to_a_nursery_they_are_not_linked_to(login, parent, other_nursery, meadow):
    client = login(parent)
    assert switch(client, other_nursery).status_code == 404
    assert switch(client, meadow).status_code == 404  # in the same group, but not theirs


def test_the_new_nurserys_manager_lands_on_its_own_set_up_checklist(
    login, owner, nursery, client, django_capture_on_commit_callbacks, settings
):
    settings.TWO_FACTOR_REQUIRED = False  # where they land, not how they sign in (nursery/tests/test_two_factor*)
    with django_capture_on_commit_callbacks(execute=True):
        add_nursery(login(owner), nursery.group)
    message = mail.outbox[0]
    assert message.subject == "Gill Owner invited you to Meadow Nursery on KeyStory"
    assert "Gill Owner has invited you to join Meadow Nursery on KeyStory, as its first manager" in message.body

    response = client.post(
        link_path_in(message),
        {"full_name": "Nia Newman", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("nursery:setup")
    page = response.content.decode()
    assert "Set up your nursery" in page
    assert 'data-testid="current-nursery">Meadow Nursery' in page
    assert "Rainbow Nursery" not in page


def invite_owner(client, group, **data):
    fields = {"full_name": "Olive Owner", "email": "olive@example.org", **data}
    return client.post(reverse("nursery:group_owners", args=[group.pk]), fields)


def test_an_owner_invites_another_owner_who_then_runs_the_group_without_a_post(
    login, owner, nursery, client, django_capture_on_commit_callbacks, settings
):
    settings.TWO_FACTOR_REQUIRED = False  # where they land, not how they sign in (nursery/tests/test_two_factor*)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_owner(login(owner), nursery.group)
    assert response.status_code == 302
    page = login(owner).get(response.url).content.decode()
    assert "olive@example.org" in page  # waiting for a reply
    message = mail.outbox[0]
    assert message.subject == "Gill Owner invited you to Rainbow Group on KeyStory"
    assert "as one of its owners" in message.body

    response = client.post(
        link_path_in(message), {"full_name": "Olive Owner", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )

    olive = nursery.group.owners.get(email="olive@example.org")
    assert not StaffMember.objects.filter(user=olive).exists()
    assert response.redirect_chain[-1][0] == reverse("keyworker:group_overview", args=[nursery.group_id])
    owners_page = client.get(reverse("nursery:group_owners", args=[nursery.group_id])).content.decode()
    assert "Gill Owner" in owners_page
    assert "Olive Owner" in owners_page
    assert "Invitations waiting for a reply" in owners_page


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("gill@example.org", "Gill Owner already owns Rainbow Group."),
        ("olive-at-example", "Enter a valid email address"),
    ],
)
def test_inviting_an_owner_already_or_a_bad_address_is_refused_and_keeps_what_was_typed(
    login, owner, nursery, email, message
):
    owner.email = "gill@example.org"
    owner.save()
    response = invite_owner(login(owner), nursery.group, email=email.upper())
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Olive Owner"' in page
    assert not mail.outbox


def test_inviting_an_owner_twice_is_refused_while_the_first_invitation_waits(login, owner, nursery):
    client = login(owner)
    invite_owner(client, nursery.group)
    response = invite_owner(client, nursery.group)
    assert "already waiting for a reply" in response.content.decode()
    assert nursery.group.owner_invitations.count() == 1


def test_an_owner_cancels_an_owner_invitation_and_its_link_stops_working(
    login, owner, nursery, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_owner(login(owner), nursery.group)
    grant = nursery.group.owner_invitations.get()
    login(owner).post(reverse("nursery:cancel_owner_invitation", args=[grant.pk]))
    assert client.get(link_path_in(mail.outbox[0])).status_code == 410
    assert not nursery.group.owners.filter(email="olive@example.org").exists()


def test_a_manager_who_owns_no_group_cannot_see_or_invite_its_owners(login, owner, nursery, manager):
    client = login(manager)
    assert client.get(reverse("nursery:group_owners", args=[nursery.group_id])).status_code == 404
    assert invite_owner(client, nursery.group).status_code == 404
    assert nursery.group.owners.count() == 1


def test_the_menus_follow_the_post_at_the_nursery_shown(login, manager, nursery, meadow):
    StaffMemberFactory(user=manager, nursery=meadow, role=StaffMember.Role.PRACTITIONER)
    client = login(manager)
    at_rainbow = client.get(reverse("children:list")).content.decode()
    assert 'data-testid="current-nursery">Rainbow Nursery' in at_rainbow
    assert reverse("nursery:staff") in at_rainbow  # the Setting menu of her manager's post
    assert "Switch nursery" in at_rainbow

    switch(client, meadow)
    at_meadow = client.get(reverse("children:list")).content.decode()
    assert 'data-testid="current-nursery">Meadow Nursery' in at_meadow
    assert reverse("nursery:staff") not in at_meadow  # a practitioner there
    assert reverse("keyworker:overview") not in at_meadow
    assert reverse("keyworker:register") in at_meadow


def test_a_member_of_staff_who_is_a_parent_at_another_nursery_sees_family_menus_there(
    login, practitioner, nursery, meadow
):
    olly = ChildFactory(nursery=meadow, first_name="Olly")
    GuardianshipFactory(child=olly, user=practitioner)
    client = login(practitioner)
    switch(client, meadow)
    page = client.get(reverse("keyworker:my_children")).content.decode()
    assert 'data-testid="current-nursery">Meadow Nursery' in page
    assert f'href="{reverse("children:list")}"' not in page  # no staff menus at a nursery where she is family
    assert "Olly" in page
    switch(client, nursery)
    assert f'href="{reverse("children:list")}"' in client.get(reverse("children:list")).content.decode()


def test_an_owner_renames_the_group_and_its_pages_use_the_new_name(login, owner, nursery):
    client = login(owner)
    url = reverse("nursery:group", args=[nursery.group_id])
    response = client.post(url, {"name": "  Sunshine Early Years  "}, follow=True)
    assert "The group is now called Sunshine Early Years." in response.content.decode()
    nursery.group.refresh_from_db()
    assert nursery.group.name == "Sunshine Early Years"
    overview = client.get(reverse("keyworker:group_overview", args=[nursery.group_id])).content.decode()
    assert "Sunshine Early Years" in overview


def test_an_empty_group_name_is_refused_and_the_name_kept(login, owner, nursery):
    response = login(owner).post(reverse("nursery:group", args=[nursery.group_id]), {"name": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    nursery.group.refresh_from_db()
    assert nursery.group.name == "Rainbow Group"


def test_nobody_but_the_groups_owners_renames_it(login, owner, nursery, manager, other_nursery):
    other_nursery.group = NurseryGroup.objects.create(name="Sunflower Group")
    other_nursery.save(update_fields=["group"])
    stranger = UserFactory()
    other_nursery.group.owners.add(stranger)
    url = reverse("nursery:group", args=[nursery.group_id])
    assert login(stranger).post(url, {"name": "Taken over"}).status_code == 404
    assert login(manager).post(url, {"name": "Taken over"}).status_code in (403, 404)
    nursery.group.refresh_from_db()
    assert nursery.group.name == "Rainbow Group"
