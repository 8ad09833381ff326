"""Every e-mail KeyStory sends a family, read back as a mail client reads it (Python's ``email`` package).

Each kind is made by the service a person's action runs. All of them: a plain-text and an HTML part, marked
automatic, from the nursery, with a Message-ID of this site and no "..". Notices a family may stop also
carry the one-click opt-out (RFC 8058), and the mail provider's POST to it, with no log-in and no CSRF
token, turns off that family's own switch. An invitation is a one-off the person needs: no opt-out.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from children.medicines import services as medicines
from children.models import Guardianship
from children.services import invite_guardian
from children.tests.factories import AttendanceFactory
from children.tests.medicine_factories import MedicineRequestFactory
from keyworker.feedback import services as feedback
from keyworker.meetings import ask_services as asking
from keyworker.meetings import services as meetings
from keyworker.services import assign_key_person
from keyworker.tests.factories import SessionFeedbackFactory
from learning_stories.models import EntryNotice, NotificationPreference, Observation, ProgressCheck
from learning_stories.notices import queue_daily_digests, set_notification_frequency
from learning_stories.observations import services as observations
from learning_stories.progress_check import services as checks
from learning_stories.progress_check.selectors import prime_areas_for
from learning_stories.tests.factories import ObservationFactory
from messaging import notices as message_notices
from messaging import services as messaging
from messaging.models import EmailChoice
from nursery.tests.factories import RoomFactory, StaffMemberFactory
from tests.test_emails import NOW, parsed, parts
from transitions.leaver_pack import services as packs
from transitions.plans import services as plans
from transitions.tests.factories import TransitionPlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]

SITE = "https://keystory.example.org"
FAMILY = "new.parent@families.example"  # the address a family invitation goes to


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "KeyStory <keystory@example.org>"


@dataclass
class Family:
    """What the scenarios act on (the conftest's people), and the parent's switches as they stand now."""

    child: object
    parent: User
    manager: User
    key_person: object  # the child's key person's staff post
    capture: Callable

    def link(self) -> Guardianship:
        return Guardianship.objects.get(user=self.parent, child=self.child)

    def news_on(self) -> bool:
        return self.link().news_by_email

    def feedback_on(self) -> bool:
        return self.link().feedback_by_email

    def messages_on(self) -> bool:
        choice = EmailChoice.objects.filter(user=self.parent).first()
        return choice is None or choice.frequency != EmailChoice.Frequency.OFF

    def story_on(self) -> bool:
        return NotificationPreference.objects.get(user=self.parent).frequency != NotificationPreference.Frequency.OFF


@dataclass(frozen=True)
class Kind:
    """One kind of e-mail: how to make it (for the parent, or to ``FAMILY``), what it must say, and the switch
    its opt-out turns off (None: not a notice, no opt-out)."""

    make: Callable[[Family], None]
    says: tuple[str, ...] = ()
    switch: Callable[[Family], bool] | None = Family.news_on
    to_invitee: bool = False


def key_person_change(f: Family) -> None:
    with f.capture(execute=True):
        assign_key_person(
            child=f.child,
            key_person=StaffMemberFactory(nursery=f.child.nursery, user__full_name="Leah Morgan"),
            starts_on=timezone.localdate(),
            reason="Bonded with Leah",
            by=f.manager,
        )


def _slots(f: Family):
    """Two times the key person offers: Friday 11 December at 10:00 and Saturday 12 December at 14:00."""
    return [
        meetings.offer_slot(key_person=f.key_person, starts_at=NOW + after, minutes=20, place="in_person")
        for after in (timedelta(days=3, hours=1), timedelta(days=4, hours=5))
    ]


def meeting_booked(f: Family) -> None:
    first, _ = _slots(f)
    with f.capture(execute=True):
        meetings.book_slot(child=f.child, slot=first, by=f.key_person.user)


def meeting_moved(f: Family) -> None:
    first, later = _slots(f)
    meeting = meetings.book_slot(child=f.child, slot=first, by=f.parent)
    with f.capture(execute=True):
        meetings.move_meeting(consultation=meeting, slot=later, by=f.key_person.user)


def meeting_cancelled(f: Family) -> None:
    first, _ = _slots(f)
    meeting = meetings.book_slot(child=f.child, slot=first, by=f.parent)
    with f.capture(execute=True):
        meetings.cancel_meeting(consultation=meeting, by=f.key_person.user)


def meeting_request(f: Family) -> None:
    with f.capture(execute=True):
        asking.ask_to_meet(
            child=f.child,
            by=f.key_person.user,
            reason="How Ava is sleeping",
            times=[NOW + timedelta(days=3, hours=1)],
            urgent=True,
        )


def medicine_given(f: Family) -> None:
    AttendanceFactory(child=f.child, signed_in_at=NOW - timedelta(hours=1))
    request = MedicineRequestFactory(child=f.child, times=f"{timezone.localtime(NOW):%H:%M}")
    witness = StaffMemberFactory(nursery=f.child.nursery).user
    with f.capture(execute=True):
        medicines.record_dose(
            request=request, by=f.key_person.user, given_at=NOW, dose_given=request.dose, witness=witness
        )


def progress_check_shared(f: Family) -> None:
    check = checks.start_progress_check(
        child=f.child, by=f.key_person.user, prime_areas=prime_areas_for(f.child.nursery_id)
    )
    ProgressCheck.objects.filter(pk=check.pk).update(
        strengths="Loves stories.", setting_plan="A new story each week.", family_plan="Read at bedtime."
    )
    for row in check.area_summaries.all():
        row.summary, row.on_track = f"Doing well in {row.area.name}.", True
        row.save()
    with f.capture(execute=True):
        checks.share_progress_check(check=check, by=f.key_person.user)


def room_move(f: Family) -> None:
    plan = TransitionPlanFactory(
        child=f.child,
        to_room=RoomFactory(nursery=f.child.nursery, name="Rainbows"),
        planned_on=timezone.localdate(),
        created_by=f.manager,
    )
    with f.capture(execute=True):
        plans.apply_plan(plan_id=plan.pk, by=f.manager, now=True)


def leaver_pack_ready(f: Family) -> None:
    f.child.leave_date = timezone.localdate()
    f.child.save(update_fields=["leave_date"])
    with f.capture(execute=True):
        packs.request_pack(child=f.child, user=f.manager)


def observation_published(f: Family) -> None:
    set_notification_frequency(user=f.parent, frequency=NotificationPreference.Frequency.IMMEDIATE)
    waiting = ObservationFactory(
        nursery=f.child.nursery,
        author=f.key_person.user,
        children=[f.child],
        status=Observation.Status.AWAITING_REVIEW,
        text="Ava counted five ducks.",
    )
    with f.capture(execute=True):
        observations.publish(observation=waiting, by=f.manager)


def story_digest(f: Family) -> None:
    set_notification_frequency(user=f.parent, frequency=NotificationPreference.Frequency.DAILY)
    observation = ObservationFactory(nursery=f.child.nursery, children=[f.child], text="Ava counted five ducks.")
    EntryNotice.objects.create(recipient=f.parent, observation=observation, child=f.child)
    with f.capture(execute=True):
        queue_daily_digests()


def session_feedback(f: Family) -> None:
    Guardianship.objects.filter(user=f.parent).update(feedback_by_email=True)
    sent = SessionFeedbackFactory(child=f.child, status="ready", note="Ava built a tall tower.")
    with f.capture(execute=True):
        feedback.publish_feedback(feedback_id=sent.pk)


def message_from_the_key_person(f: Family) -> None:
    with f.capture(execute=True):
        messaging.send_message(child=f.child, by=f.key_person.user, as_family=False, text="Ava loved the sandpit.")


def announcement(f: Family) -> None:
    with f.capture(execute=True):
        messaging.send_announcement(
            nursery=f.child.nursery, room=None, title="Closed on Monday", text="Staff training.", by=f.manager
        )


def messages_digest(f: Family) -> None:
    messaging.set_email_frequency(user=f.parent, frequency=EmailChoice.Frequency.DAILY)
    messaging.send_message(child=f.child, by=f.key_person.user, as_family=False, text="Ava loved the sandpit.")
    with f.capture(execute=True):
        message_notices.queue_daily_digests()


def family_invitation(f: Family) -> None:
    with f.capture(execute=True):
        invite_guardian(
            children=[f.child],
            email=FAMILY,
            full_name="Alex Taylor",
            relationship="parent",
            has_parental_responsibility=True,
            invited_by=f.manager,
        )


MOVED = "from Friday 11 December 2026, 10:00 to Saturday 12 December 2026, 14:00"
KINDS = {
    "key person change": Kind(key_person_change, says=("Leah Morgan",)),
    "meeting booked": Kind(meeting_booked, says=("booked", "Friday 11 December 2026, 10:00")),
    "meeting moved": Kind(meeting_moved, says=("moved", MOVED)),
    "meeting cancelled": Kind(meeting_cancelled, says=("cancelled",)),
    "meeting request": Kind(meeting_request, says=("talk soon", "Friday 11 December 2026, 10:00")),
    "medicine given": Kind(medicine_given, says=("given a medicine",)),
    "progress check shared": Kind(progress_check_shared, says=("progress check",)),
    "room move": Kind(room_move, says=("Rainbows",)),
    "leaver pack ready": Kind(leaver_pack_ready, says=("leaver pack",)),
    "observation published": Kind(observation_published, says=("learning story",), switch=Family.story_on),
    "daily story digest": Kind(story_digest, says=("learning story",), switch=Family.story_on),
    "end-of-session feedback": Kind(session_feedback, says=("Ava built a tall tower.",), switch=Family.feedback_on),
    "message from the key person": Kind(message_from_the_key_person, says=("message",), switch=Family.messages_on),
    "announcement": Kind(announcement, says=("Closed on Monday",), switch=Family.messages_on),
    "daily messages digest": Kind(messages_digest, says=("message about Ava",), switch=Family.messages_on),
    "family invitation": Kind(family_invitation, says=("invited",), switch=None, to_invitee=True),
}


@pytest.fixture
def family(child, parent, manager, practitioner_post, django_capture_on_commit_callbacks) -> Family:
    return Family(child, parent, manager, practitioner_post, django_capture_on_commit_callbacks)


def the_email(kind: Kind, family: Family):
    """The one e-mail of this kind to the parent (or the invited family member), parsed."""
    mail.outbox.clear()
    kind.make(family)
    to = FAMILY if kind.to_invitee else family.parent.email
    sent = [parsed(message) for message in mail.outbox if to in message.to]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    return sent[0]


def one_click_urls(message) -> list[str]:
    """The addresses in List-Unsubscribe: ``<https://…>`` and perhaps ``<mailto:…>``."""
    return re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"] or ""))


@pytest.mark.parametrize("name", KINDS)
def test_every_email_to_a_family_is_two_parts_automatic_from_the_nursery_and_of_this_site(name, family, nursery):
    kind = KINDS[name]
    message = the_email(kind, family)

    text, html = parts(message)  # multipart/alternative: text/plain and text/html
    assert message["Auto-Submitted"] == "auto-generated"
    [sender] = message["From"].addresses
    assert sender.display_name == nursery.name, sender.display_name
    assert message["Message-ID"].rsplit("@", 1)[1].rstrip(">") == urlsplit(SITE).hostname
    for phrase in kind.says:
        assert phrase.lower() in f"{message['Subject']}\n{text}".lower(), phrase
    for part in (message["Subject"], text, html):
        assert not re.search(r"(?<!\.)\.\.(?!\.)", str(part)), part  # "KeyStory.." and the like


@pytest.mark.parametrize("name", [name for name, kind in KINDS.items() if kind.switch])
def test_every_family_notice_offers_one_click_unsubscribe_that_turns_that_familys_switch_off(name, family):
    kind = KINDS[name]
    message = the_email(kind, family)
    assert kind.switch(family)

    https = [url for url in one_click_urls(message) if url.startswith("https://")]
    assert [url.split(":", 1)[0] for url in one_click_urls(message)] in (["https"], ["https", "mailto"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert https[0].startswith(SITE + "/")
    provider = Client(enforce_csrf_checks=True)  # no session, no CSRF token: only the RFC 8058 POST
    response = provider.post(
        https[0].removeprefix(SITE), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not kind.switch(family)


@pytest.mark.parametrize("name", [name for name, kind in KINDS.items() if not kind.switch])
def test_an_email_the_person_needs_has_no_unsubscribe(name, family):
    message = the_email(KINDS[name], family)
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


def test_every_kind_of_family_email_is_in_the_table():
    """A new kind of family e-mail joins KINDS: each template of a family e-mail is made above."""
    staff_or_others = {
        "review_due",
        "school_link",
        "password_reset",
        "meeting_proposed",
        "absence",
    }  # to staff, a school, or anyone
    made = {
        "key_person",
        "meeting",
        "meeting_moved",
        "meeting_request",
        "medicine_given",
        "progress_check",
        "moved",
        "pack_ready",
        "new_entries",
        "feedback",
        "invitation",
        "new_message",
        "messages_digest",
    }
    templates = {
        path.rsplit("/", 1)[1].removesuffix(".txt")
        for path in map(str, Path(__file__).resolve().parent.parent.glob("templates/*/email/*.txt"))
        if not path.endswith("_subject.txt")
    }
    assert templates == made | staff_or_others
