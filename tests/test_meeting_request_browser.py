"""A key person asks a family to meet, on a tablet; the parent takes a time on a phone; it is a booked meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.data import load_demo
from keyworker.models import Consultation, MeetingRequest
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_key_person_asks_on_a_tablet_and_the_parent_accepts_on_a_phone(live_server, tablet, phone):
    load_demo()
    when = timezone.localtime() + timedelta(days=3)
    typed = when.strftime("%Y-%m-%dT10:00")

    log_in(tablet, live_server.url, "priya@rainbow.example")
    tablet.goto(f"{live_server.url}/my-key-children/")
    tablet.get_by_role("link", name="Ask Zara's family to meet").click()
    tablet.get_by_label("What would you like to talk about?").fill("How Zara is settling after her holiday")
    tablet.get_by_label("Urgent: we would like to talk soon").check()
    tablet.get_by_label("A time that suits you").fill(typed)
    tablet.get_by_role("button", name="Send to the family").click()
    expect(tablet.locator("#request-status")).to_contain_text("Waiting for the family")

    log_in(phone, live_server.url, "jess.ahmed@families.example")
    phone.goto(f"{live_server.url}/my-children/")
    phone.get_by_role("link", name="choose a time").click()
    expect(phone.get_by_text("How Zara is settling after her holiday")).to_be_visible()
    phone.get_by_role("button", name="Accept this time").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Meeting about Zara")

    asked = MeetingRequest.objects.get()
    assert asked.status == MeetingRequest.Status.ACCEPTED
    meeting = Consultation.objects.get(pk=asked.consultation_id)
    assert meeting.status == Consultation.Status.BOOKED
    assert timezone.localtime(meeting.slot.starts_at).strftime("%Y-%m-%dT%H:%M") == typed
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
