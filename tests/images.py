"""Real pictures drawn by Pillow, for tests of anything that takes a photo upload."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def picture(width: int = 200, height: int = 100) -> Image.Image:
    """Left half red, right half blue: shows which way up the picture ended."""
    image = Image.new("RGB", (width, height), "red")
    image.paste("blue", (width // 2, 0, width, height))
    return image


def camera_exif(orientation: int = 1) -> Image.Exif:
    """What a tablet camera writes: make, model, orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[MODEL] = "iPad Pro"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    return exif


def encoded(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def camera_jpeg(orientation: int = 1, width: int = 200, height: int = 100) -> bytes:
    return encoded(picture(width, height), "JPEG", exif=camera_exif(orientation))


def heic(width: int = 200, height: int = 100) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return encoded(picture(width, height), "HEIF", exif=camera_exif())


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb."""
    data = bytearray(encoded(Image.new("1", (1, 1)), "PNG"))
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """An uploaded file: the name and content type are what a browser claims, not what it is."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def read_back(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image
