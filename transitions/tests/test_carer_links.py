"""Sharing a child's summary with another carer (a childminder, a speech and language therapist): only once
the family agrees to that person, through an expiring, revocable link that works without an account, each
visit logged and notes sent back recorded; a link that has ended answers 410 and says whom to ask."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from children.models import ChildAuditEvent, ConsentPurpose
from children.selectors import has_consent
from children.tests.factories import ChildFactory, GuardianshipFactory, consent
from learning_stories.tests.factories import (
    AssessmentFactory,
    NextStepFactory,
    ObservationFactory,
    ObservationPhotoFactory,
)
from nursery.tests.factories import StaffMemberFactory
from transitions.carer_links import services
from transitions.models import CarerLinkView, CarerNote, CarerShareLink, OtherCarer

pytestmark = pytest.mark.django_db
OTHER_CARERS = ConsentPurpose.SHARE_WITH_OTHER_CARERS


@pytest.fixture
def carer(child, practitioner):
    return services.add_carer(
        child=child,
        name="Tess Hughes",
        role=OtherCarer.Role.SPEECH_THERAPIST,
        organisation="NHS Speech and Language",
        email="",
        by=practitioner,
    )


@pytest.fixture
def agreed(carer, parent):
    return services.decide(carer=carer, agreed=True, by=parent)


@pytest.fixture
def link(agreed, practitioner):
    return services.create_carer_link(carer=agreed, by=practitioner)


def page(link: CarerShareLink) -> str:
    return reverse("transitions:carer_page", args=[link.token])


def carers_page(child) -> str:
    return reverse("transitions:carers", args=[child.pk])


# --- The family's consent ----------------------------------------------------------------------------


def test_no_link_is_made_before_the_family_agrees(carer, practitioner):
    with pytest.raises(ValidationError, match="has not agreed"):
        services.create_carer_link(carer=carer, by=practitioner)
    assert not CarerShareLink.objects.exists()


def test_the_key_person_adds_a_carer_and_the_family_is_asked(login, practitioner, child):
    response = login(practitioner).post(
        carers_page(child),
        {"name": "Cath Minder", "role": "childminder", "organisation": "", "email": ""},
        follow=True,
    )
    carer = OtherCarer.objects.get()
    assert (carer.name, carer.consent, carer.added_by) == ("Cath Minder", OtherCarer.Consent.ASKED, practitioner)
    assert "asked to agree first" in response.content.decode()


def test_a_parent_agrees_in_their_account_and_the_consent_history_records_it(login, parent, carer):
    login(parent).post(reverse("transitions:carer_decide", args=[carer.pk]), {"answer": "agree"})
    carer.refresh_from_db()
    assert (carer.consent, carer.consent_by) == (OtherCarer.Consent.AGREED, parent)
    assert has_consent(carer.child, OTHER_CARERS)
    assert carer.child.consents.get().note == "For Tess Hughes"


def test_the_family_sees_a_waiting_request_on_the_childs_page(login, parent, carer):
    page = login(parent).get(reverse("children:detail", args=[carer.child.pk])).content.decode()
    assert "would like to share a summary with Tess Hughes" in page


def test_a_guardian_without_parental_responsibility_cannot_decide(login, child, carer):
    gran = GuardianshipFactory(child=child, has_parental_responsibility=False).user
    response = login(gran).post(reverse("transitions:carer_decide", args=[carer.pk]), {"answer": "agree"})
    assert response.status_code == 403
    carer.refresh_from_db()
    assert carer.consent == OtherCarer.Consent.ASKED


def test_the_key_person_records_a_signed_paper_form_with_its_date(login, practitioner, carer):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 3, 10, 0)), tick=False):
        login(practitioner).post(
            reverse("transitions:carer_paper_consent", args=[carer.pk]), {"signed_on": "2026-11-02"}
        )
    carer.refresh_from_db()
    assert (carer.consent, carer.consent_on_paper) == (OtherCarer.Consent.AGREED, date(2026, 11, 2))
    assert has_consent(carer.child, OTHER_CARERS)


def test_a_paper_form_dated_in_the_future_is_refused_with_a_message(login, practitioner, carer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(practitioner).post(
        reverse("transitions:carer_paper_consent", args=[carer.pk]), {"signed_on": tomorrow.isoformat()}, follow=True
    )
    assert "cannot be signed in the future" in response.content.decode()
    carer.refresh_from_db()
    assert carer.consent == OtherCarer.Consent.ASKED


def test_the_key_person_makes_a_link_that_ends_after_30_days_by_default(login, practitioner, agreed):
    login(practitioner).post(reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "30"})
    link = CarerShareLink.objects.get()
    assert link.created_by == practitioner
    assert link.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert agreed.child.audit_events.filter(action=ChildAuditEvent.Action.SHARED).exists()


def test_a_link_longer_than_90_days_is_refused_and_none_is_made(login, practitioner, agreed):
    response = login(practitioner).post(
        reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "365"}, follow=True
    )
    assert "less than or equal to 90" in response.content.decode()
    assert not CarerShareLink.objects.exists()


# --- The carer's page --------------------------------------------------------------------------------


def test_the_carer_sees_the_summary_without_an_account_and_the_visit_is_logged(link, child, other_child):
    ObservationFactory(
        nursery=child.nursery, text="Ava and Zara built a tall tower together.", children=[child, other_child]
    )
    ObservationFactory(nursery=child.nursery, text="Staff-only worry.", staff_only=True, children=[child])
    NextStepFactory(child=child, text="Name the colours of the bricks.")
    AssessmentFactory(child=child, point__name="Autumn term")

    response = Client().get(page(link), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Therapy/1.0")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ava and a friend built a tall tower together." in body  # another child is never named
    assert "Zara" not in body
    assert "Staff-only worry" not in body
    assert "Name the colours of the bricks." in body
    assert "Autumn term" in body
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    # No links into the app: static files, the app manifest and the public accessibility statement only.
    for public in ('href="/static/', 'href="/manifest.webmanifest"', 'href="/accessibility/"'):
        body = body.replace(public, "")
    assert 'href="/' not in body
    view = CarerLinkView.objects.get()
    assert (view.link, view.ip_address, view.user_agent) == (link, "203.0.113.9", "Therapy/1.0")


def test_the_summary_shows_no_photos(link, child):
    photo = ObservationPhotoFactory(observation__nursery=child.nursery, children=[child])
    photo.observation.child_links.create(child=child)
    body = Client().get(page(link)).content.decode()
    assert "<img" not in body
    assert "Photos are not included" in body


def test_a_revoked_link_answers_410_and_says_whom_to_ask(link, practitioner):
    services.revoke_carer_link(link=link, by=practitioner)
    response = Client().get(page(link))
    body = response.content.decode()
    assert response.status_code == 410
    assert "This link has ended" in body
    assert "Priya Practitioner at Rainbow Nursery" in body
    assert "Ava" not in body


def test_an_expired_link_answers_410(link):
    with time_machine.travel(link.expires_at + timedelta(minutes=1), tick=False):
        response = Client().get(page(link))
    assert response.status_code == 410
    assert "This link has ended" in response.content.decode()


def test_the_link_works_until_the_moment_it_expires(link):
    with time_machine.travel(link.expires_at - timedelta(minutes=1), tick=False):
        assert Client().get(page(link)).status_code == 200


def test_the_family_saying_no_later_stops_the_link_at_once(link, parent):
    services.decide(carer=link.carer, agreed=False, by=parent)
    assert Client().get(page(link)).status_code == 410


def test_withdrawing_consent_to_sharing_with_other_carers_stops_the_link(link, parent):
    consent(link.carer.child, OTHER_CARERS, granted=False, by=parent)
    assert Client().get(page(link)).status_code == 410


def test_an_address_never_made_answers_404():
    assert Client().get(reverse("transitions:carer_page", args=["not-a-token"])).status_code == 404


def test_the_carer_sends_a_note_back_and_the_key_person_and_family_read_it(link, login, practitioner, parent):
    response = Client().post(page(link), {"text": "Working on two-word phrases with picture cards."})
    assert "your note has been sent" in response.content.decode()
    assert CarerNote.objects.get().link == link
    for reader in (practitioner, parent):
        assert (
            "two-word phrases with picture cards" in login(reader).get(carers_page(link.carer.child)).content.decode()
        )


def test_a_note_too_long_is_refused_and_what_was_typed_is_kept(link):
    response = Client().post(page(link), {"text": "x" * 2001})
    assert response.status_code == 200
    assert "Keep this to 2,000 characters" in response.content.decode()
    assert "x" * 2001 in response.content.decode()
    assert not CarerNote.objects.exists()


def test_notes_are_limited_to_a_few_a_day(link):
    for n in range(services.NOTES_PER_DAY):
        services.send_carer_note(link=link, text=f"Note {n}")
    response = Client().post(page(link), {"text": "One more"})
    assert "try again tomorrow" in response.content.decode()
    assert CarerNote.objects.count() == services.NOTES_PER_DAY


def test_a_note_to_a_revoked_link_answers_410_and_is_not_kept(link, practitioner):
    services.revoke_carer_link(link=link, by=practitioner)
    assert Client().post(page(link), {"text": "Hello"}).status_code == 410
    assert not CarerNote.objects.exists()


# --- Who may see and do what --------------------------------------------------------------------------


def test_another_family_sees_none_of_it(login, other_parent, link):
    client = login(other_parent)
    assert client.get(carers_page(link.carer.child)).status_code == 404
    assert (
        client.post(reverse("transitions:carer_decide", args=[link.carer.pk]), {"answer": "decline"}).status_code == 404
    )
    assert client.post(reverse("transitions:carer_link_revoke", args=[link.pk])).status_code == 404
    link.carer.refresh_from_db()
    assert link.carer.agreed


def test_another_family_cannot_add_a_carer_for_a_child_not_theirs(login, other_parent, child):
    response = login(other_parent).post(carers_page(child), {"name": "X", "role": "childminder"})
    assert response.status_code == 404
    assert not OtherCarer.objects.exists()


def test_a_family_cannot_add_carers_or_make_links(login, parent, agreed):
    client = login(parent)
    assert client.post(carers_page(agreed.child), {"name": "X", "role": "childminder"}).status_code == 403
    assert client.post(reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "30"}).status_code == 403
    assert not CarerShareLink.objects.exists()


def test_staff_of_another_nursery_cannot_see_or_share(login, other_manager, agreed, link):
    client = login(other_manager)
    assert client.get(carers_page(agreed.child)).status_code == 404
    assert client.post(reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "30"}).status_code == 404
    assert client.post(reverse("transitions:carer_link_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_practitioner_who_is_not_the_key_person_cannot_share(login, nursery, agreed):
    colleague = StaffMemberFactory(nursery=nursery).user
    assert login(colleague).get(carers_page(agreed.child)).status_code == 403
    response = login(colleague).post(reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "30"})
    assert response.status_code == 403


def test_a_manager_may_share_too(login, manager, agreed):
    login(manager).post(reverse("transitions:carer_link_create", args=[agreed.pk]), {"days": "10"})
    assert CarerShareLink.objects.get().created_by == manager


def test_a_link_for_one_child_never_shows_another_childs_summary(link, nursery, practitioner_post):
    sibling_story = ChildFactory(nursery=nursery, first_name="Noah")
    ObservationFactory(nursery=nursery, text="Noah painted a rainbow.", children=[sibling_story])
    assert "rainbow" not in Client().get(page(link)).content.decode()
