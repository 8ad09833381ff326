"""Helpers for tests of faces on photos: a real two-face group photo, faces found and named, and how far a
face's pixels moved between two copies. The photo (tests/fixtures/two_faces.jpg) is scikit-image's astronaut
portrait (NASA, public domain) twice side by side, made once offline; scikit-image is not a dependency."""

from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageChops, ImageStat

from learning_stories.faces import services
from learning_stories.models import Observation, ObservationPhoto, PhotoFace

from .factories import ObservationPhotoFactory

GROUP_PHOTO = (Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "two_faces.jpg").read_bytes()


def group_photo(entry: Observation, children) -> ObservationPhoto:
    """The two-face photo on an entry, with who is in it and the faces the detector found."""
    photo = ObservationPhotoFactory(observation=entry, children=children, image=ContentFile(GROUP_PHOTO, "photo.jpg"))
    services.detect_faces(photo)
    return photo


def name_left_and_right(photo: ObservationPhoto, left, right) -> tuple[PhotoFace, PhotoFace]:
    first, second = sorted(photo.faces.all(), key=lambda face: face.x)
    PhotoFace.objects.filter(pk=first.pk).update(child=left)
    PhotoFace.objects.filter(pk=second.pk).update(child=right)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def difference(a: Image.Image, b: Image.Image, face: PhotoFace) -> float:
    """Mean pixel difference (0..255) between two copies of the photo inside one face box."""
    box = (
        int(face.x * a.width),
        int(face.y * a.height),
        int((face.x + face.w) * a.width),
        int((face.y + face.h) * a.height),
    )
    return sum(ImageStat.Stat(ImageChops.difference(a.crop(box), b.crop(box))).mean) / 3
