"""The transition report: pre-filled, written by the key person, checked by a manager, shared with the family."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from children.tests.factories import AllAboutMeFactory, AttendanceFactory, BookingFactory, SupportPlanFactory
from learning_stories.tests.factories import AssessmentFactory, ObservationFactory, area
from transitions.models import TransitionReport
from transitions.report import services
from transitions.report.documents import transition_report_pdf
from transitions.tests.factories import TransitionPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(child):
    return TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")


def observe(nursery, author, children, text, **kwargs):
    entry = ObservationFactory(nursery=nursery, author=author, children=children, text=text, **kwargs)
    entry.areas.add(area("CL"))
    return entry


def test_the_report_is_prefilled_from_assessments_observations_and_records(
    child, other_child, nursery, practitioner, plan
):
    AssessmentFactory(child=child, area=area("CL"), rationale="")  # an empty rationale is fine
    observe(
        nursery,
        practitioner,
        [child, other_child],
        "Ava told Zara a story. Then they swapped.",
        child_voice="Zara is my friend",
    )
    AllAboutMeFactory(child=child, likes="Dinosaurs and puddles")
    SupportPlanFactory(child=child, title="Speech and language support")
    BookingFactory(child=child, weekday=timezone.localdate().weekday())
    AttendanceFactory(child=child)

    report = services.start_report(plan=plan, by=practitioner)

    assert report.areas["CL"].startswith("On track (Birth to three)")
    assert "1 observation in the last 13 weeks; the latest: “Ava told a friend a story.”" in report.areas["CL"]
    assert report.areas["PD"] == ""
    assert "Zara" not in str(report.areas) + report.child_voice
    assert report.child_voice == "“A friend is my friend”"
    assert report.interests == "Dinosaurs and puddles"
    assert "Speech and language support" in report.needs
    assert report.attendance.startswith("Came on 1 of ")


def test_the_prefill_leaves_out_staff_only_observations_and_names_no_other_child_in_a_rationale(
    child, other_child, nursery, practitioner, plan
):
    AssessmentFactory(child=child, area=area("CL"), rationale="Talks most with Zara.")
    observe(nursery, practitioner, [child], "Ava was upset after the visit.", child_voice="Secret", staff_only=True)

    report = services.start_report(plan=plan, by=practitioner)

    assert "Talks most with a friend." in report.areas["CL"]
    assert "Zara" not in report.areas["CL"]
    assert "upset" not in report.areas["CL"]
    assert "observation" not in report.areas["CL"]
    assert report.child_voice == ""


def test_a_child_without_assessments_or_observations_gets_an_empty_start(child, practitioner, plan):
    report = services.start_report(plan=plan, by=practitioner)

    assert set(report.areas.values()) == {""}
    assert report.characteristics == ""


def test_prefilling_takes_the_same_queries_whatever_the_length_of_the_story(child, nursery, practitioner):
    observe(nursery, practitioner, [child], "One.")
    services.prefill(child)  # warms the framework cache
    with CaptureQueriesContext(connection) as short:
        services.prefill(child)
    for n in range(10):
        observe(nursery, practitioner, [child], f"More {n}.", observed_at=timezone.now() - timedelta(days=n))
    with CaptureQueriesContext(connection) as long:
        services.prefill(child)

    assert len(long) == len(short)


def test_starting_the_report_twice_keeps_the_first(child, practitioner, plan):
    first = services.start_report(plan=plan, by=practitioner)
    first.interests = "Edited"
    first.save()

    assert services.start_report(plan=plan, by=practitioner).interests == "Edited"


def test_the_key_person_edits_and_submits_and_a_manager_returns_then_approves_and_shares(
    login, child, manager, practitioner, parent, plan
):
    key_person = login(practitioner)
    key_person.post(reverse("transitions:report", args=[plan.pk]))
    fields = {"characteristics": "Keeps trying", "interests": "Trains", "needs": "", "attendance": "Good"}
    fields |= {"parent_view": "", "child_voice": "I like school", "area_CL": "Talks in sentences."}
    key_person.post(reverse("transitions:report", args=[plan.pk]), fields)
    report = TransitionReport.objects.get()
    assert report.areas["CL"] == "Talks in sentences."
    review = reverse("transitions:review_report", args=[plan.pk])
    key_person.post(review, {"action": "submit"})

    boss = login(manager)
    page = boss.post(review, {"action": "return"}, follow=True)
    assert "Say what needs changing" in page.text
    boss.post(review, {"action": "return", "comment": "Add more on maths."})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (TransitionReport.Status.DRAFT, "Add more on maths.")
    assert "Add more on maths." in key_person.get(reverse("transitions:report", args=[plan.pk])).text

    key_person.post(review, {"action": "submit"})
    assert key_person.post(review, {"action": "approve"}).status_code == 403  # only a manager approves
    boss.post(review, {"action": "approve"})
    family = login(parent)
    assert family.get(reverse("transitions:report_pdf", args=[plan.pk])).status_code == 404  # not shared yet
    boss.post(review, {"action": "share"})

    report.refresh_from_db()
    assert report.status == TransitionReport.Status.SHARED
    assert report.reviewed_by == manager
    response = family.get(reverse("transitions:report_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Talks in sentences." in text


def test_the_family_writes_their_view_from_their_phone(login, child, parent, practitioner, plan):
    services.start_report(plan=plan, by=practitioner)

    login(parent).post(reverse("transitions:family_view", args=[plan.pk]), {"parent_view": "She is so excited."})

    assert TransitionReport.objects.get().parent_view == "She is so excited."


def test_the_family_cannot_change_their_view_once_the_report_is_shared(login, parent, practitioner, plan):
    report = services.start_report(plan=plan, by=practitioner)
    TransitionReport.objects.filter(pk=report.pk).update(status=TransitionReport.Status.SHARED)

    page = login(parent).post(reverse("transitions:family_view", args=[plan.pk]), {"parent_view": "Late"})

    assert "already been shared" in page.text


def test_the_family_cannot_change_their_view_once_the_report_is_approved(login, parent, practitioner, plan):
    report = services.start_report(plan=plan, by=practitioner)
    TransitionReport.objects.filter(pk=report.pk).update(status=TransitionReport.Status.APPROVED)

    page = login(parent).post(reverse("transitions:family_view", args=[plan.pk]), {"parent_view": "Late"})

    assert "checked and approved" in page.text
    assert TransitionReport.objects.get().parent_view == ""


def test_other_families_and_nurseries_cannot_download_the_report(
    login, other_parent, other_manager, practitioner, plan
):
    report = services.start_report(plan=plan, by=practitioner)
    TransitionReport.objects.filter(pk=report.pk).update(status=TransitionReport.Status.SHARED)

    for user in (other_parent, other_manager):
        assert login(user).get(reverse("transitions:report_pdf", args=[plan.pk])).status_code == 404


def test_the_pdf_renders_into_a_target_or_as_bytes(practitioner, plan):
    report = services.start_report(plan=plan, by=practitioner)
    target = io.BytesIO()

    assert transition_report_pdf(report=report, target=target) is None
    assert target.getvalue().startswith(b"%PDF")
    assert transition_report_pdf(report=report).startswith(b"%PDF")
