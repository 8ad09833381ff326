"""Family notices beyond feedback and the story (key person, meetings, progress checks): each carries a
one-click opt-out (RFC 8058) to the family's own switch for that child, which stops the e-mails but never
the notices on the family's pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from keyworker.meetings import services as meetings
from keyworker.models import KeyPersonNotice
from keyworker.services import assign_key_person
from nursery.tests.factories import StaffMemberFactory
from tests.test_emails import NOW, parsed, unsubscribe_link

pytestmark = pytest.mark.django_db

SITE = "https://keystory.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def sent_to(user) -> list:
    return [parsed(message) for message in mail.outbox if user.email in message.to]


def new_key_person(child, nursery, manager, capture) -> None:
    with capture(execute=True):
        assign_key_person(
            child=child,
            key_person=StaffMemberFactory(nursery=nursery),
            starts_on=timezone.localdate(),
            reason="Settling in",
            by=manager,
        )


def offered_meeting_moved(child, parent, practitioner_post, capture) -> None:
    with time_machine.travel(NOW, tick=False):
        first, later = (
            meetings.offer_slot(
                key_person=practitioner_post, starts_at=NOW + timedelta(days=days), minutes=20, place="phone"
            )
            for days in (3, 4)
        )
        meeting = meetings.book_slot(child=child, slot=first, by=parent)
        with capture(execute=True):
            meetings.move_meeting(consultation=meeting, slot=later, by=practitioner_post.user)


def test_a_key_person_change_email_offers_one_click_unsubscribe(
    child, parent, nursery, manager, django_capture_on_commit_callbacks
):
    new_key_person(child, nursery, manager, django_capture_on_commit_callbacks)

    [message] = sent_to(parent)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_link(message).startswith(f"{SITE}/children/e-mails/off/")
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_meeting_email_to_the_family_offers_one_click_unsubscribe(
    child, parent, practitioner_post, django_capture_on_commit_callbacks
):
    offered_meeting_moved(child, parent, practitioner_post, django_capture_on_commit_callbacks)

    [message] = sent_to(parent)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/children/e-mails/off/" in unsubscribe_link(message)


def test_the_one_click_post_stops_these_emails_but_not_the_notices_on_the_familys_pages(
    child, parent, practitioner_post, nursery, manager, django_capture_on_commit_callbacks
):
    offered_meeting_moved(child, parent, practitioner_post, django_capture_on_commit_callbacks)
    [message] = sent_to(parent)
    link = unsubscribe_link(message).removeprefix(SITE)

    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not parent.guardianships.get(child=child).news_by_email
    mail.outbox.clear()
    new_key_person(child, nursery, manager, django_capture_on_commit_callbacks)
    assert sent_to(parent) == []
    assert KeyPersonNotice.objects.filter(assignment__child=child).exists()


def test_a_family_member_turns_these_emails_back_on_from_their_details(login, child, parent):
    parent.guardianships.update(news_by_email=False)
    client = login(parent)
    assert "Stop these e-mails" not in client.get(reverse("children:my_details")).content.decode()

    client.post(reverse("children:news_email_preference", args=[child.pk]), {"email": "on"})

    assert parent.guardianships.get(child=child).news_by_email
    assert "Stop these e-mails" in client.get(reverse("children:my_details")).content.decode()


def test_nobody_changes_another_familys_email_switch(login, child, other_parent):
    response = login(other_parent).post(reverse("children:news_email_preference", args=[child.pk]), {"email": "on"})
    assert response.status_code == 404
