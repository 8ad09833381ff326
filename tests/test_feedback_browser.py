"""End-of-session feedback for a whole room on a tablet: the main action stays in reach."""

from datetime import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from children.day.models import Attendance
from children.day.selectors import moment
from children.models import Booking
from children.tests.factories import AttendanceFactory, BookingFactory, ChildFactory
from demo.data import load_demo
from keyworker.models import SessionFeedback
from keyworker.tests.day import all_day_session
from nursery.models import Room
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ten_children_in_rainbows():
    """The demo at half past two today, with exactly ten children in Rainbows, all in for a long day."""
    with time_machine.travel(moment(timezone.localdate(), time(14, 30)), tick=True):
        load_demo()
        rainbows = Room.objects.get(name="Rainbows")
        children = list(rainbows.children.all()[:10])
        children += [ChildFactory(nursery=rainbows.nursery, room=rainbows) for _ in range(10 - len(children))]
        rainbows.children.exclude(pk__in=[child.pk for child in children]).update(room=None)
        Attendance.objects.filter(child__in=children).delete()
        Booking.objects.filter(child__in=children).delete()
        SessionFeedback.objects.filter(child__in=children).delete()
        session = all_day_session(rainbows.nursery)
        for child in children:
            BookingFactory(child=child, session=session, weekday=timezone.localdate().weekday())
            AttendanceFactory(child=child, signed_in_at=moment(timezone.localdate(), time(8, 30)))
        yield rainbows


def test_send_feedback_is_on_the_first_screen_of_a_tablet_with_ten_children(
    live_server, tablet, ten_children_in_rainbows
):
    log_in(tablet, live_server.url, "leah@rainbow.example")
    tablet.goto(f"{live_server.url}/feedback/rooms/{ten_children_in_rainbows.pk}/")
    tablet.get_by_role("link", name="Long day").click()
    expect(tablet.locator("article.card")).to_have_count(10)
    assert tablet.evaluate("document.documentElement.scrollHeight") > 2 * 1024  # the page itself is long
    send = tablet.get_by_role("button", name="Send feedback")
    expect(send).to_be_in_viewport()
    box = send.bounding_box()
    assert tablet.evaluate("window.scrollY") == 0
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 1024
    # Still in reach half-way down, while writing a note.
    tablet.get_by_label("Note for", exact=False).nth(5).fill("Loved the sand tray.")
    expect(send).to_be_in_viewport()
