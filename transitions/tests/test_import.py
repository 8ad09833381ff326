"""Importing another setting's leaver pack: the child arrives as joining with their whole story, and a
malformed or hostile file is refused with a clear reason and leaves nothing behind."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from children.models import Child, ChildAuditEvent
from learning_stories.models import Comment, NextStep, Observation, ObservationPhoto
from tests.images import png_claiming, read_back
from transitions.imports.importer import PackRejected
from transitions.imports.services import import_pack
from transitions.models import PackImport
from transitions.tests.packs import PHOTO, pack_data, pack_members, pack_zip, photo_ref, sha, zip_bytes

pytestmark = pytest.mark.django_db


def stored_files(folder: str = "") -> list[str]:
    """Every file in the default storage (tests keep it in memory)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += stored_files(f"{folder}/{sub}".lstrip("/"))
    return found


def refused(nursery, manager, upload) -> list[str]:
    """Import ``upload``, expect a refusal, and check that nothing at all was created."""
    before = (Child.objects.count(), Observation.objects.count(), sorted(stored_files()))
    with pytest.raises(PackRejected) as refusal:
        import_pack(nursery=nursery, upload=upload, by=manager)
    after = (Child.objects.count(), Observation.objects.count(), sorted(stored_files()))
    assert after == before
    assert not Comment.objects.exists()
    assert not ObservationPhoto.objects.exists()
    assert not PackImport.objects.exists()
    return refusal.value.problems


def test_the_child_arrives_as_joining_in_the_importing_nursery(other_nursery, other_manager):
    result = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager)

    child = result.child
    assert (child.nursery, child.room, child.start_date) == (other_nursery, None, None)
    assert child.status == "starting"
    assert (child.first_name, child.last_name, str(child.date_of_birth)) == ("Noah", "Green", "2022-05-03")
    assert not child.guardianships.exists()  # the family is invited as usual, never created from a pack
    assert child.all_about_me.allergies == "Peanuts: carries an EpiPen"
    assert child.all_about_me.likes == "Dinosaurs"
    assert (result.from_setting, result.entries, result.photos, result.comments) == ("Meadow Pre-school", 3, 3, 2)
    assert child.audit_events.filter(action=ChildAuditEvent.Action.CREATED).exists()


def test_every_entry_becomes_a_published_observation_from_the_other_setting(other_nursery, other_manager):
    child = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager).child

    entries = child.observations.filter(staff_only=False).order_by("observed_at")
    assert [entry.text.split("\n")[0] for entry in entries] == [
        "Noah built a tower with a friend and counted the bricks.",
        "At the beach.",
        "Painted a rainbow.",
    ]
    assert {entry.status for entry in entries} == {Observation.Status.PUBLISHED}
    assert {entry.imported_from for entry in entries} == {"Meadow Pre-school"}
    assert [entry.source for entry in entries] == ["nursery", "home", "nursery"]
    first = entries[0]
    assert first.child_voice == "Ten bricks!"
    assert first.child_links.get().next_steps == "Count beyond ten."
    assert [area.code for area in first.areas.all()] == ["M"]
    assert [aspect.name for aspect in first.aspects.all()] == ["Number"]
    assert [item.name for item in first.characteristics.all()] == ["Playing and exploring"]
    # What the nursery's framework has no match for is kept in the text.
    assert "Forest school (XX)" in first.text
    assert "Tree climbing" in first.text
    assert "Counts to ten." in first.text
    assert "Written by Lucy Hill." in first.text


def test_comments_arrive_with_who_wrote_them(other_nursery, other_manager):
    child = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager).child

    comments = Comment.objects.filter(child=child).order_by("created_at")
    assert [(c.by_staff, c.author, c.text) for c in comments] == [
        (False, None, "Emma Green: He loves towers!"),
        (True, None, "Lucy Hill: We will build more."),
    ]


def test_photos_are_cleaned_and_show_only_this_child(other_nursery, other_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the photo task prepares each display copy
        child = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager).child

    photos = ObservationPhoto.objects.filter(observation__children=child)
    assert photos.count() == 3
    for photo in photos:
        assert list(photo.children.all()) == [child]
        with photo.image.open("rb") as file:
            stored = read_back(file.read())
        assert stored.format == "JPEG"
        assert not stored.getexif()


def test_other_records_are_kept_as_staff_only_history_and_next_steps(other_nursery, other_manager):
    result = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager)

    history = result.child.observations.filter(staff_only=True)
    texts = "\n".join(history.values_list("text", flat=True))
    assert history.count() == 3
    assert "Speaking (3 and 4-year-olds): on track. Talks in long sentences." in texts
    assert "Progress check at age two" in texts
    assert "Confident climber." in texts
    assert "Interests: Dinosaurs and building." in texts
    steps = NextStep.objects.filter(child=result.child).order_by("text")
    assert [(s.text, s.status, s.area and s.area.code) for s in steps] == [
        ("Use scissors.", "achieved", None),
        ("Write his name.", "open", "L"),
    ]
    assert result.records == 5


def test_the_imported_story_says_where_each_entry_came_from(login, other_nursery, other_manager):
    child = import_pack(nursery=other_nursery, upload=pack_zip(), by=other_manager).child

    page = login(other_manager).get(reverse("stories:story", args=[child.pk]))

    assert page.status_code == 200
    assert "From Meadow Pre-school" in page.content.decode()


# --- Hostile and malformed files: each refused with its reason, nothing created -------------------


def test_a_file_that_is_not_a_zip_is_refused(other_nursery, other_manager):
    problems = refused(other_nursery, other_manager, io.BytesIO(b"%PDF-1.7 this is a PDF"))
    assert problems == ["This file is not a ZIP file. Choose the leaver pack ZIP exactly as it was downloaded."]


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(other_nursery, other_manager):
    bomb = zip_bytes({**pack_members(), "photos/huge.jpg": b"\0" * (20 * 1024 * 1024)})
    problems = refused(other_nursery, other_manager, io.BytesIO(bomb))
    assert "ZIP bomb" in problems[0]


def test_a_zip_that_unpacks_too_large_is_refused(settings, other_nursery, other_manager):
    settings.PACK_IMPORT_MAX_UNPACKED_BYTES = 1_000
    problems = refused(other_nursery, other_manager, pack_zip())
    assert "would unpack to" in problems[0]


def test_a_zip_with_too_many_files_is_refused(settings, other_nursery, other_manager):
    settings.PACK_IMPORT_MAX_FILES = 4
    problems = refused(other_nursery, other_manager, pack_zip())
    assert problems == ["This ZIP holds 5 files; a leaver pack has at most 4."]


ESCAPING_NAMES = ["../evil.sh", "photos/../../etc/passwd", "/etc/cron.d/evil", "C:/evil.bat", "a\\..\\b"]


@pytest.mark.parametrize("name", ESCAPING_NAMES)
def test_a_file_name_pointing_outside_the_pack_is_refused(other_nursery, other_manager, name):
    problems = refused(other_nursery, other_manager, pack_zip(**{name: b"boo"}))
    assert "points outside the pack" in problems[0]


def test_a_zip_without_pack_json_is_refused(other_nursery, other_manager):
    members = pack_members()
    del members["pack.json"]
    problems = refused(other_nursery, other_manager, io.BytesIO(zip_bytes(members)))
    assert problems == ["This ZIP has no pack.json, so it is not a leaver pack KeyStory can import."]


def test_pack_json_that_is_not_json_is_refused(other_nursery, other_manager):
    upload = io.BytesIO(zip_bytes({"pack.json": "{not json", "story.pdf": b"x"}))
    assert "not valid JSON" in refused(other_nursery, other_manager, upload)[0]


def test_a_pack_of_another_format_is_refused(other_nursery, other_manager):
    problems = refused(other_nursery, other_manager, pack_zip(pack_data(format="somebody-else")))
    assert "is not a KeyStory leaver pack" in problems[0]


def test_a_pack_of_a_newer_version_is_refused(other_nursery, other_manager):
    problems = refused(other_nursery, other_manager, pack_zip(pack_data(version=2)))
    assert problems[0].startswith("This pack is format version 2; this KeyStory reads version 1.")


def test_schema_errors_are_told_in_plain_words(other_nursery, other_manager):
    data = pack_data()
    del data["entries"][2]["observed_at"]
    data["entries"][1]["source"] = "school"
    del data["child"]["last_name"]

    problems = refused(other_nursery, other_manager, pack_zip(data))

    assert "Entry 3 has no date." in problems
    assert "Source of entry 2 must be one of: nursery, home." in problems
    assert "Child has no last name." in problems


def test_a_date_that_is_not_a_date_is_refused(other_nursery, other_manager):
    data = pack_data()
    data["entries"][0]["observed_at"] = "last Tuesday"
    problems = refused(other_nursery, other_manager, pack_zip(data))
    assert problems == ["Date of entry 1 is not a valid date and time."]  # by the schema (rfc3339-validator)


def test_a_listed_photo_missing_from_the_zip_is_refused(other_nursery, other_manager):
    members = pack_members()
    del members["photos/beach-2.jpg"]
    problems = refused(other_nursery, other_manager, io.BytesIO(zip_bytes(members)))
    assert problems == ["Entry 2 lists the photo photos/beach-2.jpg, which is not in the ZIP."]


def test_a_photo_whose_checksum_differs_is_refused(other_nursery, other_manager):
    data = pack_data()
    data["entries"][1]["photos"][0]["sha256"] = sha(b"something else")
    problems = refused(other_nursery, other_manager, pack_zip(data))
    assert "The photo photos/beach-1.jpg of entry 2 does not match its checksum" in problems[0]


def test_a_photo_that_is_not_an_image_is_refused_and_earlier_photos_are_removed(other_nursery, other_manager):
    fake = b"#!/bin/sh\necho not a photo\n"
    data = pack_data()
    data["entries"][2]["photos"] = [photo_ref("script.jpg", fake)]  # after entries 1 and 2 stored their photos
    problems = refused(other_nursery, other_manager, pack_zip(data, **{"photos/script.jpg": fake}))
    assert problems[0].startswith("The photo photos/script.jpg of entry 3: This file is not a photo KeyStory can read.")


def test_a_photo_claiming_billions_of_pixels_is_refused(other_nursery, other_manager):
    bomb = png_claiming(100_000, 100_000)
    data = pack_data()
    data["entries"][0]["photos"] = [photo_ref("bomb.png", bomb)]
    problems = refused(other_nursery, other_manager, pack_zip(data, **{"photos/bomb.png": bomb}))
    assert "too many pixels" in problems[0]


def test_duplicate_entry_ids_are_refused(other_nursery, other_manager):
    data = pack_data()
    data["entries"][2]["id"] = "e1"
    problems = refused(other_nursery, other_manager, pack_zip(data))
    assert problems == ["Entry 3 has the same id as entry 1 (“e1”)."]


def test_oversized_text_is_refused(other_nursery, other_manager):
    data = pack_data()
    data["entries"][1]["text"] = "x" * 20_001
    problems = refused(other_nursery, other_manager, pack_zip(data))
    assert problems == ["Text of entry 2 is too long (at most 20,000 characters)."]


def test_an_oversized_pack_json_is_refused_unread(settings, other_nursery, other_manager):
    settings.PACK_IMPORT_MAX_JSON_BYTES = 1000
    problems = refused(other_nursery, other_manager, pack_zip())
    assert problems[0].startswith("pack.json is")


def test_a_password_protected_member_is_refused(other_nursery, other_manager):
    raw = bytearray(zip_bytes(pack_members(), compression=zipfile.ZIP_STORED))
    # Set the "encrypted" flag of every entry in the central directory.
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        raw[at + 8] |= 0x1
        at = raw.find(b"PK\x01\x02", at + 4)
    problems = refused(other_nursery, other_manager, io.BytesIO(bytes(raw)))
    assert "password-protected" in problems[0]


def test_a_pack_with_the_same_photo_twice_stores_it_twice_for_each_entry(other_nursery, other_manager):
    data = pack_data()
    data["entries"][2]["photos"] = [photo_ref("tower.jpg", PHOTO)]
    result = import_pack(nursery=other_nursery, upload=pack_zip(data), by=other_manager)
    assert result.photos == 4


def test_a_truncated_zip_is_refused(other_nursery, other_manager):
    whole = pack_zip().getvalue()
    problems = refused(other_nursery, other_manager, io.BytesIO(whole[: len(whole) // 2]))
    assert problems == ["This file is not a ZIP file. Choose the leaver pack ZIP exactly as it was downloaded."]


def test_a_damaged_pack_json_is_refused(other_nursery, other_manager):
    raw = bytearray(zip_bytes({"pack.json": '{"format": "keystory-leaver-pack"}'}, compression=zipfile.ZIP_STORED))
    at = raw.find(b"keystory")
    raw[at : at + 8] = b"KEYSTORY"  # the bytes no longer match the checksum the ZIP records
    problems = refused(other_nursery, other_manager, io.BytesIO(bytes(raw)))
    assert problems == ["pack.json in the ZIP is damaged and cannot be read."]
