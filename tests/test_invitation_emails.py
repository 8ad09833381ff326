"""Every invitation e-mail says who sent it, to which nursery (or group) and as what."""

import pytest
from django.core import mail

from children.services import invite_guardian
from nursery.models import NurseryGroup
from nursery.services import invite_group_owner, invite_staff, start_nursery

pytestmark = pytest.mark.django_db


def only_message():
    (message,) = mail.outbox
    return message


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs an invitation's service and delivers its e-mail."""

    def send(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            service(**kwargs)
        return only_message()

    return send


def test_a_staff_invitation_names_the_manager_the_nursery_and_the_role(sent, manager, nursery):
    message = sent(
        invite_staff,
        nursery=nursery,
        email="tom@example.org",
        full_name="Tom Hughes",
        role="room_leader",
        invited_by=manager,
    )
    assert message.subject == "Maya Manager invited you to Rainbow Nursery on KeyStory"
    assert "Maya Manager has invited you to join Rainbow Nursery on KeyStory, as a room leader." in message.body
    assert "ask Maya Manager to send a new one" in message.body


def test_a_managers_invitation_says_manager(sent, manager, nursery):
    message = sent(
        invite_staff, nursery=nursery, email="di@example.org", full_name="Di", role="manager", invited_by=manager
    )
    assert "to join Rainbow Nursery on KeyStory, as a manager." in message.body


def test_the_first_managers_invitation_from_the_shell_names_the_nursery(sent):
    message = sent(start_nursery, name="Little Acorns", manager_email="maya@example.org", manager_name="")
    assert message.subject == "You are invited to Little Acorns on KeyStory"
    assert message.body.startswith("Hello,\n")
    assert "invited to join Little Acorns on KeyStory, as its first manager, to set it up." in message.body


def test_a_group_owners_invitation_names_the_group(sent, manager):
    group = NurseryGroup.objects.create(name="Rainbow Group")
    message = sent(
        invite_group_owner, group=group, email="olive@example.org", full_name="Olive Owner", invited_by=manager
    )
    assert message.subject == "Maya Manager invited you to Rainbow Group on KeyStory"
    assert "to join Rainbow Group on KeyStory, as one of its owners" in message.body


def test_a_family_invitation_names_the_nursery_and_the_children(sent, manager, nursery, child, other_child):
    message = sent(
        invite_guardian,
        children=[child, other_child],
        email="gran@example.org",
        full_name="Gran Taylor",
        relationship="grandparent",
        has_parental_responsibility=False,
        invited_by=manager,
    )
    assert message.subject == "Maya Manager invited you to Rainbow Nursery on KeyStory"
    assert "as Ava Taylor and Zara Ahmed's grandparent." in message.body


def test_a_new_link_is_sent_with_the_same_words(sent, manager, nursery, django_capture_on_commit_callbacks):
    from accounts.services import resend_invitation

    sent(
        invite_staff, nursery=nursery, email="tom@example.org", full_name="Tom", role="practitioner", invited_by=manager
    )
    mail.outbox.clear()
    invitation = nursery.staff_invitations.get().invitation
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(invitation=invitation, nursery_id=nursery.pk)
    assert "to join Rainbow Nursery on KeyStory, as a practitioner." in only_message().body
