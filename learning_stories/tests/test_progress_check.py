"""The progress check at two: the key person writes and shares it, parents read it and add their view,
the key person completes it; the health visitor gets it only with consent; a PDF for those who may read it."""

import io
from datetime import date, time, timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from children.day.selectors import moment
from children.models import ChildAuditEvent, ConsentPurpose
from children.tests.factories import GuardianshipFactory, consent
from core.models import OutgoingMail
from core.tasks import send_due_mail, send_outgoing_mail
from learning_stories.documents import progress_check_pdf
from learning_stories.models import ProgressCheck
from learning_stories.progress_check import services
from learning_stories.progress_check.selectors import prime_areas_for
from nursery.tests.factories import StaffMemberFactory

# The check at two is offered until the child turns three, and ChildFactory's child was born on 14 March 2024:
# the clock is pinned to a day they are two and a half, so the tests do not stop working in March 2027.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]

HV = ConsentPurpose.SHARE_WITH_HEALTH_VISITOR


def filled_in(check: ProgressCheck, **overrides) -> dict:
    """The form as a key person fills it in, every prime area as expected."""
    data = {
        "checked_on": check.checked_on.isoformat(),
        "strengths": "Loves stories and joins in with the repeated lines.",
        "less_than_expected": "",
        "setting_plan": "Share a new story each week and sing counting songs.",
        "family_plan": "Read together at bedtime.",
    }
    for row in check.area_summaries.all():
        data[f"area-{row.area_id}-summary"] = f"Doing well in {row.area.name}."
        data[f"area-{row.area_id}-on_track"] = "yes"
    return data | overrides


@pytest.fixture
def draft(child, practitioner):
    return services.start_progress_check(child=child, by=practitioner, prime_areas=prime_areas_for(child.nursery_id))


@pytest.fixture
def shared(draft, login, practitioner, parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(practitioner).post(
            reverse("checks:edit", args=[draft.pk]), filled_in(draft) | {"action": "share"}
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    return draft


def test_the_key_person_starts_a_check_with_one_summary_per_prime_area(login, practitioner, child):
    response = login(practitioner).post(reverse("checks:start", args=[child.pk]))
    check = ProgressCheck.objects.get(child=child)
    assert response.url == reverse("checks:edit", args=[check.pk])
    assert [row.area.code for row in check.area_summaries.all()] == ["CL", "PD", "PSED"]
    assert check.status == ProgressCheck.Status.DRAFT
    # Starting again opens the same draft.
    login(practitioner).post(reverse("checks:start", args=[child.pk]))
    assert ProgressCheck.objects.filter(child=child).count() == 1


def test_a_practitioner_who_is_not_the_key_person_cannot_write_the_check(login, nursery, room, child, draft):
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    assert login(colleague).post(reverse("checks:start", args=[child.pk])).status_code == 403
    assert login(colleague).get(reverse("checks:edit", args=[draft.pk])).status_code == 403


def test_the_form_shows_recent_prime_area_observations_beside_it(login, practitioner, child, draft):
    from learning_stories.tests.factories import ObservationFactory, area

    seen = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child], text="Said two words")
    seen.areas.set([area("CL")])
    other = ObservationFactory(nursery=child.nursery, author=practitioner, children=[child], text="Counted cups")
    other.areas.set([area("M")])
    page = login(practitioner).get(reverse("checks:edit", args=[draft.pk])).content.decode()
    assert "Said two words" in page
    assert "Counted cups" not in page


def test_a_draft_is_saved_and_the_family_cannot_see_it(login, practitioner, parent, draft):
    response = login(practitioner).post(reverse("checks:edit", args=[draft.pk]), filled_in(draft) | {"action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.strengths.startswith("Loves stories")
    assert draft.area_summaries.filter(on_track=True).count() == 3
    assert login(parent).get(reverse("checks:detail", args=[draft.pk])).status_code == 404
    assert login(parent).get(reverse("checks:pdf", args=[draft.pk])).status_code == 404


def test_sharing_an_unfinished_check_says_what_is_missing_and_keeps_what_was_typed(login, practitioner, draft):
    first = draft.area_summaries.first()
    data = filled_in(draft, strengths="Climbs confidently.") | {
        f"area-{first.area_id}-on_track": "no",
        "action": "share",
    }
    response = login(practitioner).post(reverse("checks:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Progress is not as expected in an area" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProgressCheck.Status.DRAFT
    assert draft.strengths == "Climbs confidently."  # saved as a draft, nothing lost
    assert len(mail.outbox) == 0


def test_a_date_in_the_future_is_refused_with_a_clear_message(login, practitioner, draft):
    data = filled_in(draft, checked_on=(TODAY + timedelta(days=3)).isoformat()) | {"action": "save"}
    response = login(practitioner).post(reverse("checks:edit", args=[draft.pk]), data)
    assert "cannot be in the future" in response.content.decode()
    assert "Loves stories" in response.content.decode()  # what was typed is still there


def test_sharing_tells_each_parent_with_parental_responsibility_once(shared, parent, child, practitioner):
    gran = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    assert shared.status == ProgressCheck.Status.SHARED
    assert shared.shared_at
    assert [m.to for m in mail.outbox] == [[parent.email]]
    assert reverse("checks:detail", args=[shared.pk]) in mail.outbox[0].body
    notice = OutgoingMail.objects.get()
    assert (notice.key, notice.nursery_id) == (f"progress-check:{shared.pk}:{parent.pk}", child.nursery_id)
    assert send_outgoing_mail(notice.pk) is False  # a retried task sends nothing
    assert send_due_mail() == 0
    assert services.share_progress_check(check=shared, by=practitioner) == []  # a second tap: nothing
    assert len(mail.outbox) == 1
    assert not OutgoingMail.objects.filter(recipient=gran).exists()


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_loses_no_email_the_sweep_sends_it(login, practitioner, parent, draft, broker_down):
    response = login(practitioner).post(
        reverse("checks:edit", args=[draft.pk]), filled_in(draft) | {"action": "share"}, follow=True
    )
    assert "will be sent automatically soon" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProgressCheck.Status.SHARED
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.PENDING
    from conftest import use_broker

    use_broker("memory://", eager=True)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert send_due_mail() == 1
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_a_mail_server_fault_is_recorded_and_the_sweep_sends_the_email_once(
    login, practitioner, parent, draft, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(*args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(practitioner).post(
            reverse("checks:edit", args=[draft.pk]), filled_in(draft) | {"action": "share"}
        )
    assert response.status_code == 302
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (OutgoingMail.Status.PENDING, 1)
    assert "Connection unexpectedly closed" in row.last_error
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert send_due_mail() == 1
        assert send_due_mail() == 0
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_the_parent_is_told_on_their_home_page_reads_it_and_adds_their_view(login, parent, shared, practitioner):
    client = login(parent)
    home = client.get(reverse("keyworker:my_children")).content.decode()
    assert reverse("checks:detail", args=[shared.pk]) in home
    page = client.get(reverse("checks:detail", args=[shared.pk])).content.decode()
    assert "Loves stories" in page
    assert "Your view" in page
    client.post(reverse("checks:comment", args=[shared.pk]), {"text": "She sings the songs at home too."})
    shared.refresh_from_db()
    assert shared.parent_comments == "She sings the songs at home too."
    assert shared.parent_commented_by == parent
    staff_page = login(practitioner).get(reverse("checks:detail", args=[shared.pk])).content.decode()
    assert "She sings the songs at home too." in staff_page


def test_an_empty_view_is_refused_with_a_clear_message(login, parent, shared):
    response = login(parent).post(reverse("checks:comment", args=[shared.pk]), {"text": "  "})
    assert "Please write your view" in response.content.decode()


def test_the_key_person_completes_the_check_and_the_family_can_no_longer_change_their_view(
    login, parent, practitioner, shared
):
    assert login(parent).post(reverse("checks:complete", args=[shared.pk])).status_code == 403
    login(practitioner).post(reverse("checks:complete", args=[shared.pk]))
    shared.refresh_from_db()
    assert shared.status == ProgressCheck.Status.COMPLETED
    assert shared.completed_at
    response = login(parent).post(reverse("checks:comment", args=[shared.pk]), {"text": "Late"})
    assert "can no longer be changed" in response.content.decode()
    shared.refresh_from_db()
    assert shared.parent_comments == ""
    assert login(parent).get(reverse("checks:detail", args=[shared.pk])).status_code == 200


def test_staff_cannot_write_the_familys_view(login, practitioner, shared):
    assert login(practitioner).post(reverse("checks:comment", args=[shared.pk]), {"text": "x"}).status_code == 403


@pytest.mark.parametrize("page", ["checks:detail", "checks:pdf", "checks:edit"])
def test_another_family_and_another_nursery_get_404(login, other_parent, other_manager, shared, page):
    assert login(other_parent).get(reverse(page, args=[shared.pk])).status_code == 404
    assert login(other_manager).get(reverse(page, args=[shared.pk])).status_code == 404


@pytest.mark.parametrize("page", ["checks:detail", "checks:pdf"])
def test_a_leavers_family_loses_the_check_with_the_rest_of_the_record(login, parent, child, shared, page):
    child.leave_date = timezone.localdate() - timedelta(days=child.nursery.leaver_access_days + 1)
    child.save()

    assert login(parent).get(reverse(page, args=[shared.pk])).status_code == 404


def test_a_leavers_family_still_reads_the_check_during_the_leaver_access_period(login, parent, child, shared):
    child.leave_date = timezone.localdate() - timedelta(days=1)
    child.save()

    assert login(parent).get(reverse("checks:detail", args=[shared.pk])).status_code == 200


def test_another_nursery_cannot_start_a_check_for_our_child(login, other_manager, child):
    assert login(other_manager).post(reverse("checks:start", args=[child.pk])).status_code == 404


def test_without_the_familys_consent_the_health_visitor_button_is_absent_and_the_service_refuses(
    login, practitioner, shared
):
    page = login(practitioner).get(reverse("checks:detail", args=[shared.pk])).content.decode()
    assert "has not agreed to the nursery sharing with the health visitor" in page
    assert "Record that it was given to the health visitor" not in page
    response = login(practitioner).post(
        reverse("checks:health_visitor", args=[shared.pk]), {"shared_to": "Jo Smith, HV team"}, follow=True
    )
    assert "has not agreed to share with the health visitor" in response.content.decode()
    shared.refresh_from_db()
    assert shared.health_visitor_shared_at is None


def test_withdrawn_consent_also_stops_sharing_with_the_health_visitor(practitioner, parent, shared):
    consent(shared.child, HV, by=parent)
    consent(shared.child, HV, granted=False, by=parent)
    with pytest.raises(services.ValidationError):
        services.record_health_visitor_handover(check=shared, by=practitioner, shared_to="Jo Smith")


def test_with_consent_the_handover_to_the_health_visitor_is_recorded_and_audited(login, practitioner, parent, shared):
    consent(shared.child, HV, by=parent)
    page = login(practitioner).get(reverse("checks:detail", args=[shared.pk])).content.decode()
    assert "Record that it was given to the health visitor" in page
    login(practitioner).post(reverse("checks:health_visitor", args=[shared.pk]), {"shared_to": "Jo Smith, HV team"})
    shared.refresh_from_db()
    assert shared.health_visitor_shared_to == "Jo Smith, HV team"
    assert shared.health_visitor_shared_by == practitioner
    assert shared.health_visitor_shared_at
    assert shared.child.audit_events.filter(
        action=ChildAuditEvent.Action.SHARED, what__contains="health visitor (Jo Smith, HV team)"
    ).exists()


def test_parents_and_staff_download_the_pdf_and_it_is_audited(login, parent, manager, shared):
    for user in (parent, manager):
        response = login(user).get(reverse("checks:pdf", args=[shared.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Progress check at age two" in text
        assert "Loves stories" in text
        assert shared.child.audit_events.filter(actor=user, action=ChildAuditEvent.Action.EXPORTED).exists()


def test_the_pdf_is_written_straight_into_a_file(shared, tmp_path):
    target = tmp_path / "check.pdf"
    with target.open("wb") as file:
        assert progress_check_pdf(check=shared, target=file) is None
    assert "Communication and Language" in PdfReader(target).pages[0].extract_text()


def test_the_due_page_lists_the_nursery_and_filters_to_my_key_children(
    login, nursery, room, practitioner, manager, child
):
    from children.tests.factories import ChildFactory

    ChildFactory(nursery=nursery, room=room, first_name="Someone", date_of_birth=child.date_of_birth)
    page = login(practitioner).get(reverse("checks:due")).content.decode()
    mine = login(practitioner).get(reverse("checks:due") + "?mine=1").content.decode()
    assert "Ava" in page
    assert "Someone" in page
    assert "Ava" in mine
    assert "Someone" not in mine
    assert "Someone" in login(manager).get(reverse("checks:due")).content.decode()


def test_the_child_page_says_the_check_is_due(login, practitioner, child):
    page = login(practitioner).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Progress check at age two" in page
    assert "Start the progress check" in page


def test_only_the_key_person_and_managers_are_offered_the_start_button(
    login, nursery, room, practitioner, manager, child
):
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    start = reverse("checks:start", args=[child.pk])
    assert start in login(practitioner).get(reverse("checks:due")).content.decode()
    assert start in login(manager).get(reverse("checks:due")).content.decode()
    page = login(colleague).get(reverse("checks:due")).content.decode()
    assert start not in page
    assert "Written by Ava's key person" in page


def test_a_practitioner_whose_own_child_has_the_check_adds_their_view_as_a_parent(login, child, practitioner, shared):
    GuardianshipFactory(child=child, user=practitioner)
    client = login(practitioner)
    assert "Your view" in client.get(reverse("checks:detail", args=[shared.pk])).content.decode()
    client.post(reverse("checks:comment", args=[shared.pk]), {"text": "Seen at home too."})
    shared.refresh_from_db()
    assert shared.parent_comments == "Seen at home too."


def test_a_check_dated_before_the_second_birthday_is_refused_with_the_window(login, practitioner, draft):
    from datetime import timedelta

    from django.utils import timezone

    child, today = draft.child, timezone.localdate()
    child.date_of_birth, child.start_date = today - timedelta(days=900), today - timedelta(days=400)
    child.save()
    too_early = child.date_of_birth + timedelta(days=600)  # about 20 months old, after starting
    data = filled_in(draft, checked_on=too_early.isoformat()) | {"action": "save"}
    response = login(practitioner).post(reverse("checks:edit", args=[draft.pk]), data)
    assert "third birthdays" in response.content.decode()
    draft.refresh_from_db()
    assert draft.checked_on != too_early


def test_pressing_start_twice_makes_one_draft(child, practitioner, draft):
    again = services.start_progress_check(child=child, by=practitioner, prime_areas=prime_areas_for(child.nursery_id))
    assert again == draft
    assert ProgressCheck.objects.filter(child=child).count() == 1


def test_saving_a_draft_a_colleague_has_just_shared_is_refused_not_undone(shared, practitioner):
    stale = ProgressCheck.objects.get(pk=shared.pk)
    stale.status = ProgressCheck.Status.DRAFT  # what the key person's page still held
    text = services.CheckText(
        checked_on=shared.checked_on, strengths="x", less_than_expected="", setting_plan="", family_plan="", areas={}
    )
    with pytest.raises(ValidationError):
        services.save_progress_check(check=stale, text=text, by=practitioner)
    shared.refresh_from_db()
    assert shared.status == ProgressCheck.Status.SHARED
