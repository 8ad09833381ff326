"""Messages and announcements follow the retention schedule; erasing a parent keeps what they wrote in the
child's record and removes their announcement receipts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from children.tests.factories import ChildFactory, GuardianshipFactory
from core.images import process_upload
from messaging import services as messaging
from messaging.models import Announcement, AnnouncementReceipt, Conversation, Message
from retention import services
from retention.schedule import BY_CODE
from tests.images import camera_jpeg, upload

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def leo_messages(nursery, room, practitioner, manager, django_capture_on_commit_callbacks):
    """Leo left on 17 July 2026; his family and key person exchanged messages, one with a photo."""
    with time_machine.travel(at(2026, 6, 10), tick=False):
        leo = ChildFactory(nursery=nursery, room=room, first_name="Leo", leave_date=date(2026, 7, 17))
        parent = GuardianshipFactory(child=leo, user__full_name="Kim Marsh").user
        photo = messaging.send_message(
            child=leo, by=parent, as_family=True, text="Our trip", photo=process_upload(upload(camera_jpeg()))
        )
        messaging.send_message(child=leo, by=practitioner, as_family=False, text="Lovely!")
        announcement = messaging.send_announcement(
            nursery=nursery, room=None, title="Sports day", text="Bring a hat.", by=manager
        )
    return leo, parent, photo, announcement


def sweep_on(day: date, nursery):
    with time_machine.travel(at(day.year, day.month, day.day, 2), tick=False):
        return services.sweep(nursery_id=nursery.pk)


def test_messages_and_announcements_are_on_the_schedule_with_their_source():
    assert BY_CODE["messages"].default == 36
    assert "Policy, not law" in BY_CODE["messages"].source
    assert BY_CODE["announcements"].default == 12


def test_messages_stay_three_years_after_leaving_then_go_with_their_photos(
    nursery, leo_messages, django_capture_on_commit_callbacks
):
    leo, _, photo, _ = leo_messages
    name = photo.photo.name
    storage = photo.photo.storage
    sweep_on(date(2029, 7, 17), nursery)
    assert Message.objects.filter(conversation__child=leo).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        sweep_on(date(2029, 7, 18), nursery)

    assert not Conversation.objects.filter(child_id=leo.pk).exists()
    assert not Message.objects.exists()
    assert not storage.exists(name)


def test_an_announcement_and_who_read_it_go_after_a_year(nursery, leo_messages):
    *_, announcement = leo_messages
    sweep_on(date(2027, 6, 10), nursery)
    assert Announcement.objects.filter(pk=announcement.pk).exists()
    sweep_on(date(2027, 6, 11), nursery)
    assert not Announcement.objects.filter(pk=announcement.pk).exists()
    assert not AnnouncementReceipt.objects.exists()


def test_erasing_a_parent_keeps_their_messages_in_the_childs_record_and_drops_their_receipts(
    nursery, manager, leo_messages
):
    _, parent, photo, _ = leo_messages
    services.erase_family_member(nursery=nursery, member=parent, by=manager)
    photo.refresh_from_db()
    assert photo.author_id == parent.pk  # the account is anonymised: the message shows a former family member
    assert not AnnouncementReceipt.objects.filter(user=parent).exists()
