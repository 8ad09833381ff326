"""E-mails as mail clients and families expect them, read back with Python's ``email`` package: a plain
text and an HTML part, the nursery's name as sender, a Message-ID of this site, automatic-message headers,
and for a notice a family may stop, a one-click opt-out (RFC 8058) that works without logging in."""

import email
import re
import smtplib
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import invitation_url
from children.tests.factories import CareEntryFactory, IncidentFactory, earlier_today
from core import outbox
from core.mail import fixed_headers
from core.models import OutgoingMail
from keyworker.feedback import services as feedback
from keyworker.feedback.selectors import feedback_rows
from keyworker.meetings import services as meetings
from keyworker.tests.day import all_day_session, attended
from keyworker.tests.factories import SessionFeedbackFactory
from learning_stories.models import EntryNotice, NotificationPreference
from learning_stories.notices import queue_daily_digests, set_notification_frequency
from learning_stories.tests.factories import ObservationFactory
from nursery.services import invite_staff

pytestmark = pytest.mark.django_db

SITE = "https://keystory.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "KeyStory <keystory@example.org>"


def parsed(message) -> EmailMessage:
    """A sent e-mail as a mail client reads it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def unsubscribe_link(message: EmailMessage) -> str:
    """The https address in List-Unsubscribe (a long header is folded onto its own line)."""
    return str(message["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">")


def parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


@pytest.fixture
def feedback_email(child, parent, django_capture_on_commit_callbacks):
    """Ava's end-of-session feedback, e-mailed to her parent, who asked for it."""
    parent.guardianships.update(feedback_by_email=True)
    sent = SessionFeedbackFactory(child=child, status="ready", sent_at=None, note="Ava built a tall tower.")
    with django_capture_on_commit_callbacks(execute=True):
        feedback.publish_feedback(feedback_id=sent.pk)
    [message] = mail.outbox
    return parsed(message)


def test_a_family_notice_has_a_plain_text_and_an_html_part_that_fits_a_phone(feedback_email, child):
    text, html = parts(feedback_email)
    link = f"{SITE}{reverse('keyworker:feedback_history', args=[child.pk])}"
    assert "Ava built a tall tower." in text
    assert link in text
    assert "Ava built a tall tower." in html
    assert f'<a href="{link}"' in html  # the link is a button to tap
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "max-width:600px" in html


def test_a_family_notice_comes_from_the_nursery_via_keystory(feedback_email, nursery):
    [sender] = feedback_email["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Rainbow Nursery", "keystory@example.org")


def test_replies_go_to_the_nursery_when_it_has_an_address(child, parent, nursery, django_capture_on_commit_callbacks):
    nursery.email = "office@rainbow.example.org"
    nursery.save(update_fields=["email"])
    parent.guardianships.update(feedback_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.publish_feedback(feedback_id=SessionFeedbackFactory(child=child, status="ready").pk)
    assert parsed(mail.outbox[0])["Reply-To"] == "office@rainbow.example.org"


def test_a_family_notice_is_marked_automatic_and_names_this_site_in_its_message_id(feedback_email):
    assert feedback_email["Auto-Submitted"] == "auto-generated"
    assert feedback_email["Message-ID"].endswith("@keystory.example.org>")
    assert "localhost" not in feedback_email["Message-ID"]


def test_a_feedback_email_offers_one_click_unsubscribe(feedback_email):
    url = unsubscribe_link(feedback_email)
    assert url.startswith(f"{SITE}/my-children/feedback-by-email/off/")
    assert feedback_email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(feedback_email)
    assert url in text  # readable in the plain text too
    assert "Stop these e-mails" in html


def test_the_mail_providers_one_click_post_turns_feedback_emails_off_without_logging_in(feedback_email, parent):
    path = unsubscribe_link(feedback_email).removeprefix(SITE)
    provider = Client(enforce_csrf_checks=True)  # no session, no CSRF token: just the RFC 8058 POST

    response = provider.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert parent.guardianships.get().feedback_by_email is False
    assert "E-mails stopped" in response.content.decode()


def test_opening_the_unsubscribe_link_asks_first_and_changes_nothing(feedback_email, parent):
    path = unsubscribe_link(feedback_email).removeprefix(SITE)
    page = Client().get(path)
    assert page.status_code == 200
    assert "Ava&#x27;s end-of-session feedback by e-mail" in page.content.decode()
    assert 'method="post"' in page.content.decode()
    assert parent.guardianships.get().feedback_by_email is True  # a link scanner opening it stops nothing


def test_a_tampered_or_borrowed_unsubscribe_link_answers_404(feedback_email, parent):
    path = unsubscribe_link(feedback_email).removeprefix(SITE)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-3] + ("abc" if not token.endswith("abc") else "xyz"))
    assert Client().post(tampered).status_code == 404
    assert Client().get(tampered).status_code == 404
    # the same signed token does not work for another setting (the story e-mails)
    assert Client().post(reverse("stories:email_off", kwargs={"token": token})).status_code == 404
    assert parent.guardianships.get().feedback_by_email is True


def test_a_story_email_unsubscribes_from_story_emails(child, parent, django_capture_on_commit_callbacks):
    set_notification_frequency(user=parent, frequency=NotificationPreference.Frequency.DAILY)
    observation = ObservationFactory(nursery=child.nursery, children=[child])
    EntryNotice.objects.create(recipient=parent, observation=observation, child=child)
    with django_capture_on_commit_callbacks(execute=True):
        queue_daily_digests()
    message = parsed(mail.outbox[0])
    _, html = parts(message)
    assert "<li" in html  # the digest's entries are a list
    url = unsubscribe_link(message)
    assert url.startswith(f"{SITE}/stories/e-mails/off/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert Client(enforce_csrf_checks=True).post(url.removeprefix(SITE)).status_code == 200

    assert NotificationPreference.objects.get(user=parent).frequency == NotificationPreference.Frequency.OFF


def test_an_invitation_is_automatic_from_the_nursery_and_has_no_unsubscribe(
    nursery, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = invite_staff(
            nursery=nursery, email="new@example.org", full_name="New Person", role="practitioner", invited_by=manager
        )
    message = parsed(mail.outbox[0])
    text, html = parts(message)
    [url] = re.findall(r"https://\S+", text)
    assert url.startswith(invitation_url(invited.invitation).rsplit(":", 2)[0])  # the same invitation's link
    assert f'<a href="{url}"' in html
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@keystory.example.org>")
    assert message["From"].addresses[0].display_name == "Rainbow Nursery"
    assert message["List-Unsubscribe"] is None  # a one-off the person needs, not a notice they chose


def test_a_password_reset_comes_from_keystory_itself(client, parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": parent.email})
    message = parsed(mail.outbox[0])
    parts(message)
    assert str(message["From"]) == "KeyStory <keystory@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ('Sun "beams"\r\nBcc: spy@example.org', 'Sun "beams" Bcc: spy@example.org'),
        ("Crèche Étoile, Leeds", "Crèche Étoile, Leeds"),
    ],
)
def test_the_nurserys_name_cannot_break_the_from_header(
    name, shown, nursery, child, parent, django_capture_on_commit_callbacks
):
    nursery.name = name
    nursery.save(update_fields=["name"])
    parent.guardianships.update(feedback_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.publish_feedback(feedback_id=SessionFeedbackFactory(child=child, status="ready").pk)
    message = parsed(mail.outbox[0])
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (shown, "keystory@example.org")
    assert message["Bcc"] is None
    assert message.get_all("To") == [parent.email]


class FlakyOnce(EmailBackend):
    """Refuses the first message (after the test has seen it), then delivers like locmem."""

    refused: list = []

    def send_messages(self, messages) -> int:
        if not FlakyOnce.refused:
            FlakyOnce.refused.extend(messages)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_retried_email_keeps_its_headers_and_html(settings, child, parent, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_emails.FlakyOnce"
    FlakyOnce.refused = []
    parent.guardianships.update(feedback_by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.publish_feedback(feedback_id=SessionFeedbackFactory(child=child, status="ready").pk)
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert row.headers["List-Unsubscribe"].startswith(f"<{SITE}/")

    assert outbox.send_mail_now(mail_id=row.pk) is True

    first, retried = parsed(FlakyOnce.refused[0]), parsed(mail.outbox[0])
    for header in ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted", "From", "Subject"):
        assert retried[header] == first[header], header
    assert parts(retried) == parts(first)


def test_the_feedback_email_ends_each_sentence_with_one_full_stop(
    nursery, room, child, parent, django_capture_on_commit_callbacks
):
    session = all_day_session(nursery)
    day = timezone.localdate()
    attended(child, session, day, start=earlier_today(60))
    IncidentFactory(child=child, happened_at=earlier_today(20))
    CareEntryFactory(child=child, kind="note", note="Played in the sand.", condition="", at=earlier_today(10))
    [row] = feedback_rows(room, session, day)
    parent.guardianships.update(feedback_by_email=True)
    sent = SessionFeedbackFactory(child=child, session=session, day=day, status="ready", summary=row.summary)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.publish_feedback(feedback_id=sent.pk)
    text, html = parts(parsed(mail.outbox[0]))
    assert "Please read the full report on KeyStory." in text
    assert ".." not in text
    assert ".." not in html
    assert ". at" not in text


def test_every_email_template_writes_names_as_they_are():
    """Plain-text e-mails are not HTML: "O'Brien" must not become "O&#x27;Brien"."""
    templates = sorted(Path(__file__).resolve().parent.parent.glob("templates/*/email/*.txt"))
    assert templates
    for template in templates:
        source = re.sub(r"^\{% load [^%]+%\}", "", template.read_text())  # loading tags first is fine
        assert source.startswith("{% autoescape off %}"), template.name
        assert "}}.." not in source, template.name


NOW = timezone.make_aware(timezone.datetime(2026, 12, 8, 9, 0))  # a Tuesday


def test_a_moved_meetings_email_says_it_was_moved_from_when_to_when(
    child, parent, practitioner_post, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        first = meetings.offer_slot(
            key_person=practitioner_post, starts_at=NOW + timedelta(days=3, hours=1), minutes=20, place="in_person"
        )
        later = meetings.offer_slot(
            key_person=practitioner_post, starts_at=NOW + timedelta(days=4, hours=5), minutes=20, place="in_person"
        )
        meeting = meetings.book_slot(child=child, slot=first, by=parent)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meetings.move_meeting(consultation=meeting, slot=later, by=practitioner_post.user)

    [message] = [parsed(m) for m in mail.outbox]
    assert (
        message["Subject"]
        == f"{practitioner_post.user.full_name} moved the meeting about Ava to Saturday 12 December, 14:00"
    )
    assert "booked" not in message["Subject"]
    text, html = parts(message)
    assert "from Friday 11 December 2026, 10:00 to Saturday 12 December 2026, 14:00" in text
    assert "from Friday 11 December 2026, 10:00 to Saturday 12 December 2026, 14:00" in html


@pytest.mark.parametrize(
    ("site_url", "domain"), [("http://[::1]:8000", "[::1]"), ("https://keystory.example.org", "keystory.example.org")]
)
def test_the_message_id_is_well_formed_when_the_site_is_served_on_an_ipv6_address(settings, site_url, domain):
    settings.SITE_URL = site_url
    headers = fixed_headers()
    message = email.message_from_string(f"Message-ID: {headers['Message-ID']}\n\nHello", policy=policy.default)
    assert message["Message-ID"].endswith(f"@{domain}>")
    assert not message["Message-ID"].defects
