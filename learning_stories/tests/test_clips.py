"""Video and sound clips (issue 18): checked by content against the nursery's limits, transcoded off the request
without location or device details, played in ranges by whoever may see them, and withheld from other
families like photos (the leaver pack and subject access ZIP: tests/test_clips_in_exports.py)."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from children.models import ConsentPurpose
from children.tests.factories import consent
from core import clips as media
from learning_stories.clips import services as clip_services
from learning_stories.models import Observation, ObservationClip
from learning_stories.tasks import prepare_clip, prepare_waiting_clips
from learning_stories.tests.factories import ObservationFactory
from tests.helpers import autosaved_draft
from tests.media import LOCATION, MAKE, MODEL, clip_upload, described, phone_video, song_with_cover

pytestmark = pytest.mark.django_db

PREPARING = "is being prepared…"


@pytest.fixture
def staff(login, practitioner, child):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    return login(practitioner)


def draft_of(staff, child) -> int:
    return autosaved_draft(staff, child, "Sang a song.")


def save_with_clip(staff, child, pk: int, upload, *, action: str = "draft"):
    data = {
        "client_key": str(Observation.objects.get(pk=pk).client_key),
        "observed_at": f"{timezone.localdate() - timedelta(days=1)}T10:30",
        "children": [child.pk],
        "text": "Sang a song.",
        "action": action,
        "clips": [upload],
    }
    return staff.post(reverse("stories:edit", args=[pk]), data)


def home_clip(login, parent, child, upload, capture, *, text: str = "Sang in the bath"):
    with capture(execute=True):
        return login(parent).post(
            reverse("stories:add_home", args=[child.pk]),
            {"text": text, "observed_on": str(timezone.localdate()), "clips": [upload]},
        )


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as file:
        return file.read()


# --- Transcoding: no location, no device, H.264/AAC ------------------------------------------------


def test_a_phone_video_is_transcoded_to_h264_and_aac_without_its_location_or_device(
    staff, child, django_capture_on_commit_callbacks
):
    pk = draft_of(staff, child)
    with django_capture_on_commit_callbacks(execute=True):
        response = save_with_clip(staff, child, pk, clip_upload(phone_video()))
    assert response.status_code == 302
    clip = ObservationClip.objects.get()
    assert clip.kind == "video"
    assert clip.is_ready
    assert not clip.original
    content = stored(clip.media)
    about = described(content)
    assert "Video: h264" in about
    assert "Audio: aac" in about
    for leak in (LOCATION, "location", MAKE, MODEL):
        assert leak not in about
        assert leak.encode() not in content
    assert "yuv420p" in about
    assert clip.media.name.endswith(".mp4")
    assert 19.5 < clip.duration < 20.5
    assert clip.width % 2 == 0
    assert clip.height % 2 == 0
    assert max(clip.width, clip.height) <= 1280
    assert stored(clip.poster).startswith(b"\xff\xd8")  # the poster frame is a JPEG
    assert not default_storage.exists(f"stories/clips/originals/{clip.pk}")


def test_a_large_video_is_scaled_to_at_most_1280_pixels_with_even_sides(staff, child):
    pk = draft_of(staff, child)
    upload = clip_upload(phone_video(seconds=2, size="1921x1081"))
    clip, _ = clip_services.add_clip(observation=Observation.objects.get(pk=pk), upload=upload, by=staff_user(pk))
    assert clip_services.prepare_clip(clip_id=clip.pk)
    clip.refresh_from_db()
    assert (clip.width, clip.height) == (1280, 720)
    assert "1280x720" in described(stored(clip.media))


def staff_user(pk: int):
    return Observation.objects.get(pk=pk).author


@pytest.mark.parametrize("extension", ["mp3", "m4a"])
def test_a_sound_recording_loses_its_cover_picture_and_the_gps_in_it(
    login, parent, child, extension, django_capture_on_commit_callbacks
):
    song = song_with_cover(extension)
    assert b"Exif" in song
    assert "(attached pic)" in described(song)
    response = home_clip(
        login, parent, child, clip_upload(song, f"song.{extension}", "audio/mpeg"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    clip = ObservationClip.objects.get()
    assert clip.kind == "audio"
    assert clip.media.name.endswith(".m4a")
    assert not clip.poster
    content = stored(clip.media)
    about = described(content)
    assert "Audio: aac" in about
    assert "Video:" not in about
    assert "attached pic" not in about
    assert b"Exif" not in content
    assert b"\xff\xd8\xff" not in content
    assert LOCATION.encode() not in content
    assert MAKE.encode() not in content


# --- Bad input -------------------------------------------------------------------------------------------


def test_a_video_longer_than_the_nursery_takes_is_refused_and_the_words_are_kept(
    login, parent, child, django_capture_on_commit_callbacks
):
    child.nursery.clip_video_max_seconds = 10
    child.nursery.save()
    response = home_clip(
        login, parent, child, clip_upload(phone_video()), django_capture_on_commit_callbacks, text="Our first swim"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This video is too long (20 seconds). The nursery takes videos up to 10 seconds" in page
    assert "Our first swim" in page
    assert not Observation.objects.exists()
    assert not ObservationClip.objects.exists()


def test_a_video_larger_than_the_nursery_takes_is_refused_before_ffmpeg_reads_it():
    limits = media.Limits(video_bytes=1024 * 1024, video_seconds=60, audio_bytes=1024 * 1024, audio_seconds=60)
    with mock.patch("core.clips.probe") as probe, pytest.raises(media.ClipRejected) as refused:
        media.inspect_clip("/nonexistent", size=3 * 1024 * 1024, limits=limits)
    assert not probe.called
    assert refused.value.message.startswith("This clip is too large (3 MB). Please choose one under 1 MB")


@pytest.mark.parametrize(
    "content",
    [
        b"<html>not a film</html>" * 100,
        b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000,
        b"\xff\xd8\xff\xe0broken",
        # A playlist would have ffmpeg read other files of the server into the "clip".
        b"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n",
        b"ffconcat version 1.0\nfile /etc/passwd\n",
    ],
    ids=["text", "mp4-header-only", "jpeg-start", "hls-playlist", "concat-list"],
)
def test_a_file_that_claims_to_be_an_mp4_and_is_not_is_refused_with_a_message(staff, child, content):
    pk = draft_of(staff, child)
    response = save_with_clip(staff, child, pk, clip_upload(content, "holiday.mp4", "video/mp4"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "holiday.mp4: This file is not a video or sound recording KeyStory can read" in page
    assert "Sang a song." in page  # the text is kept
    assert not ObservationClip.objects.exists()


def test_a_photo_named_like_a_video_is_refused(staff, child):
    from tests.images import camera_jpeg

    pk = draft_of(staff, child)
    response = save_with_clip(staff, child, pk, clip_upload(camera_jpeg(), "clip.mp4"))
    assert "is not a video or sound recording" in response.content.decode()
    assert not ObservationClip.objects.exists()


# --- Off the request, and the worker dying part way --------------------------------------------------


def test_the_clip_is_prepared_after_the_request_and_its_original_is_never_served(
    staff, child, django_capture_on_commit_callbacks
):
    pk = draft_of(staff, child)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_with_clip(staff, child, pk, clip_upload(phone_video()))
    clip = ObservationClip.objects.get()
    assert clip.original
    assert not clip.media
    assert staff.get(reverse("stories:clip", args=[clip.pk])).status_code == 404
    card = staff.get(reverse("stories:edit", args=[pk])).content.decode()
    assert f"Video 1 {PREPARING}" in card
    assert reverse("stories:clip_preview", args=[clip.pk]) in card

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    preview = staff.get(reverse("stories:clip_preview", args=[clip.pk])).content.decode()
    assert PREPARING not in preview
    assert "<video" in preview
    assert 'playsinline preload="metadata"' in preview
    assert staff.get(reverse("stories:clip", args=[clip.pk])).status_code == 200


def test_a_worker_fault_while_publishing_leaves_nothing_half_published_and_keeps_the_original(staff, child):
    pk = draft_of(staff, child)
    clip, _ = clip_services.add_clip(
        observation=Observation.objects.get(pk=pk), upload=clip_upload(phone_video()), by=staff_user(pk)
    )
    original = clip.original.name
    real_save = default_storage.save
    saved_names = []

    def disk_full_at_the_poster(name, content, max_length=None):
        if "posters" in name:
            raise OSError(28, "No space left on device")
        saved_names.append(real_save(name, content, max_length=max_length))
        return saved_names[-1]

    with (
        mock.patch.object(default_storage, "save", side_effect=disk_full_at_the_poster),
        pytest.raises(OSError, match="No space left"),
    ):
        clip_services.prepare_clip(clip_id=clip.pk)

    clip.refresh_from_db()
    assert not clip.media
    assert not clip.poster
    assert clip.original.name == original
    assert saved_names
    assert not any(default_storage.exists(name) for name in saved_names)
    assert default_storage.exists(original)

    assert clip_services.prepare_clip(clip_id=clip.pk)  # the retry
    clip.refresh_from_db()
    assert clip.media
    assert clip.poster
    assert not clip.original


def test_a_worker_killed_during_ffmpeg_publishes_nothing(staff, child):
    pk = draft_of(staff, child)
    clip, _ = clip_services.add_clip(
        observation=Observation.objects.get(pk=pk), upload=clip_upload(phone_video()), by=staff_user(pk)
    )
    folders = []
    real = media.transcode

    def killed(source, *, kind):
        made = real(source, kind=kind)
        folders.append(made.folder)
        made.cleanup()
        raise SystemExit("worker lost")

    with mock.patch.object(media, "transcode", killed), pytest.raises(SystemExit):
        clip_services.prepare_clip(clip_id=clip.pk)
    clip.refresh_from_db()
    assert not clip.media
    assert clip.original
    assert not clip.problem
    assert staff.get(reverse("stories:clip", args=[clip.pk])).status_code == 404


def test_the_clip_task_is_acknowledged_only_once_done_and_the_sweep_finds_clips_left_waiting(staff, child):
    assert prepare_clip.acks_late
    assert prepare_clip.reject_on_worker_lost
    pk = draft_of(staff, child)
    clip, _ = clip_services.add_clip(
        observation=Observation.objects.get(pk=pk),
        upload=clip_upload(song_with_cover("mp3"), "a.mp3"),
        by=staff_user(pk),
    )
    assert clip_services.clips_waiting() == []  # a worker may be on it
    transcoding = timezone.now() - timedelta(seconds=media.TRANSCODE_TIMEOUT - 60)
    ObservationClip.objects.filter(pk=clip.pk).update(created_at=transcoding)
    assert clip_services.clips_waiting() == []  # a long transcode may still be running
    ObservationClip.objects.filter(pk=clip.pk).update(created_at=timezone.now() - timedelta(minutes=41))
    assert clip_services.clips_waiting() == [clip.pk]
    assert prepare_waiting_clips() == 1  # in-process here: the task runs at once
    clip.refresh_from_db()
    assert clip.is_ready
    assert clip_services.clips_waiting() == []


def test_a_file_ffmpeg_cannot_convert_is_marked_and_never_retried(staff, child):
    pk = draft_of(staff, child)
    clip, _ = clip_services.add_clip(
        observation=Observation.objects.get(pk=pk), upload=clip_upload(phone_video(seconds=2)), by=staff_user(pk)
    )
    with mock.patch.object(media, "transcode", side_effect=media.TranscodeFailed("video")):
        assert not clip_services.prepare_clip(clip_id=clip.pk)
    clip.refresh_from_db()
    assert clip.failed
    assert clip.original
    assert clip.problem
    assert "could not be prepared" in staff.get(reverse("stories:clip_preview", args=[clip.pk])).content.decode()
    assert clip_services.clips_waiting() == []


# --- Playing it: ranges, and who may ------------------------------------------------------------------


@pytest.fixture
def published_clip(login, parent, child, django_capture_on_commit_callbacks) -> ObservationClip:
    home_clip(login, parent, child, clip_upload(phone_video(seconds=3)), django_capture_on_commit_callbacks)
    return ObservationClip.objects.get()


def test_a_range_request_gets_206_with_exactly_those_bytes(login, parent, published_clip):
    client = login(parent)
    url = reverse("stories:clip", args=[published_clip.pk])
    content = stored(published_clip.media)

    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert b"".join(whole.streaming_content) == content

    piece = client.get(url, HTTP_RANGE="bytes=100-199")
    assert piece.status_code == 206
    assert piece["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert piece["Content-Length"] == "100"
    assert b"".join(piece.streaming_content) == content[100:200]

    first_two = client.get(url, HTTP_RANGE="bytes=0-1")  # what Safari asks first
    assert first_two.status_code == 206
    assert b"".join(first_two.streaming_content) == content[:2]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == content[-10:]
    rest = client.get(url, HTTP_RANGE=f"bytes={len(content) - 5}-")
    assert b"".join(rest.streaming_content) == content[-5:]


def test_a_range_past_the_end_gets_416(login, parent, published_clip):
    url = reverse("stories:clip", args=[published_clip.pk])
    size = published_clip.media.size
    response = login(parent).get(url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_behind_nginx_the_clip_is_handed_to_nginx_which_serves_ranges(login, parent, published_clip, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/private-media/"
    response = login(parent).get(reverse("stories:clip", args=[published_clip.pk]), HTTP_RANGE="bytes=0-1")
    assert response["X-Accel-Redirect"] == f"/private-media/{published_clip.media.name}"
    assert response["Content-Type"] == "video/mp4"


def test_the_parents_story_shows_a_video_player_for_a_phone(login, parent, child, published_clip):
    page = login(parent).get(reverse("stories:story", args=[child.pk])).content.decode()
    assert '<video class="story-clip-video" controls playsinline preload="metadata"' in page
    assert f'poster="{reverse("stories:clip_poster", args=[published_clip.pk])}"' in page
    assert f'src="{reverse("stories:clip", args=[published_clip.pk])}"' in page


def test_another_family_cannot_get_a_clip_of_a_child_whose_family_has_not_agreed(
    login, child, other_child, other_parent, parent
):
    entry = ObservationFactory(nursery=child.nursery, children=[child, other_child], text="Dancing together")
    clip = ObservationClip.objects.create(observation=entry, kind="audio")
    clip.media.save("clip.m4a", io.BytesIO(song_with_cover("m4a")), save=True)
    url = reverse("stories:clip", args=[clip.pk])

    assert login(other_parent).get(url).status_code == 404  # Ava's family has not agreed
    story = login(other_parent).get(reverse("stories:story", args=[other_child.pk])).content.decode()
    assert url not in story
    assert "1 clip not shown" in story

    consent(child, ConsentPurpose.PHOTOS_OTHERS_STORIES)
    assert login(other_parent).get(url).status_code == 200
    assert url in login(other_parent).get(reverse("stories:story", args=[other_child.pk])).content.decode()


def test_a_parent_of_a_child_not_in_the_entry_cannot_get_its_clip(login, other_parent, published_clip):
    assert login(other_parent).get(reverse("stories:clip", args=[published_clip.pk])).status_code == 404
    assert login(other_parent).get(reverse("stories:clip_poster", args=[published_clip.pk])).status_code == 404


# --- The nursery's limits ---------------------------------------------------------------------------------


def test_a_manager_sets_the_nurserys_limits_for_clips(login, manager, nursery):
    client = login(manager)
    assert "Largest video (MB)" in client.get(reverse("stories:clip_settings")).content.decode()
    response = client.post(
        reverse("stories:clip_settings"),
        {
            "clip_video_max_mb": 50,
            "clip_video_max_seconds": 30,
            "clip_audio_max_mb": 10,
            "clip_audio_max_seconds": 90,
        },
    )
    assert response.status_code == 302
    nursery.refresh_from_db()
    assert (nursery.clip_video_max_mb, nursery.clip_video_max_seconds) == (50, 30)
    assert media.limits_of(nursery).audio_seconds == 90


def test_a_limit_out_of_range_is_refused_with_a_message(login, manager, nursery):
    response = login(manager).post(
        reverse("stories:clip_settings"),
        {
            "clip_video_max_mb": 5000,
            "clip_video_max_seconds": 30,
            "clip_audio_max_mb": 10,
            "clip_audio_max_seconds": 90,
        },
    )
    assert response.status_code == 200
    assert "less than or equal to 500" in response.content.decode()
    nursery.refresh_from_db()
    assert nursery.clip_video_max_mb == 100


def test_with_no_ffmpeg_on_the_server_a_familys_clip_is_refused_with_a_message_and_their_words_kept(
    login, parent, child, django_capture_on_commit_callbacks, caplog
):
    with mock.patch.object(media, "ffmpeg_binary", side_effect=RuntimeError("No ffmpeg")):
        response = home_clip(
            login,
            parent,
            child,
            clip_upload(phone_video(seconds=2)),
            django_capture_on_commit_callbacks,
            text="Sang in the bath, all of it",
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "can&#x27;t be taken on this server at the moment" in page or "can't be taken on this server" in page
    assert "Sang in the bath, all of it" in page
    assert not ObservationClip.objects.exists()
    assert "No ffmpeg to check a clip with" in caplog.text
