"""The photo pipeline: every uploaded picture goes through ``process_upload`` before it is stored.

Checked by content (never by file name or the browser's content type), capped in bytes and pixels,
turned the right way up, shrunk, and re-encoded as a JPEG without any metadata, so GPS positions and
device details in a photo's EXIF never reach the disk. Thumbnails are made later, by one Celery task for
every model that declares ``THUMBNAIL = (source field, thumbnail field)``; pages show ``PLACEHOLDER`` until then.
"""

import io
import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .queue import Dispatch, enqueue

try:  # iPad and iPhone photos (HEIC); without the package those get a clear message instead.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    HEIC_SUPPORTED = False

logger = logging.getLogger(__name__)

# Shown where a thumbnail is not made yet (a static file).
PLACEHOLDER = "img/photo-placeholder.svg"

ACCEPTED = {"JPEG", "PNG", "HEIF"}
ACCEPTED_WORDS = "a JPEG, PNG or HEIC (iPad and iPhone) photo"
# HEIF brands after "ftyp" at byte 4: how a HEIC file is recognised when it cannot be decoded.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
JPEG_QUALITY = 85


class ImageRejected(Exception):
    """An upload that is not a usable photo; ``message`` is plain English for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    """A clean JPEG ready to store."""

    content: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"
    extension: str = ".jpg"

    def as_file(self, name: str = "photo") -> ContentFile:
        """A file for ``FieldFile.save``; the stored name comes from the field's ``upload_to``."""
        return ContentFile(self.content, name=f"{name}{self.extension}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class _StrictDecoding:
    """Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES`` is one flag for the whole process, and importing WeasyPrint
    (any PDF) turns it on: a photo cut short would then be "decoded" with its missing part grey. Our own decodes
    run with it off and the flag is put back once the last of them ends, so concurrent uploads never restore
    each other's value and WeasyPrint keeps its setting for the PDFs it makes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._decoding = 0
        self._saved = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if not self._decoding:
                self._saved = ImageFile.LOAD_TRUNCATED_IMAGES
            self._decoding += 1
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            with self._lock:
                self._decoding -= 1
                if not self._decoding:
                    ImageFile.LOAD_TRUNCATED_IMAGES = self._saved


refusing_truncated_images = _StrictDecoding()


def _open(stream: IO[bytes], *, fit: int) -> Image.Image:
    """Open and fully decode an image, turning every way it can fail into an ``ImageRejected``.

    JPEGs are decoded at the smallest scale still at least ``fit`` pixels on a side: less memory and time.
    """
    head = stream.read(16)
    stream.seek(0)
    too_many = ImageRejected(
        "This picture has too many pixels to handle safely. Please choose a smaller photo, "
        "or take a new one with the camera."
    )
    try:
        with warnings.catch_warnings(), refusing_truncated_images():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            if image.format not in ACCEPTED:
                raise ImageRejected(f"KeyStory cannot use {image.format} pictures. Please choose {ACCEPTED_WORDS}.")
            # Checked from the header, before decoding: a small file can declare billions of pixels.
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise too_many
            if image.format == "JPEG":
                image.draft("RGB", (fit, fit))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except UnidentifiedImageError:
        if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS and not HEIC_SUPPORTED:
            raise ImageRejected(
                "This is an iPad or iPhone (HEIC) photo, which this server cannot convert. On the iPad, choose "
                "Settings > Camera > Formats > Most Compatible, or share the photo as a JPEG."
            ) from None
        raise ImageRejected(f"This file is not a photo KeyStory can read. Please choose {ACCEPTED_WORDS}.") from None
    except (OSError, SyntaxError, ValueError) as error:
        logger.info("Damaged image rejected: %s", error)
        raise ImageRejected("This photo seems damaged or incomplete. Please try uploading it again.") from None
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent parts become white rather than black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image) -> ProcessedImage:
    """Re-encode as JPEG, keeping only the colour profile: no EXIF, XMP or comments."""
    icc_profile = image.info.get("icc_profile")
    image.info.clear()  # Pillow copies some metadata (e.g. a JPEG comment) from here when saving
    out = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    return ProcessedImage(content=out.getvalue(), width=image.width, height=image.height)


def _clean(image: Image.Image, max_side: int) -> ProcessedImage:
    image = ImageOps.exif_transpose(image)  # the way up the camera saw it, before EXIF is dropped
    image = _to_rgb(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _encode(image)


def process_upload(uploaded_file: File) -> ProcessedImage:
    """Check an uploaded photo by its content and return a clean, right-way-up, size-capped JPEG.

    Raises ``ImageRejected`` with a message to show the person uploading.
    """
    if uploaded_file.size is not None and uploaded_file.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ImageRejected(
            f"This photo is too large ({_megabytes(uploaded_file.size)}). "
            f"Please choose one under {_megabytes(settings.IMAGE_UPLOAD_MAX_BYTES)}."
        )
    if not uploaded_file.size:
        raise ImageRejected("This file is empty. Please choose the photo again.")
    uploaded_file.seek(0)
    with _open(uploaded_file, fit=settings.IMAGE_MAX_SIDE) as image:
        return _clean(image, settings.IMAGE_MAX_SIDE)


def make_thumbnail(source: File, *, side: int | None = None) -> ProcessedImage:
    """A small JPEG of an already processed image (for lists, headers and the story timeline)."""
    side = side or settings.IMAGE_THUMBNAIL_SIDE
    with source.open("rb"), _open(source, fit=side) as image:
        return _clean(image, side)


def fill_thumbnail(instance: models.Model) -> bool:
    """Make the missing thumbnail of a model with ``THUMBNAIL = (source, thumbnail)``; idempotent.

    Saved only if the photo was not replaced meanwhile. Returns whether a thumbnail was made.
    """
    source, thumbnail = instance.THUMBNAIL
    original: FieldFile = getattr(instance, source)
    if not original or getattr(instance, thumbnail):
        return False
    try:
        small = make_thumbnail(original)
    except (ImageRejected, FileNotFoundError):
        logger.warning("No thumbnail for %s %s: %s unreadable", instance._meta.label, instance.pk, original.name)
        return False
    field: FieldFile = getattr(instance, thumbnail)
    field.save("thumbnail.jpg", small.as_file(), save=False)
    model = type(instance)
    saved = model._default_manager.filter(pk=instance.pk, **{source: original.name}).update(**{thumbnail: field.name})
    if not saved:  # replaced or removed while we worked: this thumbnail belongs to nothing
        field.storage.delete(field.name)
        return False
    return True


def fill_thumbnail_of(*, model_label: str, pk: int) -> bool:
    """For the thumbnail task: does nothing when the record, its photo, or its thumbnail is gone or there."""
    instance = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    return instance is not None and fill_thumbnail(instance)


def queue_thumbnail(instance: models.Model) -> Dispatch:
    """Make the thumbnail in the background once the photo is committed."""
    from .tasks import make_thumbnail  # tasks import this module

    return enqueue(make_thumbnail, instance._meta.label, instance.pk)


def store_photo(instance: models.Model, image: ProcessedImage | None) -> Dispatch | None:
    """Put a processed photo (or None, to remove it) on ``instance`` and save; the old files go after commit.

    The thumbnail is cleared and a new one queued.
    """
    source, thumbnail = instance.THUMBNAIL
    old = [name for name in (getattr(instance, source).name, getattr(instance, thumbnail).name) if name]
    if image is None:
        setattr(instance, source, "")
    else:
        getattr(instance, source).save("photo.jpg", image.as_file(), save=False)
    setattr(instance, thumbnail, "")
    instance.save(update_fields=[source, thumbnail])
    storage = getattr(instance, source).storage
    for name in old:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return None if image is None else queue_thumbnail(instance)


def missing_thumbnails(*, limit: int = 500) -> list[tuple[str, int]]:
    """For the sweep: (model label, id) of photos with no thumbnail yet (their task never ran or failed)."""
    missing = []
    for model in apps.get_models():
        if hasattr(model, "THUMBNAIL"):
            source, thumbnail = model.THUMBNAIL
            ids = model._default_manager.exclude(**{source: ""}).filter(**{thumbnail: ""}).values_list("pk", flat=True)
            missing += [(model._meta.label, pk) for pk in ids[: limit - len(missing)]]
    return missing


class PhotoField(forms.FileField):
    """A form field whose cleaned value is a ``ProcessedImage``; a bad file becomes a form error."""

    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"})
    default_error_messages = {"required": "Please choose a photo."}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text",
            f"A JPEG, PNG or iPad/iPhone (HEIC) photo, up to {_megabytes(settings.IMAGE_UPLOAD_MAX_BYTES)}. "
            "Location and camera details are removed.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> ProcessedImage | None:
        uploaded = super().clean(data, initial)
        if not uploaded:
            return None
        try:
            return process_upload(uploaded)
        except ImageRejected as rejected:
            raise forms.ValidationError(rejected.message, code="image_rejected") from None


class PhotoForm(forms.Form):
    """Upload one photo (a child's, a member of staff's)."""

    photo = PhotoField(label="Choose a photo")
