"""Story photos are shrunk after the upload answers: the request only checks and strips them, the card says
"being prepared" until the photo task has made the display copy, and nobody is ever served the original."""

import io
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from children.models import ConsentPurpose
from children.tests.factories import consent
from core import images
from core.tasks import make_missing_thumbnails
from learning_stories.models import ObservationPhoto
from learning_stories.observations import services
from tests.helpers import autosaved_draft
from tests.images import GPS_IFD, MAKE, camera_jpeg, upload

pytestmark = pytest.mark.django_db

PREPARING = "Photo being prepared…"


@pytest.fixture
def staff(login, practitioner, child):
    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    return login(practitioner)


def draft_of(staff, child) -> int:
    return autosaved_draft(staff, child, "Painted a rainbow.")


def upload_queued(staff, pk: int, capture, content: bytes | None = None) -> tuple[dict, list]:
    """Upload one photo as with a worker: the photo task is queued at commit, not run (``callbacks`` runs it)."""
    with capture(execute=False) as callbacks:
        answer = staff.post(reverse("stories:upload_photo", args=[pk]), {"photo": upload(content or camera_jpeg())})
    return answer.json(), callbacks


def run(callbacks, capture) -> None:
    """What the worker does later: the queued photo task (and the file deletions it leaves for commit)."""
    with capture(execute=True):
        for callback in callbacks:
            callback()


def test_the_upload_answers_before_the_photo_is_shrunk(staff, child, django_capture_on_commit_callbacks):
    pk = draft_of(staff, child)
    with mock.patch("core.images._clean", wraps=images._clean) as shrink:
        answer, callbacks = upload_queued(staff, pk, django_capture_on_commit_callbacks)
        assert not shrink.called, "the slow resize must not run in the upload request"
        run(callbacks, django_capture_on_commit_callbacks)
        assert shrink.called
    assert answer["ok"]
    assert PREPARING in answer["html"]
    assert 'role="status"' in answer["html"]
    assert 'data-hx-trigger="every 2s"' in answer["html"]
    assert reverse("stories:photo_preview", args=[answer["id"]]) in answer["html"]


def test_the_card_shows_the_photo_once_the_task_has_run(staff, child, django_capture_on_commit_callbacks):
    answer, callbacks = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks)
    preview = reverse("stories:photo_preview", args=[answer["id"]])
    assert PREPARING in staff.get(preview).content.decode()

    run(callbacks, django_capture_on_commit_callbacks)

    ready = staff.get(preview).content.decode()
    assert PREPARING not in ready
    assert "data-hx-trigger" not in ready, "polling stops once the photo is ready"
    assert reverse("stories:photo_thumbnail", args=[answer["id"]]) in ready
    assert staff.get(reverse("stories:photo_thumbnail", args=[answer["id"]])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_card_is_ready_at_once(staff, child):
    # REDIS_URL unset: the task runs in-process when the upload commits, before the card is drawn.
    answer = staff.post(
        reverse("stories:upload_photo", args=[draft_of(staff, child)]), {"photo": upload(camera_jpeg())}
    ).json()
    assert PREPARING not in answer["html"]
    assert reverse("stories:photo_thumbnail", args=[answer["id"]]) in answer["html"]


def test_the_original_is_kept_until_the_display_copy_is_saved(staff, child, django_capture_on_commit_callbacks):
    answer, callbacks = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks)
    photo = ObservationPhoto.objects.get(pk=answer["id"])
    original = photo.original.name
    assert original
    assert not photo.image, "before the task: only the stripped original"
    assert default_storage.exists(original)

    with mock.patch("core.images._clean", side_effect=images.ImageRejected("out of memory")):
        run(callbacks, django_capture_on_commit_callbacks)  # the task fails
    photo.refresh_from_db()
    assert photo.original.name == original
    assert not photo.image
    assert default_storage.exists(original), "a failed task leaves the original"

    with django_capture_on_commit_callbacks(execute=True):
        assert make_missing_thumbnails.delay().get() == 1  # the sweep tries again
    photo.refresh_from_db()
    assert photo.image
    assert photo.thumbnail
    assert not photo.original
    assert (photo.width, photo.height) == (200, 100)
    assert not default_storage.exists(original), "the original goes once the display copy is saved"


def test_what_is_stored_from_the_request_has_no_location_or_device(staff, child, django_capture_on_commit_callbacks):
    answer, _ = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks, camera_jpeg(6))
    with ObservationPhoto.objects.get(pk=answer["id"]).original.open("rb") as stored:
        kept = Image.open(io.BytesIO(stored.read())).getexif()
    assert not kept.get_ifd(GPS_IFD)
    assert MAKE not in kept
    assert dict(kept) == {0x0112: 6}, "only the orientation, for the task to turn it the right way up"


def test_a_parent_never_sees_a_photo_being_prepared(
    login, parent, child, staff, practitioner, nursery, django_capture_on_commit_callbacks
):
    nursery.observations_need_review = False
    nursery.save()
    pk = draft_of(staff, child)
    answer, callbacks = upload_queued(staff, pk, django_capture_on_commit_callbacks)
    from learning_stories.models import Observation

    with django_capture_on_commit_callbacks(execute=False):
        services.submit(observation=Observation.objects.get(pk=pk), by=practitioner)
    family = login(parent)
    full, thumb = reverse("stories:photo", args=[answer["id"]]), reverse("stories:photo_thumbnail", args=[answer["id"]])

    assert family.get(full).status_code == 404
    assert family.get(thumb).status_code == 404
    story = family.get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "Photo 1 is being prepared…" in story
    assert full not in story
    assert thumb not in story

    run(callbacks, django_capture_on_commit_callbacks)
    story = family.get(reverse("stories:story", args=[child.pk])).content.decode()
    assert "being prepared" not in story
    assert thumb in story
    served = family.get(full)
    assert served.status_code == 200
    picture = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not picture.getexif(), "the display copy has no metadata at all"


def test_a_home_contribution_photo_is_prepared_by_the_task_too(parent, child, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = services.add_home_contribution(
            child=child, author=parent, text="At the park", observed_at=timezone.now(), photos=[upload(camera_jpeg())]
        )
    photo = entry.photos.get()
    assert photo.original
    assert not photo.image
    run(callbacks, django_capture_on_commit_callbacks)
    photo.refresh_from_db()
    assert photo.image
    assert photo.thumbnail
    assert not photo.original


def test_the_card_asks_again_in_few_queries(
    staff, child, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    answer, _ = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks)
    preview = reverse("stories:photo_preview", args=[answer["id"]])
    staff.get(preview)
    with django_assert_max_num_queries(5):  # session, user, staff post (2), the photo
        assert staff.get(preview).status_code == 200


def test_removing_a_photo_being_prepared_removes_its_original(staff, child, django_capture_on_commit_callbacks):
    answer, callbacks = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks)
    original = ObservationPhoto.objects.get(pk=answer["id"]).original.name
    staff.post(reverse("stories:remove_photo", args=[answer["id"]]))
    assert not default_storage.exists(original)
    run(callbacks, django_capture_on_commit_callbacks)  # the task then finds nothing to do
    assert not ObservationPhoto.objects.exists()


def test_a_photo_whose_upload_is_gone_says_it_could_not_be_prepared_and_is_not_retried(
    staff, child, django_capture_on_commit_callbacks
):
    # As after restoring a backup made while the photo was prepared: the record names an original that is gone.
    answer, callbacks = upload_queued(staff, draft_of(staff, child), django_capture_on_commit_callbacks)
    default_storage.delete(ObservationPhoto.objects.get(pk=answer["id"]).original.name)

    run(callbacks, django_capture_on_commit_callbacks)

    card = staff.get(reverse("stories:photo_preview", args=[answer["id"]])).content.decode()
    assert "could not be prepared" in card
    assert "data-hx-trigger" not in card, "the card stops asking"
    assert images.missing_thumbnails() == []  # the sweep no longer queues it
