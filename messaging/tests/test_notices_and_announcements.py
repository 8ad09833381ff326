"""E-mail notices of messages (straight away, daily digest, off) and announcements families acknowledge."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from children.tests.factories import ChildFactory, GuardianshipFactory
from messaging import notices, selectors, services
from messaging.models import AnnouncementReceipt, EmailChoice
from nursery.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)
EVENING = datetime(2026, 12, 8, 18, 0, tzinfo=LONDON)


def to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def reply(child, practitioner, capture, text="She ate all her lunch."):
    with capture(execute=True):
        return services.send_message(child=child, by=practitioner, as_family=False, text=text)


@time_machine.travel(MORNING, tick=False)
def test_straight_away_a_short_notice_with_a_link_and_not_the_message(
    child, parent, practitioner, django_capture_on_commit_callbacks
):
    reply(child, practitioner, django_capture_on_commit_callbacks, text="Private: her rash is back.")

    [email] = to(parent)
    assert "New message about Ava" in email.subject
    assert f"/messages/child/{child.pk}/" in email.body
    assert "rash" not in email.body
    assert "rash" not in email.subject
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@time_machine.travel(MORNING, tick=False)
def test_a_message_from_the_family_is_not_emailed_to_anyone(child, parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(child=child, by=parent, as_family=True, text="Hello")
    assert mail.outbox == []


def test_the_daily_digest_waits_until_evening_and_leaves_out_what_was_read(
    child, other_child, parent, practitioner, login, django_capture_on_commit_callbacks
):
    GuardianshipFactory(child=other_child, user=parent)
    services.set_email_frequency(user=parent, frequency=EmailChoice.Frequency.DAILY)
    with time_machine.travel(MORNING, tick=False):
        reply(child, practitioner, django_capture_on_commit_callbacks)
        reply(other_child, practitioner, django_capture_on_commit_callbacks, text="Zara painted.")
        assert to(parent) == []
        login(parent).get(reverse("messaging:conversation", args=[other_child.pk]))  # read this one already

    with time_machine.travel(EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert notices.queue_daily_digests() == 1
        assert notices.queue_daily_digests() == 0  # again the same evening: nothing twice

    [digest] = to(parent)
    assert "1 new message about Ava" in digest.body
    assert "Zara" not in digest.body
    assert "lunch" not in digest.body


def test_with_emails_off_nothing_is_sent_now_or_in_the_digest(
    child, parent, practitioner, django_capture_on_commit_callbacks
):
    services.set_email_frequency(user=parent, frequency=EmailChoice.Frequency.OFF)
    with time_machine.travel(MORNING, tick=False):
        reply(child, practitioner, django_capture_on_commit_callbacks)
    with time_machine.travel(EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        notices.queue_daily_digests()
    assert to(parent) == []
    assert selectors.unread_count(parent) == 1  # still waiting on KeyStory


def test_a_family_member_chooses_their_emails_on_their_page(login, child, parent):
    client = login(parent)
    assert client.get(reverse("messaging:email_preference")).status_code == 200
    response = client.post(reverse("messaging:email_preference"), {"frequency": "daily"})
    assert response.status_code == 302
    assert selectors.email_frequency(parent) == EmailChoice.Frequency.DAILY


def test_the_digest_runs_from_the_beat_schedule_at_six():
    entry = settings.CELERY_BEAT_SCHEDULE["messages-daily-digests"]
    assert entry["task"] == "messaging.tasks.send_daily_digests"
    assert entry["schedule"].hour == {18}


# --- Announcements ----------------------------------------------------------------------------------------------


@pytest.fixture
def next_door(nursery, room):
    """Another family in the same room, and one in another room."""
    same_room = GuardianshipFactory(child=ChildFactory(nursery=nursery, room=room), user__full_name="Nia Next").user
    other_room = RoomFactory(nursery=nursery, name="Caterpillars")
    elsewhere = GuardianshipFactory(child=ChildFactory(nursery=nursery, room=other_room), user__full_name="Ola Other")
    return same_room, elsewhere.user


@time_machine.travel(MORNING, tick=False)
def test_a_room_announcement_reaches_that_rooms_families_who_acknowledge_it(
    login, manager, parent, room, next_door, django_capture_on_commit_callbacks
):
    same_room, elsewhere = next_door
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(
            reverse("messaging:announcements"),
            {"room": room.pk, "title": "Wellies on Friday", "text": "We are going puddle jumping."},
        )
    assert response.status_code == 302
    receipts = AnnouncementReceipt.objects.all()
    assert {r.user for r in receipts} == {parent, same_room}
    assert selectors.unread_count(parent) == 1
    assert selectors.unread_count(elsewhere) == 0
    assert "Wellies on Friday" in to(parent)[0].subject
    assert "puddle" not in to(parent)[0].body

    announcement = receipts.first().announcement
    assert login(parent).post(reverse("messaging:acknowledge", args=[announcement.pk])).status_code == 302
    assert selectors.unread_count(parent) == 0

    report = login(manager).get(reverse("messaging:announcement", args=[announcement.pk])).content.decode()
    not_read = report.split('data-testid="not-read"')[1].split("</ul>")[0]
    read = report.split('data-testid="read"')[1].split("</ul>")[0]
    assert "Nia Next" in not_read
    assert "Sam Taylor" not in not_read
    assert "Sam Taylor" in read


@time_machine.travel(MORNING, tick=False)
def test_acknowledging_twice_keeps_the_first_time(login, manager, parent, nursery, child):
    announcement = services.send_announcement(
        nursery=nursery, room=None, title="Closed Monday", text="Staff training.", by=manager
    )
    login(parent).post(reverse("messaging:acknowledge", args=[announcement.pk]))
    with time_machine.travel(MORNING + timedelta(hours=2)):
        login(parent).post(reverse("messaging:acknowledge", args=[announcement.pk]))
    assert AnnouncementReceipt.objects.get(user=parent).acknowledged_at == MORNING


def test_a_practitioner_may_write_to_their_own_room_only(login, practitioner, room, nursery, next_door):
    other_room = nursery.rooms.get(name="Caterpillars")
    client = login(practitioner)
    response = client.post(reverse("messaging:announcements"), {"room": other_room.pk, "title": "Hi", "text": "Hi"})
    assert response.status_code == 400
    response = client.post(reverse("messaging:announcements"), {"room": "", "title": "Hi", "text": "Hi"})
    assert response.status_code == 400
    assert (
        client.post(reverse("messaging:announcements"), {"room": room.pk, "title": "Hi", "text": "Hi"}).status_code
        == 302
    )


def test_an_announcement_with_no_words_is_refused_and_the_title_kept(login, manager):
    response = login(manager).post(reverse("messaging:announcements"), {"room": "", "title": "Trip", "text": ""})
    assert response.status_code == 400
    assert 'value="Trip"' in response.content.decode()


def test_another_nurserys_staff_and_a_family_it_was_not_sent_to_cannot_open_an_announcement(
    login, manager, nursery, child, other_manager, other_parent
):
    announcement = services.send_announcement(nursery=nursery, room=None, title="Closed", text="Training.", by=manager)
    page = reverse("messaging:announcement", args=[announcement.pk])
    assert login(other_manager).get(page).status_code == 404
    # other_parent's child joined after it was sent: no receipt, nothing to read
    AnnouncementReceipt.objects.filter(user=other_parent).delete()
    assert login(other_parent).get(page).status_code == 404
