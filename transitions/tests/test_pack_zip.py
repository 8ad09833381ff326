"""The leaver pack ZIP: what is in it, and that it keeps every privacy rule as the family would see it."""

import hashlib
import io
import json
import zipfile

import jsonschema
import pytest
from pypdf import PdfReader

from children.models import ConsentPurpose
from children.tests.factories import ChildFactory, consent
from learning_stories.models import Comment, NextStep, Observation, ProgressCheck
from learning_stories.tests.factories import (
    AssessmentFactory,
    NextStepFactory,
    ObservationFactory,
    ObservationPhotoFactory,
    ProgressCheckFactory,
    area,
)
from transitions.leaver_pack.packs import ENTRIES_PER_RUN, SCHEMA_PATH, write_pack_zip
from transitions.models import TransitionReport
from transitions.report import services
from transitions.tests.factories import TransitionPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def friend_who_agreed(nursery, room):
    friend = ChildFactory(nursery=nursery, room=room, first_name="Leo", last_name="Okafor")
    consent(friend, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    return friend


@pytest.fixture
def story(nursery, child, other_child, friend_who_agreed, practitioner, parent):
    """Ava's story: her own entry, a group entry with Zara (who did NOT agree to appear in others'
    stories) and one with Leo (who did), a staff-only entry and a draft."""
    own = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], text="Ava counted the steps.", child_voice="Ten!"
    )
    own.areas.add(area("M"))
    own_photo = ObservationPhotoFactory(observation=own, children=[child])
    Comment.objects.create(observation=own, child=child, author=parent, text="She does it at home too")
    with_zara = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, other_child], text="Ava and Zara built a den."
    )
    with_zara.child_links.filter(child=child).update(next_steps="Build another den with Zara")
    zara_photo = ObservationPhotoFactory(observation=with_zara, children=[child, other_child])
    with_leo = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child, friend_who_agreed], text="Leo and Ava painted."
    )
    leo_photo = ObservationPhotoFactory(observation=with_leo, children=[child, friend_who_agreed])
    ObservationFactory(nursery=nursery, author=practitioner, children=[child], text="Secret", staff_only=True)
    ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], text="Unfinished", status=Observation.Status.DRAFT
    )
    return {"own": own_photo, "zara": zara_photo, "leo": leo_photo}


def build(child) -> zipfile.ZipFile:
    target = io.BytesIO()
    write_pack_zip(child=child, target=target)
    target.seek(0)
    return zipfile.ZipFile(target)


def pdf_text(archive: zipfile.ZipFile, name: str) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(archive.read(name)), strict=True)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_pack_holds_the_story_book_photos_data_and_readme(child, story):
    names = set(build(child).namelist())

    photos = {name for name in names if name.startswith("photos/")}
    assert {"story.pdf", "pack.json", "README.txt"} <= names
    assert len(photos) == 2  # her own photo and the one with Leo, never the one with Zara


def test_pack_json_follows_the_schema_and_names_no_other_child(child, other_child, friend_who_agreed, story):
    archive = build(child)
    raw = archive.read("pack.json").decode()
    pack = json.loads(raw)

    jsonschema.validate(pack, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())
    assert "Zara" not in raw
    assert "Ahmed" not in raw
    assert "Leo" not in raw
    assert "Okafor" not in raw
    assert [entry["text"] for entry in pack["entries"]] == [
        "Ava counted the steps.",
        "Ava and a friend built a den.",
        "A friend and Ava painted.",
    ]
    assert len({entry["id"] for entry in pack["entries"]}) == 3
    assert pack["entries"][1]["next_steps"] == "Build another den with a friend"
    assert pack["entries"][0]["comments"][0]["text"] == "She does it at home too"
    assert pack["entries"][0]["areas"][0]["code"] == "M"


def test_every_photo_in_the_json_is_in_the_zip_with_its_checksum(child, story):
    archive = build(child)
    pack = json.loads(archive.read("pack.json"))

    listed = [photo for entry in pack["entries"] for photo in entry["photos"]]
    assert {photo["file"] for photo in listed} == {n for n in archive.namelist() if n.startswith("photos/")}
    for photo in listed:
        assert photo["sha256"] == sha(archive.read(photo["file"]))


def test_no_photo_of_a_child_who_did_not_agree_to_appear_in_others_stories(child, story):
    names = build(child).namelist()

    def packed(photo) -> bool:  # photos/<date>-<entry id>-<photo id>.jpg
        return any(n.endswith(f"-{photo.observation_id}-{photo.pk}.jpg") for n in names)

    assert not packed(story["zara"])
    assert packed(story["own"])
    assert packed(story["leo"])


def test_story_book_is_the_familys_view_without_other_childrens_names(child, story):
    pages, text = pdf_text(build(child), "story.pdf")

    assert pages >= 1
    assert "counted the steps" in text
    assert "She does it at home too" in text
    assert "Zara" not in text
    assert "Leo" not in text
    assert "Secret" not in text
    assert "Unfinished" not in text
    assert "a friend" in text


def test_a_long_story_is_printed_in_runs_and_joined_into_one_book(nursery, child, practitioner):
    for n in range(ENTRIES_PER_RUN + 3):
        ObservationFactory(nursery=nursery, author=practitioner, children=[child], text=f"Entry number {n}.")

    pages, text = pdf_text(build(child), "story.pdf")

    assert pages >= 2
    assert text.index("Entry number 0.") < text.index(f"Entry number {ENTRIES_PER_RUN + 2}.")


def test_reports_include_only_checks_shared_with_the_family(child, practitioner):
    shared = ProgressCheckFactory(child=child, status=ProgressCheck.Status.SHARED)
    ProgressCheckFactory(child=child, status=ProgressCheck.Status.DRAFT)
    AssessmentFactory(child=child)

    archive = build(child)
    reports = sorted(n for n in archive.namelist() if n.startswith("reports/"))

    assert reports == [
        "reports/assessments.pdf",
        f"reports/progress-check-{shared.checked_on:%Y-%m-%d}-{shared.pk}.pdf",
    ]
    assert len(json.loads(archive.read("pack.json"))["progress_checks"]) == 1


def test_an_empty_story_still_makes_a_valid_pack(child):
    archive = build(child)
    pack = json.loads(archive.read("pack.json"))

    jsonschema.validate(pack, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())
    assert pack["entries"] == []
    assert pdf_text(archive, "story.pdf")[0] == 1


def test_a_staff_only_or_dropped_next_step_never_goes_into_the_pack(nursery, child, other_child, practitioner):
    secret = ObservationFactory(nursery=nursery, author=practitioner, children=[child], staff_only=True)
    draft = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    NextStepFactory(child=child, observation=secret, text="Watch the bruises")
    NextStepFactory(child=child, observation=draft, text="Half-written step")
    NextStepFactory(child=child, text="No longer needed", status=NextStep.Status.DROPPED)
    NextStepFactory(child=child, text="Share the blocks with Zara")

    raw = build(child).read("pack.json").decode()
    steps = [step["text"] for step in json.loads(raw)["next_steps"]]

    assert steps == ["Share the blocks with a friend"]
    assert "Zara" not in raw


def test_a_transition_report_goes_into_the_pack_only_once_it_is_shared_with_the_family(child, practitioner):
    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    report = services.start_report(plan=plan, by=practitioner)
    TransitionReport.objects.filter(pk=report.pk).update(status=TransitionReport.Status.APPROVED)

    approved = build(child)
    assert "reports/transition-report.pdf" not in approved.namelist()
    assert json.loads(approved.read("pack.json"))["transition_report"] is None

    TransitionReport.objects.filter(pk=report.pk).update(status=TransitionReport.Status.SHARED)
    shared = build(child)
    assert "reports/transition-report.pdf" in shared.namelist()
    assert json.loads(shared.read("pack.json"))["transition_report"] is not None


def test_an_assessment_rationale_in_the_pack_names_no_other_child(child, other_child):
    AssessmentFactory(child=child, rationale=f"Shares the blocks with {other_child.first_name} at tidy-up time.")

    raw = build(child).read("pack.json").decode()

    rationales = [assessment["rationale"] for assessment in json.loads(raw)["assessments"]]
    assert rationales == ["Shares the blocks with a friend at tidy-up time."]
    assert other_child.first_name not in raw
