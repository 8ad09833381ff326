"""Hostile photo uploads on all five photo forms: a JPEG cut short (after a PDF has switched Pillow's
"load truncated images" on for the whole process), other files named .jpg, empty files, decompression bombs,
too many bytes and lying content types. Each is refused with a plain reason, never a 500, and no photo is
stored."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from PIL import ImageFile

from children.models import ConsentPurpose
from children.tests.factories import consent
from learning_stories.models import Observation, ObservationPhoto
from learning_stories.tests.factories import ObservationFactory
from tests.images import camera_jpeg, encoded, picture, png_claiming, upload

pytestmark = pytest.mark.django_db

DAMAGED = "This photo seems damaged or incomplete."
NOT_A_PHOTO = "This file is not a photo KeyStory can read."


@pytest.fixture(autouse=True)
def _a_pdf_has_been_made():
    """Importing WeasyPrint (as making any PDF does) sets Pillow's flag for the whole process; it stays set."""
    import weasyprint  # noqa: F401

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    yield
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True, "our decode must put the flag back as it found it"
    ImageFile.LOAD_TRUNCATED_IMAGES = before


def truncated_jpeg() -> bytes:
    """A real 1200 by 900 JPEG cut at 700 bytes: the header is whole, the picture is not."""
    return encoded(picture(1200, 900))[:700]


PAYLOADS: dict[str, tuple[Callable[[], tuple[bytes, str, str]], str]] = {
    "a JPEG cut at 700 bytes": (lambda: (truncated_jpeg(), "photo.jpg", "image/jpeg"), DAMAGED),
    "a text file named .jpg": (lambda: (b"hello, this is not a photo\n" * 20, "photo.jpg", "image/jpeg"), NOT_A_PHOTO),
    "an empty file": (lambda: (b"", "photo.jpg", "image/jpeg"), "empty"),
    "a decompression bomb": (lambda: (png_claiming(100_000, 100_000), "photo.png", "image/png"), "too many pixels"),
    "a GIF sent as a JPEG": (lambda: (encoded(picture(), "GIF"), "photo.jpg", "image/jpeg"), "cannot use GIF"),
    "a PDF named .jpg": (lambda: (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "photo.jpg", "image/jpeg"), NOT_A_PHOTO),
    "an SVG with a script": (
        lambda: (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.jpg", "image/jpeg"),
        NOT_A_PHOTO,
    ),
}


@dataclass
class PhotoForm:
    who: str
    url: str
    data: Callable[[object], dict]
    stored: Callable[[], object]
    field: str = "photo"


def photo_forms(request) -> dict[str, Callable[[], PhotoForm]]:
    get = request.getfixturevalue
    consent(get("child"), ConsentPurpose.PHOTOS_OWN_STORY)  # so the photo itself is what is judged

    def child_photo() -> PhotoForm:
        child = get("child")
        return PhotoForm(
            "manager",
            reverse("children:change_photo", args=[child.pk]),
            lambda file: {"photo": file},
            lambda: type(child).objects.get(pk=child.pk).photo.name,
        )

    def staff_photo() -> PhotoForm:
        post = get("practitioner_post")
        return PhotoForm(
            "manager",
            reverse("nursery:change_staff_photo", args=[post.pk]),
            lambda file: {"photo": file},
            lambda: type(post).objects.get(pk=post.pk).photo.name,
        )

    def capture_upload() -> PhotoForm:
        child, practitioner = get("child"), get("practitioner")
        draft = ObservationFactory(
            nursery=child.nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT
        )
        return PhotoForm(
            "practitioner",
            reverse("stories:upload_photo", args=[draft.pk]),
            lambda file: {"photo": file},
            lambda: ObservationPhoto.objects.count(),
        )

    def capture_form() -> PhotoForm:
        child = get("child")
        data = {"observed_at": "2026-03-04T10:00", "children": [child.pk], "text": "Built a tower.", "action": "submit"}
        return PhotoForm(
            "practitioner",
            reverse("stories:new"),
            lambda file: data | {"photos": file, "client_key": str(uuid.uuid4())},
            lambda: (ObservationPhoto.objects.count(), Observation.objects.exclude(status="draft").count()),
        )

    def home_contribution() -> PhotoForm:
        child = get("child")
        return PhotoForm(
            "parent",
            reverse("stories:add_home", args=[child.pk]),
            lambda file: {"text": "At the beach.", "observed_on": "2026-03-04", "photos": file},
            lambda: (Observation.objects.count(), ObservationPhoto.objects.count()),
        )

    return {
        "child photo": child_photo,
        "staff photo": staff_photo,
        "capture upload": capture_upload,
        "capture form": capture_form,
        "home contribution": home_contribution,
    }


FORMS = ["child photo", "staff photo", "capture upload", "capture form", "home contribution"]


@pytest.mark.time_machine("2026-03-04 11:00:00+00:00")
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_upload_is_refused_with_a_reason_and_nothing_is_stored(request, login, form, payload):
    target = photo_forms(request)[form]()
    content, name, content_type = PAYLOADS[payload][0]()
    before = target.stored()

    response = login(request.getfixturevalue(target.who)).post(
        target.url, target.data(upload(content, name, content_type))
    )

    assert 400 <= response.status_code < 500 or response.status_code == 200
    body = response.content.decode()
    assert PAYLOADS[payload][1] in body.replace("\\u0027", "'")
    assert target.stored() == before


@pytest.mark.time_machine("2026-03-04 11:00:00+00:00")
@pytest.mark.parametrize("form", FORMS)
def test_a_photo_over_the_size_limit_is_refused_before_it_is_read(request, login, settings, form):
    settings.IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    target = photo_forms(request)[form]()
    before = target.stored()
    huge = camera_jpeg() + b"\0" * (6 * 1024 * 1024)

    response = login(request.getfixturevalue(target.who)).post(target.url, target.data(upload(huge)))

    assert response.status_code < 500
    assert "This photo is too large (6 MB). Please choose one under 5 MB." in response.content.decode()
    assert target.stored() == before


@pytest.mark.time_machine("2026-03-04 11:00:00+00:00")
def test_a_whole_photo_is_still_taken_while_the_flag_is_on(request, login):
    target = photo_forms(request)["child photo"]()
    login(request.getfixturevalue(target.who)).post(target.url, target.data(upload(camera_jpeg())))
    assert target.stored()
