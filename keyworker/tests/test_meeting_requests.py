"""The key person asks a family to meet: reason and suggested times, the family takes one or proposes
another, and the agreed time is an ordinary booked consultation with its prepared summary."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from children.tests.factories import GuardianshipFactory
from keyworker.meetings import ask_services, services
from keyworker.models import Consultation, ConsultationNotice, MeetingRequest
from nursery.models import StaffMember
from nursery.tests.factories import StaffMemberFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=LONDON)  # a Tuesday morning

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def form_time(when: datetime) -> str:
    return when.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def asked(child, practitioner, parent, django_capture_on_commit_callbacks) -> MeetingRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return ask_services.ask_to_meet(
            child=child,
            by=practitioner,
            reason="How Ava is sleeping at nursery",
            urgent=True,
            times=[at(10, 16), at(9, 8, 30)],
        )


def test_the_family_is_emailed_the_reason_and_the_times_in_uk_time(asked, parent):
    [email] = mail.outbox
    assert email.to == [parent.email]
    assert "talk soon about Ava" in email.subject
    assert "How Ava is sleeping at nursery" not in email.body  # the reason stays behind the sign-in
    assert "Wednesday 9 December 2026, 08:30" in email.body  # sorted: the earliest first
    assert "Thursday 10 December 2026, 16:00" in email.body
    assert reverse("keyworker:family_meeting_request", args=[asked.pk]) in email.body


def test_times_must_be_in_the_future_and_within_three_months(child, practitioner):
    for times in ([at(8, 8)], [at(10, 9), NOW + timedelta(days=100)], [], [at(9, 9), at(10, 9), at(11, 9), at(14, 9)]):
        with pytest.raises(ValidationError):
            ask_services.ask_to_meet(child=child, by=practitioner, reason="Settling", times=times)
    assert not MeetingRequest.objects.exists()


def test_only_the_childs_care_team_may_ask(child, manager, nursery):
    colleague = StaffMemberFactory(nursery=nursery).user
    with pytest.raises(PermissionDenied):
        ask_services.ask_to_meet(child=child, by=colleague, reason="Settling", times=[at(9, 9)])
    assert ask_services.ask_to_meet(child=child, by=manager, reason="Settling", times=[at(9, 9)]).key_person


def test_the_family_sees_the_request_on_their_home_page(login, asked, parent):
    page = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert "Your key person would like to meet" in page
    assert reverse("keyworker:family_meeting_request", args=[asked.pk]) in page


def test_the_family_takes_a_time_and_it_is_a_booked_meeting_with_the_prepared_summary(
    login, asked, parent, practitioner
):
    response = login(parent).post(
        reverse("keyworker:family_meeting_request", args=[asked.pk]), {"action": "accept", "choice": "1"}
    )
    asked.refresh_from_db()
    meeting = asked.consultation
    assert response.url == reverse("keyworker:meeting", args=[meeting.pk])
    assert (asked.status, meeting.status, meeting.slot.starts_at) == ("accepted", "booked", at(9, 8, 30))
    assert meeting.message == "How Ava is sleeping at nursery"
    assert ConsultationNotice.objects.filter(consultation=meeting, recipient=practitioner, kind="booked").exists()
    staff_page = login(practitioner).get(reverse("keyworker:meeting", args=[meeting.pk])).content.decode()
    assert "Prepared summary" in staff_page
    dashboard = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()
    assert "booked for Wednesday 9 December, 08:30" in dashboard


def test_a_time_not_suggested_cannot_be_taken(login, asked, parent):
    with pytest.raises(ValidationError):
        ask_services.accept_time(meeting_request=asked, when=at(11, 9), by=parent)
    client = login(parent)
    for choice in ("0", "3", "x", ""):
        response = client.post(
            reverse("keyworker:family_meeting_request", args=[asked.pk]), {"action": "accept", "choice": choice}
        )
        assert response.status_code == 200
        assert "Choose one of the times suggested." in response.content.decode()
    assert MeetingRequest.objects.get().status == "waiting"


def test_a_suggested_time_that_has_passed_cannot_be_taken(asked, parent):
    with time_machine.travel(at(9, 9), tick=False), pytest.raises(ValidationError, match="passed"):
        ask_services.accept_time(meeting_request=asked, when=at(9, 8, 30), by=parent)


def test_the_family_proposes_another_time_the_key_person_is_told_sees_it_and_accepts(
    login, asked, parent, practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(parent).post(
            reverse("keyworker:family_meeting_request", args=[asked.pk]),
            {"action": "propose", "when": form_time(at(14, 17)), "note": "After work is easier"},
        )
    assert response.status_code == 302
    [told] = [m for m in mail.outbox if m.to == [practitioner.email]]
    assert "Monday 14 December 2026, 17:00" in told.body
    assert "After work is easier" not in told.body  # the family's note stays behind the sign-in
    assert "They added a note: sign in to read it." in told.body
    dashboard = login(practitioner).get(reverse("keyworker:my_key_children")).content.decode()
    assert "the family proposes Monday 14 December, 17:00" in dashboard
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(practitioner).post(reverse("keyworker:meeting_request", args=[asked.pk]), {"action": "accept"})
    asked.refresh_from_db()
    assert asked.consultation.slot.starts_at == at(14, 17)
    assert response.url == reverse("keyworker:meeting", args=[asked.consultation.pk])
    assert [m.to for m in mail.outbox] == [[parent.email]]  # "booked a meeting", as for any booking


def test_the_key_person_suggests_again_and_the_family_is_asked_again(
    login, asked, parent, practitioner, django_capture_on_commit_callbacks
):
    ask_services.propose_time(meeting_request=asked, when=at(14, 17), note="", by=parent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(practitioner).post(
            reverse("keyworker:meeting_request", args=[asked.pk]),
            {"action": "suggest", "first_time": form_time(at(15, 17, 30))},
        )
    asked.refresh_from_db()
    assert (asked.status, asked.times) == ("waiting", [at(15, 17, 30)])
    assert [m.to for m in mail.outbox] == [[parent.email]]
    assert "Tuesday 15 December 2026, 17:30" in mail.outbox[0].body


def test_a_time_the_key_person_is_already_booked_for_is_refused_with_a_clear_message(asked, parent, child):
    slot = services.offer_slot(key_person=asked.key_person, starts_at=at(9, 8, 20), minutes=20, place="in_person")
    services.book_slot(child=child, slot=slot, by=parent)
    with pytest.raises(ValidationError, match="no longer free"):
        ask_services.accept_time(meeting_request=asked, when=at(9, 8, 30), by=parent)
    asked.refresh_from_db()
    assert asked.status == "waiting"


def test_a_free_time_already_offered_at_that_minute_is_the_one_booked(asked, parent):
    slot = services.offer_slot(key_person=asked.key_person, starts_at=at(9, 8, 30), minutes=20, place="in_person")
    meeting = ask_services.accept_time(meeting_request=asked, when=at(9, 8, 30), by=parent)
    assert meeting.slot == slot


@time_machine.travel(datetime(2026, 6, 15, 23, 30, tzinfo=LONDON), tick=False)
def test_near_midnight_in_summer_a_time_typed_is_uk_time(login, child, practitioner):
    response = login(practitioner).post(
        reverse("keyworker:meeting_request_new", args=[child.pk]),
        {"reason": "Settling in", "place": "phone", "first_time": "2026-06-16T00:15"},
    )
    assert response.status_code == 302
    asked = MeetingRequest.objects.get()
    assert asked.first_time == datetime(2026, 6, 15, 23, 15, tzinfo=ZoneInfo("UTC"))
    assert timezone.localtime(asked.first_time).date().isoformat() == "2026-06-16"


@time_machine.travel(datetime(2026, 6, 15, 23, 30, tzinfo=LONDON), tick=False)
def test_near_midnight_a_time_earlier_today_is_refused_and_the_form_keeps_what_was_typed(login, child, practitioner):
    response = login(practitioner).post(
        reverse("keyworker:meeting_request_new", args=[child.pk]),
        {"reason": "Settling in", "place": "phone", "first_time": "2026-06-15T23:00"},
    )
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    assert "Settling in" in response.content.decode()
    assert not MeetingRequest.objects.exists()


# --- who may see and answer ---------------------------------------------------------------------


def test_another_family_cannot_see_or_answer(login, asked, other_parent):
    url = reverse("keyworker:family_meeting_request", args=[asked.pk])
    assert login(other_parent).get(url).status_code == 404
    assert login(other_parent).post(url, {"action": "accept", "choice": "1"}).status_code == 404
    assert MeetingRequest.objects.get().status == "waiting"
    assert "would like to meet" not in login(other_parent).get(reverse("keyworker:my_children")).content.decode()


def test_a_family_member_without_parental_responsibility_cannot_answer(login, asked, child):
    gran = GuardianshipFactory(child=child, has_parental_responsibility=False).user
    assert login(gran).get(reverse("keyworker:family_meeting_request", args=[asked.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        ask_services.accept_time(meeting_request=asked, when=asked.first_time, by=gran)


def test_staff_of_another_nursery_cannot_see_or_ask(login, asked, child, other_manager):
    assert login(other_manager).get(reverse("keyworker:meeting_request", args=[asked.pk])).status_code == 404
    assert login(other_manager).get(reverse("keyworker:meeting_request_new", args=[child.pk])).status_code == 404


def test_a_colleague_outside_the_care_team_cannot_read_ask_or_change(login, asked, child, nursery):
    colleague = StaffMemberFactory(nursery=nursery, role=StaffMember.Role.PRACTITIONER).user
    assert login(colleague).get(reverse("keyworker:meeting_request_new", args=[child.pk])).status_code == 403
    url = reverse("keyworker:meeting_request", args=[asked.pk])
    assert login(colleague).get(url).status_code == 403
    assert login(colleague).post(url, {"action": "cancel"}).status_code == 403
    assert MeetingRequest.objects.get().status == "waiting"


def test_the_family_cannot_use_the_staff_page(login, asked, parent):
    assert login(parent).post(
        reverse("keyworker:meeting_request", args=[asked.pk]), {"action": "cancel"}
    ).status_code in (
        403,
        404,
    )
    assert MeetingRequest.objects.get().status == "waiting"


def test_a_withdrawn_request_leaves_the_familys_home_page_and_cannot_be_accepted(login, asked, parent, practitioner):
    login(practitioner).post(reverse("keyworker:meeting_request", args=[asked.pk]), {"action": "cancel"})
    assert "would like to meet" not in login(parent).get(reverse("keyworker:my_children")).content.decode()
    with pytest.raises(ValidationError):
        ask_services.accept_time(meeting_request=asked, when=asked.first_time, by=parent)
    response = login(parent).post(
        reverse("keyworker:family_meeting_request", args=[asked.pk]), {"action": "accept", "choice": "1"}
    )
    assert "already been answered or withdrawn" in response.content.decode()
    assert not Consultation.objects.exists()
