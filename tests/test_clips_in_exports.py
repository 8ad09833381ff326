"""Video and sound clips in what leaves KeyStory: the leaver pack (and so the school link) and the subject access
ZIP. Above every app, as transitions and privacy read the clips through learning_stories' selectors."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import ObservationClip
from learning_stories.tests.factories import ObservationFactory
from tests.media import clip_upload, phone_video, song_with_cover

pytestmark = pytest.mark.django_db


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as file:
        return file.read()


@pytest.fixture
def published_clip(login, parent, child, django_capture_on_commit_callbacks) -> ObservationClip:
    """A family's video from home, prepared (in-process at commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        login(parent).post(
            reverse("stories:add_home", args=[child.pk]),
            {
                "text": "Sang in the bath",
                "observed_on": str(timezone.localdate()),
                "clips": [clip_upload(phone_video(seconds=3))],
            },
        )
    return ObservationClip.objects.get()


def test_the_childs_clip_is_in_the_leaver_pack(published_clip, child):
    from transitions.leaver_pack.packs import write_pack_zip

    target = io.BytesIO()
    write_pack_zip(child=child, target=target)
    archive = zipfile.ZipFile(target)
    [entry] = json.loads(archive.read("pack.json"))["entries"]
    [clip] = entry["clips"]
    assert clip["kind"] == "video"
    assert clip["file"].startswith("clips/")
    assert clip["file"].endswith(".mp4")
    assert archive.read(clip["file"]) == stored(published_clip.media)


def test_the_childs_clip_is_in_the_subject_access_zip_but_not_one_with_a_friend(
    login, published_clip, child, other_child, parent
):
    from privacy.archive import write_export_zip
    from privacy.tests.factories import ready_export

    consent(other_child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    with_friend = ObservationFactory(nursery=child.nursery, children=[child, other_child], text="Together")
    shared = ObservationClip.objects.create(observation=with_friend, kind="audio")
    shared.media.save("clip.m4a", io.BytesIO(song_with_cover("m4a")), save=True)
    export = ready_export(child=child, person=parent, requested_by=parent)

    target = io.BytesIO()
    write_export_zip(export=export, target=target)
    archive = zipfile.ZipFile(target)

    in_zip = [name for name in archive.namelist() if name.startswith("clips/")]
    assert len(in_zip) == 1
    assert in_zip[0].endswith(f"-{published_clip.pk}.mp4")
    story = {row["id"]: row for row in json.loads(archive.read("data.json"))["child"]["story"]}
    assert story[published_clip.observation_id]["clips"] == in_zip
    assert story[with_friend.pk]["clips"] == []
    assert story[with_friend.pk]["clips_not_included"] == 1


def test_the_leaver_pack_with_clips_follows_its_published_format(published_clip, child, settings):
    import jsonschema

    from transitions.leaver_pack.packs import write_pack_zip

    target = io.BytesIO()
    write_pack_zip(child=child, target=target)
    pack = json.loads(zipfile.ZipFile(target).read("pack.json"))
    schema = json.loads((settings.BASE_DIR / "transitions" / "schema" / "leaver-pack-1.schema.json").read_text())
    jsonschema.validate(pack, schema, format_checker=jsonschema.FormatChecker())
    assert pack["entries"][0]["clips"][0]["seconds"] > 2


def test_a_clip_still_waiting_for_its_task_is_prepared_for_the_leaver_pack(
    login, parent, child, django_capture_on_commit_callbacks
):
    from transitions.leaver_pack.packs import write_pack_zip

    with django_capture_on_commit_callbacks(execute=False):  # as with a worker that has not run yet
        login(parent).post(
            reverse("stories:add_home", args=[child.pk]),
            {"text": "Humming", "observed_on": str(timezone.localdate()), "clips": [clip_upload(phone_video(2))]},
        )
    assert not ObservationClip.objects.get().media

    target = io.BytesIO()
    write_pack_zip(child=child, target=target)

    clip = ObservationClip.objects.get()
    assert clip.media
    assert zipfile.ZipFile(target).read(
        json.loads(zipfile.ZipFile(target).read("pack.json"))["entries"][0]["clips"][0]["file"]
    ) == stored(clip.media)
