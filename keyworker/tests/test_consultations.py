"""Meetings with families: asking, offering and booking times, double booking refused, the prepared
summary, notes afterwards and the notices each side receives."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from keyworker.meetings import services
from keyworker.models import Consultation, ConsultationNotice
from keyworker.tests.factories import KeyPersonAssignmentFactory
from keyworker.tests.outbox import sweep_outbox
from learning_stories.tests.factories import AssessmentFactory, NextStepFactory, ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(practitioner_post):
    return services.offer_slot(
        key_person=practitioner_post,
        starts_at=timezone.now() + timedelta(days=2),
        minutes=20,
        place="video",
        where="Link sent by e-mail",
    )


@pytest.fixture
def zara(other_child, practitioner_post):
    """A second family whose child has the same key person."""
    KeyPersonAssignmentFactory(child=other_child, key_person=practitioner_post)
    return other_child


def test_a_parent_asks_for_a_meeting_and_the_key_person_is_told_once(
    login, parent, child, practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(parent).post(
            reverse("keyworker:meeting_ask", args=[child.pk]),
            {"message": "How is Ava settling?", "preferred_times": "Tuesdays after 4"},
        )
    assert response.status_code == 302
    meeting = Consultation.objects.get()
    assert (meeting.status, meeting.key_person.user) == (Consultation.Status.REQUESTED, practitioner)
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert "How is Ava settling?" in mail.outbox[0].body
    page = login(practitioner).get(reverse("keyworker:meetings")).content.decode()
    assert "How is Ava settling?" in page
    assert "asked for a meeting about Ava" in page


def test_an_empty_request_is_refused_and_nothing_is_saved(login, parent, child):
    response = login(parent).post(reverse("keyworker:meeting_ask", args=[child.pk]), {"preferred_times": "Mon"})
    assert response.status_code == 200
    assert "Mon" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_parent_books_an_offered_time_which_answers_their_request(login, parent, child, slot, practitioner):
    services.request_meeting(child=child, by=parent, message="Sleep", preferred_times="")
    page = login(parent).get(reverse("keyworker:family_meetings")).content.decode()
    assert "video call" in page
    response = login(parent).post(reverse("keyworker:meeting_slot_book", args=[slot.pk]), {"child": child.pk})
    meeting = Consultation.objects.get()
    assert response.url == reverse("keyworker:meeting", args=[meeting.pk])
    assert (meeting.status, meeting.slot, meeting.message) == (Consultation.Status.BOOKED, slot, "Sleep")
    assert ConsultationNotice.objects.filter(recipient=practitioner, kind="booked").count() == 1


def test_a_second_family_cannot_book_a_time_already_booked(login, parent, other_parent, child, zara, slot):
    login(parent).post(reverse("keyworker:meeting_slot_book", args=[slot.pk]), {"child": child.pk})
    response = login(other_parent).post(
        reverse("keyworker:meeting_slot_book", args=[slot.pk]), {"child": zara.pk}, follow=True
    )
    assert "this time has just been booked by another family" in response.content.decode()
    assert Consultation.objects.get().child == child


def test_when_two_families_book_at_the_same_moment_the_database_refuses_the_second(
    parent, other_parent, child, zara, slot, monkeypatch
):
    """Both requests pass the friendly check before either saves: the constraint decides, with a clear message."""
    services.book_slot(child=child, slot=slot, by=parent)
    monkeypatch.setattr(services.selectors, "live_booking", lambda: Q(pk__in=[]))
    with pytest.raises(ValidationError) as refused:
        services.book_slot(child=zara, slot=slot, by=other_parent)
    assert refused.value.messages == [services.SLOT_TAKEN]
    assert Consultation.objects.filter(status=Consultation.Status.BOOKED).count() == 1


def test_the_database_itself_allows_one_live_booking_per_slot(child, zara, slot, practitioner_post):
    Consultation.objects.create(child=child, key_person=practitioner_post, slot=slot, status="booked")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(child=zara, key_person=practitioner_post, slot=slot, status="booked")


def test_a_cancelled_booking_frees_the_time_for_another_family(parent, other_parent, child, zara, slot, practitioner):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    services.cancel_meeting(consultation=meeting, by=parent)
    assert services.book_slot(child=zara, slot=slot, by=other_parent).status == Consultation.Status.BOOKED
    assert ConsultationNotice.objects.filter(recipient=practitioner, kind="cancelled").exists()


def test_a_parent_moves_their_meeting_to_another_time(login, parent, child, slot, practitioner_post):
    later = services.offer_slot(
        key_person=practitioner_post, starts_at=slot.starts_at + timedelta(hours=1), minutes=20, place="phone"
    )
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    login(parent).post(reverse("keyworker:meeting_move", args=[meeting.pk]), {"slot": later.pk})
    meeting.refresh_from_db()
    assert meeting.slot == later
    assert services.book_slot(child=child, slot=slot, by=parent).slot == slot  # the first time is free again


def test_the_key_person_is_told_on_their_meetings_page_that_a_meeting_moved(
    login, parent, practitioner, child, slot, practitioner_post
):
    later = services.offer_slot(
        key_person=practitioner_post, starts_at=slot.starts_at + timedelta(hours=1), minutes=20, place="phone"
    )
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    services.move_meeting(consultation=meeting, slot=later, by=parent)

    page = login(practitioner).get(reverse("keyworker:meetings")).content.decode()
    assert "moved a meeting" in page
    assert ConsultationNotice.objects.filter(recipient=practitioner, kind="moved").count() == 1


def test_a_time_from_another_key_person_cannot_be_booked(parent, child, nursery):
    from nursery.tests.factories import StaffMemberFactory

    someone_else = services.offer_slot(
        key_person=StaffMemberFactory(nursery=nursery),
        starts_at=timezone.now() + timedelta(days=1),
        minutes=10,
        place="phone",
    )
    with pytest.raises(ValidationError):
        services.book_slot(child=child, slot=someone_else, by=parent)


def test_a_parent_cannot_book_for_another_familys_child(login, other_parent, child, slot):
    response = login(other_parent).post(reverse("keyworker:meeting_slot_book", args=[slot.pk]), {"child": child.pk})
    assert response.status_code == 404


def test_a_time_in_the_past_cannot_be_offered(practitioner_post):
    with pytest.raises(ValidationError):
        services.offer_slot(
            key_person=practitioner_post, starts_at=timezone.now() - timedelta(hours=1), minutes=20, place="phone"
        )


def test_a_booked_time_cannot_be_withdrawn(parent, child, slot):
    services.book_slot(child=child, slot=slot, by=parent)
    with pytest.raises(ValidationError):
        services.withdraw_slot(slot=slot)


def test_staff_see_the_prepared_summary(login, practitioner, parent, child, slot):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    ObservationFactory(nursery=child.nursery, children=[child], text="Recent tower of blocks")
    ObservationFactory(
        nursery=child.nursery,
        children=[child],
        text="Old painting",
        observed_at=timezone.now() - timedelta(weeks=8),
    )
    AssessmentFactory(child=child, rationale="Uses two-word phrases")
    NextStepFactory(child=child, text="Use three-word phrases")
    page = login(practitioner).get(reverse("keyworker:meeting", args=[meeting.pk])).content.decode()
    assert "Recent tower of blocks" in page
    assert "Old painting" not in page
    assert "Uses two-word phrases" in page
    assert "Use three-word phrases" in page


def test_the_summary_says_so_when_there_are_no_assessments(login, practitioner, parent, child, slot):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    page = login(practitioner).get(reverse("keyworker:meeting", args=[meeting.pk])).content.decode()
    assert "No assessments yet" in page


def test_notes_stay_with_staff_and_the_agreed_summary_reaches_the_family(login, practitioner, parent, child, slot):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    login(practitioner).post(
        reverse("keyworker:meeting", args=[meeting.pk]),
        {"notes": "Mum worried about sleep", "agreed_summary": "We will try a quiet story before nap time."},
    )
    meeting.refresh_from_db()
    assert meeting.status == Consultation.Status.HELD
    page = login(parent).get(reverse("keyworker:meeting", args=[meeting.pk])).content.decode()
    assert "quiet story before nap time" in page
    assert "Mum worried about sleep" not in page
    assert "Prepared summary" not in page
    assert ConsultationNotice.objects.filter(recipient=parent, kind="notes").count() == 1


def test_a_parent_cannot_write_notes(login, parent, child, slot):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    response = login(parent).post(reverse("keyworker:meeting", args=[meeting.pk]), {"notes": "x"})
    assert response.status_code == 404


def test_another_family_and_another_nursery_get_404_for_the_meeting(
    login, parent, other_parent, other_manager, child, slot
):
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    for outsider in (other_parent, other_manager):
        assert login(outsider).get(reverse("keyworker:meeting", args=[meeting.pk])).status_code == 404
        assert login(outsider).post(reverse("keyworker:meeting_cancel", args=[meeting.pk])).status_code == 404


def test_the_key_person_booking_for_a_family_tells_the_family(
    parent, child, slot, practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(child=child, slot=slot, by=practitioner)
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_a_notice_is_emailed_once(parent, child, slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.book_slot(child=child, slot=slot, by=parent)
    notice = ConsultationNotice.objects.get(consultation=meeting)
    assert OutgoingMail.objects.get().key == f"meeting-notice:{notice.pk}:{notice.recipient_id}"
    assert sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_a_booking_made_while_the_broker_is_down_is_kept_and_the_sweep_tells_the_key_person(
    parent, child, slot, practitioner, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.book_slot(child=child, slot=slot, by=parent)
    assert Consultation.objects.get().status == Consultation.Status.BOOKED
    assert mail.outbox == []

    from conftest import use_broker

    use_broker("memory://", eager=True)
    assert sweep_outbox() == 1
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert link_path(mail.outbox[0]) == reverse("keyworker:meeting", args=[meeting.pk])


def link_path(message) -> str:
    from tests.helpers import link_path_in

    return link_path_in(message)


def test_a_key_person_cannot_offer_a_time_that_overlaps_one_already_offered(practitioner_post, slot):
    with pytest.raises(ValidationError, match="one person cannot be in two meetings at once"):
        services.offer_slot(
            key_person=practitioner_post, starts_at=slot.starts_at + timedelta(minutes=10), minutes=20, place="phone"
        )
    right_after = services.offer_slot(
        key_person=practitioner_post, starts_at=slot.starts_at + timedelta(minutes=20), minutes=20, place="phone"
    )
    assert right_after.pk


def test_another_practitioner_may_read_a_meeting_but_not_change_it(login, nursery, room, parent, child, slot):
    from nursery.tests.factories import StaffMemberFactory

    meeting = services.book_slot(child=child, slot=slot, by=parent)
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    client = login(colleague)
    assert client.get(reverse("keyworker:meeting", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("keyworker:meeting_cancel", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Consultation.Status.BOOKED


def test_a_relative_without_parental_responsibility_neither_sees_nor_hears_of_meetings(
    login, parent, child, slot, django_capture_on_commit_callbacks
):
    from children.tests.factories import GuardianshipFactory

    grandparent = GuardianshipFactory(child=child, has_parental_responsibility=False, relationship="grandparent").user
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.book_slot(child=child, slot=slot, by=parent)
        services.cancel_meeting(consultation=meeting, by=slot.key_person.user)
    assert not ConsultationNotice.objects.filter(recipient=grandparent).exists()
    assert grandparent.email not in [address for message in mail.outbox for address in message.to]
    assert login(grandparent).get(reverse("keyworker:meeting", args=[meeting.pk])).status_code == 404


def test_moving_a_meeting_back_to_its_first_time_tells_the_key_person_again(parent, child, slot, practitioner_post):
    later = services.offer_slot(
        key_person=practitioner_post, starts_at=slot.starts_at + timedelta(hours=1), minutes=20, place="phone"
    )
    meeting = services.book_slot(child=child, slot=slot, by=parent)
    services.move_meeting(consultation=meeting, slot=later, by=parent)
    services.move_meeting(consultation=meeting, slot=slot, by=parent)
    assert ConsultationNotice.objects.filter(recipient=practitioner_post.user).count() == 3
