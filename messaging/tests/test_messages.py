"""Messages between a child's family and care team: who may read and write, read receipts, unread counts,
photos and bad input."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children.models import ChildAuditEvent
from children.tests.factories import GuardianshipFactory
from keyworker.models import KeyPersonAssignment
from messaging import selectors, services
from messaging.models import MESSAGE_MAX_LENGTH, Message
from nursery.tests.factories import NurserySessionFactory, StaffMemberFactory
from tests.images import camera_jpeg, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/London"))),
]


def url(child) -> str:
    return reverse("messaging:conversation", args=[child.pk])


@pytest.fixture
def buddy(child, nursery):
    post = StaffMemberFactory(nursery=nursery, user__full_name="Ben Buddy")
    KeyPersonAssignment.objects.filter(child=child).update(buddy=post)
    return post.user


@pytest.fixture
def colleague(nursery, room):
    """Works in the child's room, but is neither key person, buddy nor manager."""
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Rita Room").user


def test_a_parent_writes_and_the_key_person_sees_it_unread_then_read(login, child, parent, practitioner):
    response = login(parent).post(url(child), {"text": "Ava slept badly last night."})
    assert response.status_code == 302
    assert selectors.unread_count(practitioner) == 1

    page = login(practitioner).get(url(child))

    assert "Ava slept badly last night." in page.content.decode()
    assert selectors.unread_count(practitioner) == 0
    assert ChildAuditEvent.objects.filter(child=child, actor=practitioner, what="Messages").exists()


def test_the_family_sees_when_the_key_person_has_read_their_message(login, child, parent, practitioner):
    services.send_message(child=child, by=parent, as_family=True, text="Can she wear her wellies?")
    assert "Not read yet" in login(parent).get(url(child)).content.decode()

    login(practitioner).get(url(child))

    assert f"Seen by {practitioner.get_short_name()}" in login(parent).get(url(child)).content.decode()


def test_a_reply_from_the_key_person_counts_as_unread_for_the_parent_only(child, parent, practitioner, manager):
    services.send_message(child=child, by=practitioner, as_family=False, text="She loved the sandpit!")
    assert selectors.unread_count(parent) == 1
    assert selectors.unread_count(practitioner) == 0
    assert selectors.unread_count(manager) == 0  # staff count what families write, not each other


def test_the_unread_count_is_one_query_however_many_conversations(child, parent, practitioner, other_child, nursery):
    GuardianshipFactory(child=other_child, user=parent)
    for kid in (child, other_child):
        services.send_message(child=kid, by=practitioner, as_family=False, text="Hello")
    with CaptureQueriesContext(connection) as captured:
        assert selectors.unread_count(parent) == 2
    assert len(captured) == 1


def test_the_navigation_shows_the_unread_count(login, child, parent, practitioner):
    services.send_message(child=child, by=practitioner, as_family=False, text="Hello")
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert 'data-testid="unread-count">1<' in page


@pytest.mark.parametrize("who", ["practitioner", "manager", "buddy"])
def test_the_care_team_may_read_and_reply(request, login, child, parent, who):
    services.send_message(child=child, by=parent, as_family=True, text="Hello")
    client = login(request.getfixturevalue(who))
    assert client.get(url(child)).status_code == 200
    assert client.post(url(child), {"text": "Hello back"}).status_code == 302
    assert Message.objects.filter(text="Hello back", from_family=False).exists()


def test_staff_not_on_the_childs_care_team_are_refused(login, child, colleague):
    assert login(colleague).get(url(child)).status_code == 403
    assert login(colleague).post(url(child), {"text": "Hi"}).status_code == 403


@pytest.mark.parametrize("who", ["other_parent", "other_manager"])
def test_another_family_and_another_nurserys_staff_get_404(request, login, child, who):
    assert login(request.getfixturevalue(who)).get(url(child)).status_code == 404


def test_a_family_member_without_contact_rights_cannot_message(login, child):
    grandad = GuardianshipFactory(
        child=child, relationship="grandparent", has_parental_responsibility=False, can_contribute=False
    ).user
    assert login(grandad).get(url(child)).status_code == 404
    assert selectors.unread_count(grandad) == 0


def test_a_parent_sees_only_their_own_childrens_conversations(login, child, parent, other_child, practitioner):
    services.send_message(child=other_child, by=practitioner, as_family=False, text="Zara's secret")
    page = login(parent).get(reverse("messaging:inbox")).content.decode()
    assert "Messages about Ava" in page
    assert "Zara" not in page
    assert selectors.unread_count(parent) == 0


def test_an_empty_message_is_refused_with_a_clear_message(login, child, parent):
    response = login(parent).post(url(child), {"text": "   "})
    assert response.status_code == 400
    assert "Write a message or add a photo" in response.content.decode()
    assert not Message.objects.exists()


def test_an_over_long_message_is_refused_and_what_was_typed_is_kept(login, child, parent):
    typed = "x" * (MESSAGE_MAX_LENGTH + 1)
    response = login(parent).post(url(child), {"text": typed})
    assert response.status_code == 400
    assert f"under {MESSAGE_MAX_LENGTH} characters" in response.content.decode()
    assert typed in response.content.decode()
    assert not Message.objects.exists()


def test_a_bad_photo_is_refused_and_the_text_is_kept(login, child, parent):
    bad = upload(b"not a picture at all", name="holiday.jpg")
    response = login(parent).post(url(child), {"text": "Here is our holiday", "photo": bad})
    assert response.status_code == 400
    assert "Here is our holiday" in response.content.decode()
    assert not Message.objects.exists()


def test_a_photo_is_cleaned_and_served_only_to_the_conversation(login, child, parent, practitioner, other_parent):
    response = login(parent).post(url(child), {"text": "", "photo": upload(camera_jpeg())})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.photo.name.startswith("messages/photos/")
    photo_url = reverse("messaging:photo", args=[message.pk])
    assert login(practitioner).get(photo_url).status_code == 200
    assert login(parent).get(photo_url).status_code == 200
    assert login(other_parent).get(photo_url).status_code == 404


def test_a_leavers_family_may_read_but_not_send(login, child, parent):
    child.leave_date = datetime(2026, 12, 1).date()
    child.save(update_fields=["leave_date"])
    assert login(parent).get(url(child)).status_code == 200
    assert login(parent).post(url(child), {"text": "Hello"}).status_code == 403


def test_the_family_is_told_the_nurserys_opening_hours(login, child, parent, nursery):
    NurserySessionFactory(nursery=nursery, name="Morning", starts_at=time(8, 0), ends_at=time(13, 0))
    NurserySessionFactory(nursery=nursery, name="Afternoon", starts_at=time(13, 0), ends_at=time(18, 0))
    page = login(parent).get(url(child)).content.decode()
    assert "We usually reply during opening hours: Mon\u2013Fri 8:00\u201318:00." in page


def test_a_manager_sees_every_childs_conversation_in_the_inbox(login, child, other_child, manager, parent):
    services.send_message(child=child, by=parent, as_family=True, text="Hi")
    page = login(manager).get(reverse("messaging:inbox")).content.decode()
    assert "Ava Taylor" in page
    assert "Zara Ahmed" in page
    assert "1 new" in page


def test_a_practitioner_inbox_lists_only_their_key_children(login, practitioner, child, other_child):
    page = login(practitioner).get(reverse("messaging:inbox")).content.decode()
    assert "Ava Taylor" in page
    assert "Zara Ahmed" not in page


def test_a_former_key_person_is_no_longer_on_the_team(login, child, practitioner, nursery):
    yesterday = datetime(2026, 12, 7).date()
    KeyPersonAssignment.objects.filter(child=child).update(ends_on=yesterday)
    KeyPersonAssignment.objects.create(
        child=child, key_person=StaffMemberFactory(nursery=nursery), starts_on=datetime(2026, 12, 8).date()
    )
    assert login(practitioner).get(url(child)).status_code == 403


def test_the_childs_page_links_the_care_team_to_the_conversation_with_what_is_new(login, child, parent, practitioner):
    services.send_message(child=child, by=parent, as_family=True, text="Hello")
    page = login(practitioner).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Messages with Ava's family" in page
    assert "1 new" in page


def test_the_childs_page_shows_no_messages_to_a_colleague_off_the_care_team(login, child, colleague):
    page = login(colleague).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Messages with Ava's family" not in page


def test_the_unread_count_built_once_a_day_still_follows_the_key_person_spell_ending(
    child, parent, practitioner, time_machine
):
    services.send_message(child=child, by=parent, as_family=True, text="She has a cough.")
    assert selectors.unread_count(practitioner) == 1
    assert selectors.unread_count(parent) == 0  # the same query, another person's id

    KeyPersonAssignment.objects.filter(child=child).update(ends_on=datetime(2026, 12, 8).date())
    assert selectors.unread_count(practitioner) == 1  # the key person until the end of the spell's last day
    time_machine.move_to(datetime(2026, 12, 9, 8, 0, tzinfo=ZoneInfo("Europe/London")))

    assert selectors.unread_count(practitioner) == 0
