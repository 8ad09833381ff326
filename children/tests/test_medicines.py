"""Medicines: a parent's written permission, doses given with a witness, read by the parent the same day."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from children.day.selectors import moment
from children.medicines import selectors, services
from children.medicines.models import MedicineDose, MedicineRequest
from children.tests.factories import AttendanceFactory, GuardianshipFactory
from children.tests.medicine_factories import MedicineDoseFactory, MedicineRequestFactory
from nursery.tests.factories import StaffMemberFactory

WEDNESDAY = date(2026, 3, 4)

# Doses are refused in the future and the dose form takes a time of day: run at half past ten on a Wednesday.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(WEDNESDAY, time(10, 30)))]


@pytest.fixture
def here(child):
    """Ava, signed in at eight this morning."""
    AttendanceFactory(child=child, signed_in_at=moment(WEDNESDAY, time(8)))
    return child


@pytest.fixture
def colleague(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Wendy Witness").user


@pytest.fixture
def calpol(here):
    return MedicineRequestFactory(child=here)


def ask(client, child, **changes):
    data = {
        "medicine": "Amoxicillin",
        "dose": "5 ml",
        "prescribed": "yes",
        "prescribed_by": "Dr Patel",
        "times": "12:00, 15:30",
        "reason": "Ear infection",
        "starts_on": "2026-03-04",
        "ends_on": "2026-03-10",
        "permission": "on",
    } | changes
    return client.post(reverse("children:medicine_ask", args=[child.pk]), data)


def give(request, by, witness, at=time(10, 15), dose="5 ml"):
    return services.record_dose(
        request=request, by=by, given_at=moment(timezone.localdate(), at), dose_given=dose, witness=witness
    )


# --- Asking and permission ----------------------------------------------------------------------


def test_a_parent_asks_and_their_account_is_the_written_permission(login, parent, child):
    response = ask(login(parent), child)
    medicine = MedicineRequest.objects.get()
    assert response.status_code == 302
    assert (medicine.medicine, medicine.times, medicine.consented_by) == ("Amoxicillin", "12:00, 15:30", parent)
    assert timezone.now() - medicine.consented_at < timedelta(seconds=5)
    assert child.audit_events.filter(what="Permission to give Amoxicillin", actor=parent).exists()


def test_without_ticking_permission_nothing_is_saved(login, parent, child):
    response = ask(login(parent), child, permission="")
    assert response.status_code == 200
    assert "Tick the box to give your permission" in response.content.decode()
    assert not MedicineRequest.objects.exists()


def test_a_grandparent_without_parental_responsibility_cannot_give_permission(login, child):
    gran = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    assert ask(login(gran), child).status_code == 404
    with pytest.raises(ValidationError):
        services.request_medicine(request=MedicineRequestFactory.build(child=child), by=gran)
    assert not MedicineRequest.objects.exists()


def test_staff_cannot_give_permission_on_a_familys_behalf(login, practitioner, child):
    assert ask(login(practitioner), child).status_code == 404


def test_times_are_checked_and_written_the_same_way(login, parent, child):
    response = ask(login(parent), child, times="lunchtime")
    assert "Write times as hours and minutes" in response.content.decode()
    ask(login(parent), child, times="15.30 and 9:00")
    assert MedicineRequest.objects.get().times == "09:00, 15:30"


def test_an_over_the_counter_medicine_needs_a_first_dose_at_home_and_when_it_was_last_given(login, parent, child):
    response = ask(login(parent), child, prescribed="no", prescribed_by="")
    assert "has had it before with no reaction" in response.content.decode()
    ask(login(parent), child, prescribed="no", had_before="on", last_given_at="2026-03-04T07:00")
    medicine = MedicineRequest.objects.get()
    assert (medicine.prescribed, medicine.had_before, medicine.prescribed_by) == (False, True, "")


def test_aspirin_is_given_only_when_a_doctor_prescribed_it(login, parent, child):
    response = ask(
        login(parent),
        child,
        medicine="Junior aspirin",
        prescribed="no",
        had_before="on",
        last_given_at="2026-03-04T07:00",
    )
    assert "containing aspirin" in response.content.decode()
    assert not MedicineRequest.objects.exists()


def test_permission_is_for_dates_ahead_and_a_month_at_most_unless_long_term(login, parent, child):
    client = login(parent)
    assert "cannot be in the past" in ask(client, child, starts_on="2026-03-03").content.decode()
    assert "up to 31 days" in ask(client, child, ends_on="2026-06-01").content.decode()
    ask(client, child, ends_on="2026-12-01", long_term="on", medicine="Salbutamol inhaler")
    assert MedicineRequest.objects.get().long_term


# --- Giving a dose ------------------------------------------------------------------------------


def test_staff_record_a_dose_with_a_witness(practitioner, colleague, calpol):
    dose = give(calpol, practitioner, colleague)
    assert (dose.given_by, dose.witness, dose.dose_given, dose.day) == (practitioner, colleague, "5 ml", WEDNESDAY)
    assert calpol.child.audit_events.filter(what="Medicine given: Calpol 5 ml at 10:15").exists()


def test_the_witness_must_be_someone_else(practitioner, calpol):
    with pytest.raises(ValidationError, match="Another member of staff must witness"):
        give(calpol, practitioner, practitioner)
    assert not MedicineDose.objects.exists()


def test_the_witness_must_work_at_the_childs_nursery(practitioner, other_manager, calpol):
    with pytest.raises(ValidationError, match="member of staff at this nursery"):
        give(calpol, practitioner, other_manager)


def test_no_dose_without_permission_for_that_day(practitioner, colleague, here):
    later = MedicineRequestFactory(
        child=here, starts_on=WEDNESDAY + timedelta(days=1), ends_on=WEDNESDAY + timedelta(days=3)
    )
    ended = MedicineRequestFactory(
        child=here, starts_on=WEDNESDAY - timedelta(days=3), ends_on=WEDNESDAY - timedelta(days=1)
    )
    for request in (later, ended):
        with pytest.raises(ValidationError, match="No permission to give Calpol"):
            give(request, practitioner, colleague)
    assert not MedicineDose.objects.exists()


def test_no_dose_once_the_family_withdrew_permission(practitioner, colleague, parent, calpol):
    services.withdraw_medicine(request=calpol, by=parent)
    with pytest.raises(ValidationError, match="withdrew permission"):
        give(calpol, practitioner, colleague)


def test_a_dose_cannot_be_in_the_future_or_for_a_child_not_signed_in(practitioner, colleague, child, calpol):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        give(calpol, practitioner, colleague, at=time(11, 0))
    with pytest.raises(ValidationError, match="not signed in at 07:30"):
        give(calpol, practitioner, colleague, at=time(7, 30))


def test_a_dose_in_another_amount_or_at_another_time_needs_a_reason(practitioner, colleague, calpol):
    with pytest.raises(ValidationError, match=r"dose given \(10 ml\) is not the dose agreed \(5 ml\)") as refused:
        give(calpol, practitioner, colleague, dose="10 ml")
    assert "write the reason to save it anyway" in str(refused.value)
    with pytest.raises(ValidationError, match="08:45 is not within an hour of the agreed times"):
        give(calpol, practitioner, colleague, at=time(8, 45))
    assert not MedicineDose.objects.exists()
    dose = services.record_dose(
        request=calpol,
        by=practitioner,
        given_at=moment(WEDNESDAY, time(8, 45)),
        dose_given="5ML",
        witness=colleague,
        reason="Ava is going home at 9",
    )
    assert "not within an hour" in dose.outside_agreement
    assert "Reason: Ava is going home at 9" in dose.outside_agreement
    assert "dose given" not in dose.outside_agreement  # 5ML is the 5 ml agreed


def test_a_dose_beyond_the_number_agreed_for_the_day_needs_a_reason(practitioner, colleague, calpol):
    calpol.times = "10:00"
    calpol.save()
    give(calpol, practitioner, colleague, at=time(10, 0))
    with pytest.raises(ValidationError, match="1 dose already given today; the family agreed 1 a day"):
        give(calpol, practitioner, colleague, at=time(10, 20))
    assert calpol.doses.count() == 1


def test_the_dose_page_warns_keeps_what_was_typed_and_saves_with_a_reason(
    login, parent, practitioner, colleague, calpol
):
    client = login(practitioner)
    url = reverse("children:medicine_dose", args=[calpol.pk])
    typed = {"at": "10:20", "dose_given": "10 ml", "witness": colleague.pk, "note": "Spat some out"}
    page = client.post(url, typed).content.decode()
    assert "is not the dose agreed (5 ml)" in page
    assert 'value="10 ml"' in page
    assert "Spat some out" in page
    assert not MedicineDose.objects.exists()
    assert client.post(url, typed | {"reason": "First 5 ml spat out"}).status_code == 302
    home = login(parent).get(reverse("keyworker:my_children")).content.decode()
    assert "Given differently from what you agreed" in home
    assert "First 5 ml spat out" in home


def test_the_dose_page_defaults_to_now_and_the_dose_asked_for(login, practitioner, colleague, calpol):
    client = login(practitioner)
    page = client.get(reverse("children:medicine_dose", args=[calpol.pk])).content.decode()
    assert 'value="10:30"' in page
    assert 'value="5 ml"' in page
    assert "Wendy Witness" in page
    assert "Priya Practitioner" not in page.split('id="id_witness"')[1].split("</select>")[0]
    response = client.post(
        reverse("children:medicine_dose", args=[calpol.pk]),
        {"at": "10:20", "dose_given": "5 ml", "witness": colleague.pk},
    )
    assert response.status_code == 302
    assert MedicineDose.objects.get().given_by == practitioner


def test_the_rooms_day_shows_todays_medicines_with_their_times(login, practitioner, colleague, calpol, room):
    give(calpol, practitioner, colleague)
    page = login(practitioner).get(reverse("children:room_medicines", args=[room.pk])).content.decode()
    assert "Ava: Calpol, 5 ml" in page
    assert "Due at 10:00, 15:00" in page
    assert "10:15 (5 ml" in page


def test_the_childs_page_lists_medicines_for_staff(login, practitioner, calpol):
    page = login(practitioner).get(reverse("children:detail", args=[calpol.child_id])).content.decode()
    assert "Calpol, 5 ml" in page


# --- The family reads it ------------------------------------------------------------------------


def test_the_parent_sees_todays_dose_and_acknowledges_it_once(login, parent, practitioner, colleague, calpol):
    dose = give(calpol, practitioner, colleague)
    client = login(parent)
    page = client.get(reverse("keyworker:my_children")).content.decode()
    assert "Ava: Calpol at 10:15" in page
    assert "Wendy Witness" in page

    client.post(reverse("children:medicine_dose_read", args=[dose.pk]))
    dose.refresh_from_db()
    first = dose.acknowledged_at
    client.post(reverse("children:medicine_dose_read", args=[dose.pk]))
    dose.refresh_from_db()
    assert (dose.acknowledged_by, dose.acknowledged_at, timezone.localdate(first)) == (parent, first, dose.day)


def test_the_manager_sees_doses_no_parent_has_read(login, manager, practitioner, colleague, calpol, room):
    give(calpol, practitioner, colleague)
    read = services.record_dose(
        request=calpol,
        by=practitioner,
        given_at=moment(WEDNESDAY, time(10, 25)),
        dose_given="2.5 ml",
        witness=colleague,
        reason="Half spilled",
    )
    services.acknowledge_dose(dose=read, by=practitioner)
    assert [d.dose_given for d in selectors.unacknowledged_doses(room.nursery_id)] == ["5 ml"]
    page = login(manager).get(reverse("children:room_medicines", args=[room.pk])).content.decode()
    assert "Not read by a parent yet (whole nursery)" in page
    assert "Calpol 5 ml at 10:15" in page


# --- Who may see health data --------------------------------------------------------------------


def test_another_family_cannot_see_or_acknowledge_a_childs_medicine(login, other_parent, calpol):
    dose = MedicineDoseFactory(request=calpol)
    client = login(other_parent)
    assert client.get(reverse("children:medicine_request", args=[calpol.pk])).status_code == 404
    assert client.post(reverse("children:medicine_dose_read", args=[dose.pk])).status_code == 404
    assert "Calpol" not in client.get(reverse("keyworker:my_children")).content.decode()


def test_another_nursery_cannot_see_or_give_a_childs_medicine(login, other_manager, calpol):
    client = login(other_manager)
    assert client.get(reverse("children:medicine_request", args=[calpol.pk])).status_code == 404
    assert client.get(reverse("children:medicine_dose", args=[calpol.pk])).status_code == 404


def test_a_grandparent_does_not_see_medicines(login, child, calpol):
    gran = GuardianshipFactory(child=child, relationship="grandparent", has_parental_responsibility=False).user
    client = login(gran)
    assert client.get(reverse("children:medicine_request", args=[calpol.pk])).status_code == 404
    assert "Calpol" not in client.get(reverse("children:detail", args=[child.pk])).content.decode()


# --- Attached plans -----------------------------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_health_care_plan_pdf_is_stored_privately_and_downloaded_by_staff_and_parents(
    login, parent, practitioner, other_parent, child
):
    ask(
        login(parent),
        child,
        long_term="on",
        ends_on="2026-09-01",
        plan=SimpleUploadedFile("Ava's asthma plan.pdf", PDF, content_type="application/pdf"),
    )
    medicine = MedicineRequest.objects.get()
    assert medicine.plan.name.startswith("children/medicine-plans/")
    assert "asthma" not in medicine.plan.name
    assert medicine.plan.name.endswith(".pdf")
    url = reverse("children:medicine_plan", args=[medicine.pk])
    for user in (parent, practitioner):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    assert login(other_parent).get(url).status_code == 404


def test_a_plan_that_is_neither_pdf_nor_photo_is_refused(login, parent, child):
    response = ask(login(parent), child, plan=SimpleUploadedFile("plan.pdf", b"MZ\x90\x00not a pdf"))
    assert "not a PDF or a photo" in response.content.decode()
    assert not MedicineRequest.objects.exists()


def test_a_photo_of_a_plan_is_re_encoded_without_its_metadata(login, parent, child):
    from tests.images import camera_jpeg

    ask(login(parent), child, plan=SimpleUploadedFile("plan.jpg", camera_jpeg(), content_type="image/jpeg"))
    medicine = MedicineRequest.objects.get()
    assert medicine.plan.name.endswith(".jpg")
    with medicine.plan.open("rb") as stored:
        assert b"Exif" not in stored.read()[:4096]


def test_the_parents_are_e_mailed_that_a_dose_was_given_without_the_health_details(
    practitioner, colleague, parent, calpol, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        give(calpol, practitioner, colleague)
    [sent] = mail.outbox
    assert sent.to == [parent.email]
    assert sent.subject == "Ava was given a medicine at nursery today"
    assert "at 10:15" in sent.body
    assert "Calpol" not in sent.body


def test_a_last_day_before_the_first_is_explained_in_plain_words(login, parent, child):
    response = ask(login(parent), child, starts_on="2026-03-06", ends_on="2026-03-05")
    assert "The last day cannot be before the first day." in response.content.decode()
    assert "Constraint" not in response.content.decode()
