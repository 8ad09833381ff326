"""The image work for faces: finding them with OpenCV's Haar cascade (shipped inside opencv-python-headless,
run locally; nothing leaves the server) and blurring them beyond recognition with Pillow."""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageFilter, ImageOps

DETECT_SIDE = 1024  # faces are looked for on a copy this size: quick, and small faces still count
MARGIN = 0.15  # a blurred box grows by this much on each side, to cover hair and ears the detector leaves out


@dataclass(frozen=True)
class Box:
    """A face, in fractions of the photo's width and height."""

    x: float
    y: float
    w: float
    h: float


def _load(file: FieldFile) -> Image.Image:
    with file.open("rb"):
        image = Image.open(file)
        image.load()
    return ImageOps.exif_transpose(image).convert("RGB")


def find_faces(file: FieldFile) -> list[Box]:
    """Faces on a stored photo (its display copy), front-on, by the Haar cascade."""
    import cv2  # imported here: only the photo task needs it
    import numpy

    image = _load(file)
    image.thumbnail((DETECT_SIDE, DETECT_SIDE))
    grey = cv2.equalizeHist(cv2.cvtColor(numpy.asarray(image), cv2.COLOR_RGB2GRAY))
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    side = max(24, min(image.size) // 25)
    found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(side, side))
    width, height = image.size
    return [Box(x=x / width, y=y / height, w=w / width, h=h / height) for (x, y, w, h) in found]


def blurred(file: FieldFile, boxes: list[Box]) -> ContentFile:
    """A JPEG of the photo with each box pixelated and then blurred: nothing of the face is left to know."""
    image = _load(file)
    width, height = image.size
    for box in boxes:
        left = max(0, int((box.x - box.w * MARGIN) * width))
        top = max(0, int((box.y - box.h * MARGIN) * height))
        right = min(width, int((box.x + box.w * (1 + MARGIN)) * width) + 1)
        bottom = min(height, int((box.y + box.h * (1 + MARGIN)) * height) + 1)
        if right <= left or bottom <= top:
            continue
        face = image.crop((left, top, right, bottom))
        tiny = face.resize((max(1, face.width // 24), max(1, face.height // 24)), Image.Resampling.BILINEAR)
        face = tiny.resize(face.size, Image.Resampling.NEAREST)
        face = face.filter(ImageFilter.GaussianBlur(radius=max(4, min(face.size) // 8)))
        image.paste(face, (left, top))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")
