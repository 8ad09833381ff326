"""Assessments: points, the grid a key person fills in, what families read, and the PDF for the leaver pack."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from children.models import ChildAuditEvent
from children.tests.factories import ChildFactory
from learning_stories.assessments.selectors import is_reception_age
from learning_stories.assessments.services import Judgement, check_judgement
from learning_stories.documents import assessments_pdf
from learning_stories.models import Assessment, AssessmentPoint
from learning_stories.tests.factories import (
    AssessmentFactory,
    AssessmentPointFactory,
    ObservationFactory,
    area,
    band,
    framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(nursery):
    today = timezone.localdate()
    return AssessmentPointFactory(
        nursery=nursery, name="Autumn term", starts_on=today - timedelta(days=30), ends_on=today
    )


def grid_url(child, point) -> str:
    return reverse("stories:assess_child", args=[child.pk, point.pk])


def row(
    area_pk: int, *, judgement: str = "on_track", band_pk: int | None = None, why: str = "Chats at snack time."
) -> dict:
    data = {f"area{area_pk}-judgement": judgement, f"area{area_pk}-rationale": why}
    if band_pk is not None:
        data[f"area{area_pk}-band"] = band_pk
    return data


# --- Assessment points ---------------------------------------------------------------------------


def test_manager_adds_an_assessment_point(login, manager, nursery):
    response = login(manager).post(
        reverse("stories:assessment_points"),
        {"name": "Autumn term 2026", "starts_on": "2026-09-01", "ends_on": "2026-12-18"},
    )
    assert response.status_code == 302
    assert AssessmentPoint.objects.get(nursery=nursery).name == "Autumn term 2026"


def test_overlapping_assessment_point_is_refused_with_the_clash_named_and_the_typing_kept(login, manager, nursery):
    AssessmentPointFactory(
        nursery=nursery, name="Autumn term 2026", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18)
    )
    response = login(manager).post(
        reverse("stories:assessment_points"),
        {"name": "Christmas check", "starts_on": "2026-12-10", "ends_on": "2027-01-10"},
    )
    assert response.status_code == 200
    assert "overlap Autumn term 2026" in response.content.decode()
    assert 'value="Christmas check"' in response.content.decode()
    assert AssessmentPoint.objects.count() == 1


def test_assessment_point_ending_before_it_starts_is_refused(login, manager):
    response = login(manager).post(
        reverse("stories:assessment_points"), {"name": "Spring", "starts_on": "2027-04-01", "ends_on": "2027-01-05"}
    )
    assert "The last day is before the first day" in response.content.decode()
    assert not AssessmentPoint.objects.exists()


# --- Recording on the grid -------------------------------------------------------------------------


def test_key_person_sees_all_seven_areas_on_one_page(login, practitioner, child, point):
    page = login(practitioner).get(grid_url(child, point)).content.decode()
    for name in ["Communication and Language", "Physical Development", "Mathematics", "Expressive Arts and Design"]:
        assert name in page
    assert page.count('type="radio"') == 14  # on track / not on track for each of the seven areas


def test_key_person_records_several_areas_with_evidence_and_each_is_audited(login, practitioner, child, point, nursery):
    seen = ObservationFactory(nursery=nursery, children=[child], observed_at=timezone.now() - timedelta(days=3))
    seen.areas.add(area("CL"))
    data = {"assessed_on": point.ends_on.isoformat()}
    data |= row(area("CL").pk, band_pk=band("Birth to three").pk) | {f"area{area('CL').pk}-observations": [seen.pk]}
    data |= row(area("PD").pk, judgement="not_on_track", band_pk=band("Birth to three").pk, why="Not climbing yet.")

    response = login(practitioner).post(grid_url(child, point), data)

    assert response.status_code == 302
    cl = Assessment.objects.get(child=child, area=area("CL"))
    assert cl.is_on_track
    assert list(cl.observations.all()) == [seen]
    assert cl.assessed_by == practitioner
    assert Assessment.objects.get(child=child, area=area("PD")).judgement == "not_on_track"
    assert Assessment.objects.count() == 2
    events = ChildAuditEvent.objects.filter(child=child, action=ChildAuditEvent.Action.CHANGED)
    assert events.filter(what__contains="Autumn term").count() == 2


def test_assessment_date_before_the_child_started_is_refused_and_nothing_typed_is_lost(
    login, practitioner, child, point
):
    child.start_date = point.ends_on - timedelta(days=5)
    child.save()
    data = {"assessed_on": (point.ends_on - timedelta(days=10)).isoformat()}
    data |= row(area("CL").pk, band_pk=band("Birth to three").pk, why="Names the animals in the farm book.")

    response = login(practitioner).post(grid_url(child, point), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ava started at the nursery on" in page
    assert "Names the animals in the farm book." in page
    assert not Assessment.objects.exists()


def test_assessment_date_after_the_child_left_is_refused(login, practitioner, child, point):
    child.leave_date = point.ends_on - timedelta(days=2)
    child.save()
    data = {"assessed_on": point.ends_on.isoformat()} | row(area("CL").pk, band_pk=band("Birth to three").pk)
    page = login(practitioner).post(grid_url(child, point), data).content.decode()
    assert "Ava left the nursery on" in page
    assert not Assessment.objects.exists()


def test_assessment_date_outside_the_points_window_is_refused(login, practitioner, child, point):
    data = {"assessed_on": (point.starts_on - timedelta(days=1)).isoformat()}
    data |= row(area("CL").pk, band_pk=band("Birth to three").pk)
    page = login(practitioner).post(grid_url(child, point), data).content.decode()
    assert "Autumn term runs from" in page
    assert not Assessment.objects.exists()


def test_a_band_from_another_framework_is_refused_with_a_clear_message(login, practitioner, child, point):
    other = band("Range 4", of="birth-to-5-matters")
    data = {"assessed_on": point.ends_on.isoformat()} | row(area("CL").pk, band_pk=other.pk, why="Chats at snack.")
    page = login(practitioner).post(grid_url(child, point), data).content.decode()
    assert "That band is not in EYFS 2024 — Development Matters, which your nursery uses." in page
    assert "Chats at snack." in page
    assert not Assessment.objects.exists()


def test_an_observation_of_another_child_cannot_back_a_judgement(
    login, practitioner, child, other_child, point, nursery
):
    theirs = ObservationFactory(nursery=nursery, children=[other_child])
    theirs.areas.add(area("CL"))
    data = {"assessed_on": point.ends_on.isoformat()} | row(area("CL").pk, band_pk=band("Birth to three").pk)
    data[f"area{area('CL').pk}-observations"] = [theirs.pk]
    page = login(practitioner).post(grid_url(child, point), data).content.decode()
    assert "Only observations of Ava tagged with Communication and Language can back this." in page
    assert not Assessment.objects.exists()


def test_the_service_refuses_another_childs_observation_and_a_goal_of_another_area(child, other_child, nursery):
    from django.core.exceptions import ValidationError

    theirs = ObservationFactory(nursery=nursery, children=[other_child])
    dm = framework()
    with pytest.raises(ValidationError, match="Only observations of Ava"):
        check_judgement(
            child=child,
            framework=dm,
            row=Judgement(area("CL"), None, band("Birth to three"), "on_track", "Why", [theirs]),
        )
    maths_goal = area("M").aspects.first()
    with pytest.raises(ValidationError, match="is not an early learning goal of Communication and Language"):
        check_judgement(child=child, framework=dm, row=Judgement(area("CL"), maths_goal, None, "expected", "Why"))


def test_a_judgement_without_a_reason_asks_for_one(login, practitioner, child, point):
    data = {"assessed_on": point.ends_on.isoformat()} | row(area("CL").pk, band_pk=band("Birth to three").pk, why="")
    page = login(practitioner).post(grid_url(child, point), data).content.decode()
    assert "Write a sentence on what you have seen." in page


def test_a_reception_age_child_is_judged_against_each_early_learning_goal(login, manager, nursery, room, point):
    today = timezone.localdate()
    september = today.year if today.month >= 9 else today.year - 1
    pupil = ChildFactory(nursery=nursery, room=room, first_name="Hallie", date_of_birth=date(september - 4, 1, 10))
    pupil.start_date = point.starts_on - timedelta(days=400)
    pupil.save()
    speaking = area("CL").aspects.get(name="Speaking")

    page = login(manager).get(grid_url(pupil, point)).content.decode()
    assert "Speaking" in page
    assert "Expected (at the early learning goal)" in page
    data = {
        "assessed_on": point.ends_on.isoformat(),
        f"goal{speaking.pk}-judgement": "emerging",
        f"goal{speaking.pk}-rationale": "Talks in short phrases.",
    }
    assert login(manager).post(grid_url(pupil, point), data).status_code == 302
    saved = Assessment.objects.get(child=pupil)
    assert (saved.aspect, saved.judgement, saved.band) == (speaking, "emerging", None)


@pytest.mark.parametrize(
    ("born", "on", "reception"),
    [
        (date(2021, 8, 31), date(2025, 9, 1), True),  # four on 31 August: starts reception that September
        (date(2021, 9, 1), date(2025, 9, 1), False),  # four a day later: a year to wait
        (date(2020, 2, 29), date(2024, 10, 1), True),
        (date(2020, 2, 29), date(2025, 10, 1), False),  # in year 1 by then
    ],
)
def test_reception_age_follows_the_english_school_year(born, on, reception):
    assert is_reception_age(ChildFactory.build(date_of_birth=born), on) is reception


# --- Who sees what ---------------------------------------------------------------------------------


def test_parent_reads_their_childs_assessments_in_plain_words(login, parent, child, point):
    AssessmentFactory(child=child, point=point, judgement="not_on_track", rationale="Beginning to join two words.")
    page = login(parent).get(reverse("stories:assessments", args=[child.pk])).content.decode()
    assert "Needs a little more time and help here" in page
    assert "Beginning to join two words." in page
    assert ChildAuditEvent.objects.filter(child=child, actor=parent, what="Assessments").exists()


def test_another_family_cannot_open_a_childs_assessments(login, other_parent, child):
    assert login(other_parent).get(reverse("stories:assessments", args=[child.pk])).status_code == 404


def test_child_page_shows_the_latest_assessment_summary(login, practitioner, child, point):
    AssessmentFactory(child=child, point=point)
    AssessmentFactory(child=child, point=point, area=area("PD"), judgement="not_on_track")
    page = login(practitioner).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "At <strong>Autumn term</strong>: 1 of 2 areas on track." in page


def test_assessments_pdf_lists_the_childs_judgements(child, point):
    AssessmentFactory(child=child, point=point, rationale="Sings along to every song at circle time.")
    text = " ".join(PdfReader(io.BytesIO(assessments_pdf(child=child))).pages[0].extract_text().split())
    assert "Autumn term" in text
    assert "Sings along to every song" in text
    assert "Communication and Language" in text


def test_a_colleague_who_is_not_the_key_person_cannot_overwrite_a_childs_assessments(login, nursery, room, child):
    from nursery.tests.factories import StaffMemberFactory

    point = AssessmentPointFactory(nursery=nursery)
    colleague = StaffMemberFactory(nursery=nursery, room=room).user
    assert login(colleague).get(reverse("stories:assess_child", args=[child.pk, point.pk])).status_code == 403
    page = login(colleague).get(reverse("stories:assessments", args=[child.pk])).content.decode()
    assert "key person, their buddy or a manager records assessments" in page


def test_a_family_reads_another_child_in_a_reason_as_a_friend(login, parent, child, other_child):
    AssessmentFactory(child=child, rationale=f"Takes turns with {other_child.first_name} on the bikes.")
    page = login(parent).get(reverse("stories:assessments", args=[child.pk])).content.decode()
    assert "Takes turns with a friend on the bikes." in page
    assert other_child.first_name not in page
    pdf = PdfReader(io.BytesIO(assessments_pdf(child=child)))
    assert other_child.first_name not in "".join(sheet.extract_text() for sheet in pdf.pages)
