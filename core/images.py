"""The photo pipeline: every uploaded picture goes through ``process_upload`` (or ``receive_upload``) first.

Checked by content (never by file name or the browser's content type), capped in bytes and pixels,
turned the right way up, shrunk, and re-encoded as a JPEG without any metadata, so GPS positions and
device details in a photo's EXIF never reach the disk. Thumbnails are made later, by one Celery task for
every model that declares ``THUMBNAIL = (source field, thumbnail field)``; pages show ``PLACEHOLDER`` until then.

Story photos are many and large, so for them the slow part (decoding 12 megapixels and shrinking them with
a high-quality filter) leaves the request too: ``receive_upload`` only checks a camera JPEG and cuts its
metadata out without decoding it again (the orientation is kept, nothing else), and the same task makes the
display copy from that stripped original (``DISPLAY = (original field, display field)``), then the thumbnail.
The original field is never served: until the display copy exists nobody sees anything but the placeholder.
"""

import io
import logging
import re
import threading
import warnings
from collections.abc import Callable, Iterator
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
    # False for a camera JPEG only stripped of its metadata by ``receive_upload``: still to be shrunk.
    final: bool = True

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


def _check_size(uploaded_file: File) -> None:
    if uploaded_file.size is not None and uploaded_file.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ImageRejected(
            f"This photo is too large ({_megabytes(uploaded_file.size)}). "
            f"Please choose one under {_megabytes(settings.IMAGE_UPLOAD_MAX_BYTES)}."
        )
    if not uploaded_file.size:
        raise ImageRejected("This file is empty. Please choose the photo again.")


def process_upload(uploaded_file: File) -> ProcessedImage:
    """Check an uploaded photo by its content and return a clean, right-way-up, size-capped JPEG.

    Raises ``ImageRejected`` with a message to show the person uploading.
    """
    _check_size(uploaded_file)
    uploaded_file.seek(0)
    with _open(uploaded_file, fit=settings.IMAGE_MAX_SIDE) as image:
        return _clean(image, settings.IMAGE_MAX_SIDE)


# --- Camera JPEGs: checked and stripped in the request, shrunk by the photo task ----------------------

JPEG_START = b"\xff\xd8\xff"
ORIENTATION = 0x0112
CHECK_SIDE = 64  # the check decodes every byte of the picture, at the smallest scale (1/8): a fraction of the time


class _Damaged(Exception):
    pass


def _keeps(marker: int, body: bytes) -> bool:
    """Which JPEG segments a stripped photo keeps: all but metadata (APPn and comments), save the colour
    profile (APP2 ICC_PROFILE) and Adobe's colour transform flag (APP14), which decoding needs."""
    if marker == 0xFE:  # COM
        return False
    if 0xE0 <= marker <= 0xEF:
        return (marker == 0xE2 and body.startswith(b"ICC_PROFILE\0")) or (marker == 0xEE and body.startswith(b"Adobe"))
    return True


def _orientation_segment(exif_body: bytes) -> bytes:
    """An APP1 segment with only the orientation of the camera's EXIF (none if it is upright or unreadable)."""
    try:
        orientation = Image.Exif()
        orientation.load(exif_body)
        value = int(orientation.get(ORIENTATION, 1))
    except Exception:  # unreadable EXIF: Pillow raises many kinds; the picture is shown as stored
        return b""
    return _exif_with_orientation(value)


def _exif_with_orientation(value: int) -> bytes:
    """An APP1 segment with only this orientation (none if it is upright or not an orientation)."""
    if value not in range(2, 9):
        return b""
    minimal = Image.Exif()
    minimal[ORIENTATION] = value
    payload = minimal.tobytes()
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


XMP_START = b"http://ns.adobe.com/xap/1.0/\0"
# As an attribute (tiff:Orientation="6") or an element (<tiff:Orientation>6</tiff:Orientation>).
XMP_ORIENTATION = re.compile(rb"tiff:Orientation\s*(?:=\s*[\"']|>)\s*([1-8])\b")


def _xmp_orientation(body: bytes) -> int:
    """The orientation an XMP packet gives (some phones and editors write it only there), or 1."""
    found = XMP_ORIENTATION.search(body)
    return int(found.group(1)) if found else 1


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a start-of-scan ends: the next marker (0xFF not followed by a
    stuffed 0x00, a restart marker or fill)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0xFF:
            pos += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without its metadata, copied segment by segment without decoding (milliseconds, not the
    second a re-encode takes): EXIF (GPS, device), XMP, IPTC, comments, embedded thumbnails and anything
    after the picture's end (the second pictures and depth maps of phone cameras) are left out. Only the
    orientation is kept, in a new EXIF of its own, for the task that turns the photo the right way up (from
    the XMP when the EXIF has none)."""
    out = bytearray(b"\xff\xd8")
    pos, size = 2, len(data)
    exif_orientation, xmp_orientation, exif_at = False, 1, 2
    while pos + 1 < size:
        if data[pos] != 0xFF:
            raise _Damaged
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # end of the picture: whatever follows is dropped
            out += b"\xff\xd9"
            if not exif_orientation:
                out[exif_at:exif_at] = _exif_with_orientation(xmp_orientation)
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out += data[pos : pos + 2]
            pos += 2
            continue
        if pos + 4 > size:
            raise _Damaged
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > size or end < pos + 4:
            raise _Damaged
        body = data[pos + 4 : end]
        if marker == 0xE1 and body.startswith(b"Exif\0\0"):
            segment = _orientation_segment(body)
            exif_orientation = exif_orientation or bool(segment)
            out += segment
        elif marker == 0xE1 and body.startswith(XMP_START):
            xmp_orientation = _xmp_orientation(body)
        elif _keeps(marker, body):
            if marker == 0xE0 and len(out) == 2:  # JFIF's APP0 comes first: an EXIF made later goes after it
                exif_at = end - pos + 2
            out += data[pos:end]
        pos = end
        if marker == 0xDA:  # start of scan: the compressed picture follows, up to the next marker
            scan_end = _scan_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    raise _Damaged  # no end-of-picture marker: cut short


def receive_upload(uploaded_file: File) -> ProcessedImage:
    """What a request does with a story photo: everything that keeps people safe, nothing slow.

    A camera JPEG is capped in bytes and pixels, stripped of its metadata (``strip_jpeg``) and then fully
    decoded at 1/8 scale, so a file that is not a whole, readable picture is refused here with a message;
    the result (``final=False``) is shrunk by the photo task. Anything else (PNG, HEIC) is processed at once
    as by ``process_upload``. Raises ``ImageRejected``.
    """
    _check_size(uploaded_file)
    uploaded_file.seek(0)
    data = uploaded_file.read()
    if not data.startswith(JPEG_START):
        return process_upload(uploaded_file)
    try:
        stripped = strip_jpeg(data)
    except _Damaged:
        raise ImageRejected("This photo seems damaged or incomplete. Please try uploading it again.") from None
    with _open(io.BytesIO(stripped), fit=CHECK_SIDE):  # what is stored is what was checked
        pass
    return ProcessedImage(content=stripped, width=0, height=0, final=False)


def make_thumbnail(source: File, *, side: int | None = None) -> ProcessedImage:
    """A small JPEG of an already processed image (for lists, headers and the story timeline); with ``side``,
    the display copy of a stripped original."""
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


def fill_display(instance: models.Model) -> bool:
    """Make the display copy of a model with ``DISPLAY = (original, display)`` from its stripped original;
    idempotent. The original is deleted only once the display copy is saved and the record points at it: a
    failure leaves the original for the sweep to try again. Returns whether a display copy was made."""
    source, display = instance.DISPLAY
    original: FieldFile = getattr(instance, source)
    if not original:
        return False
    try:
        shrunk = make_thumbnail(original, side=settings.IMAGE_MAX_SIDE)
    except FileNotFoundError:
        # The upload is gone for good (e.g. restored from a backup made while the photo was prepared): no
        # retrying every sweep. Empty original and display copy both mean "could not be prepared".
        label = instance._meta.label
        logger.warning("Photo %s %s could not be prepared: %s is gone", label, instance.pk, original.name)
        type(instance)._default_manager.filter(pk=instance.pk, **{source: original.name}).update(**{source: ""})
        setattr(instance, source, "")
        return False
    except ImageRejected:
        logger.warning("No display copy for %s %s: %s unreadable", instance._meta.label, instance.pk, original.name)
        return False
    field: FieldFile = getattr(instance, display)
    field.save("photo.jpg", shrunk.as_file(), save=False)
    model = type(instance)
    names = {f.name for f in model._meta.get_fields()}
    size = {key: value for key, value in (("width", shrunk.width), ("height", shrunk.height)) if key in names}
    saved = model._default_manager.filter(pk=instance.pk, **{source: original.name}).update(
        **{display: field.name, source: ""}, **size
    )
    if not saved:  # removed (or finished by another run) while we worked: this copy belongs to nothing
        field.storage.delete(field.name)
        return False
    storage, name = original.storage, original.name
    transaction.on_commit(lambda: storage.delete(name))
    setattr(instance, source, "")
    for key, value in size.items():
        setattr(instance, key, value)
    return True


# Run on a photo once its display copy exists, before its thumbnail (which makes it "ready"): an app above core
# registers here what it makes from the photo (learning_stories finds the faces). Each must be idempotent.
PHOTO_PREPARED_HOOKS: list[Callable[[models.Model], None]] = []


def finish_photo(instance: models.Model) -> bool:
    """Everything still to make for a photo: its display copy (models with ``DISPLAY``), what the registered
    hooks make from it, then its thumbnail."""
    made = hasattr(instance, "DISPLAY") and fill_display(instance)
    for hook in PHOTO_PREPARED_HOOKS:
        hook(instance)
    return fill_thumbnail(instance) or made


def fill_thumbnail_of(*, model_label: str, pk: int) -> bool:
    """For the photo task: does nothing when the record, its photo, or its thumbnail is gone or there."""
    instance = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    return instance is not None and finish_photo(instance)


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
    """For the sweep: (model label, id) of photos with no thumbnail yet, or an original still waiting for its
    display copy (their task never ran or failed)."""
    missing = []
    for model in apps.get_models():
        if hasattr(model, "THUMBNAIL"):
            source, thumbnail = model.THUMBNAIL
            todo = models.Q(~models.Q(**{source: ""}), **{thumbnail: ""})
            if hasattr(model, "DISPLAY"):
                todo |= ~models.Q(**{model.DISPLAY[0]: ""})
            ids = model._default_manager.filter(todo).order_by("pk").values_list("pk", flat=True)
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
