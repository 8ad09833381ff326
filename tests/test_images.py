"""The photo pipeline, with real pictures: nothing private survives, and bad files get a clear message."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.images import ImageRejected, make_thumbnail, process_upload, receive_upload, strip_jpeg
from tests.images import (
    GPS_IFD,
    MAKE,
    MODEL,
    camera_exif,
    camera_jpeg,
    encoded,
    heic,
    picture,
    png_claiming,
    read_back,
    upload,
)


def test_gps_position_and_device_are_removed_from_a_camera_photo():
    original = read_back(camera_jpeg())
    assert original.getexif().get_ifd(GPS_IFD), "the test photo must carry a GPS position to begin with"

    stored = read_back(process_upload(upload(camera_jpeg())).content)

    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE not in exif
    assert MODEL not in exif
    assert "exif" not in stored.info


def test_a_photo_taken_sideways_is_turned_the_right_way_up():
    # Orientation 6: the camera was turned; the picture must be rotated a quarter turn clockwise to show.
    processed = process_upload(upload(camera_jpeg(orientation=6, width=200, height=100)))

    stored = read_back(processed.content)
    assert (stored.width, stored.height) == (100, 200)
    # The left (red) half of the sensor is now at the top.
    assert colour_at(stored, 50, 20) == "red"
    assert colour_at(stored, 50, 180) == "blue"


def colour_at(image, x: int, y: int) -> str:
    red, _, blue = image.getpixel((x, y))
    return "red" if red > blue else "blue"


def test_a_png_named_jpg_is_read_by_its_content_and_stored_as_jpeg():
    processed = process_upload(upload(encoded(picture(), "PNG"), name="holiday.jpg"))

    assert read_back(processed.content).format == "JPEG"
    assert (processed.width, processed.height) == (200, 100)


def test_a_transparent_png_gets_a_white_background():
    from PIL import Image

    clear = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    stored = read_back(process_upload(upload(encoded(clear, "PNG"), name="x.png")).content)

    assert min(stored.getpixel((5, 5))) > 240


def test_a_text_file_named_jpg_is_refused_with_a_clear_message():
    with pytest.raises(ImageRejected) as refused:
        process_upload(upload(b"Dear parents, the trip is on Friday.", name="trip.jpg"))

    assert "not a photo" in refused.value.message
    assert "JPEG, PNG or HEIC" in refused.value.message


def test_an_unsupported_picture_format_is_named_in_the_message():
    with pytest.raises(ImageRejected) as refused:
        process_upload(upload(encoded(picture(), "GIF"), name="funny.jpg"))

    assert "GIF" in refused.value.message


def test_a_damaged_photo_is_refused():
    cut_short = camera_jpeg(width=400, height=400)[:600]

    with pytest.raises(ImageRejected) as refused:
        process_upload(upload(cut_short))

    assert "damaged" in refused.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(ImageRejected):
        process_upload(upload(b""))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload(b"\xff" * (3 * 1024 * 1024))

    with pytest.raises(ImageRejected) as refused:
        process_upload(big)

    assert "too large (3 MB)" in refused.value.message
    assert "under 1 MB" in refused.value.message


@pytest.mark.parametrize("claimed", [(10_000, 10_000), (100_000, 100_000)])
def test_a_decompression_bomb_is_refused_without_decoding_it(claimed):
    bomb = png_claiming(*claimed)
    assert len(bomb) < 100, "a few bytes that claim a huge picture"

    with pytest.raises(ImageRejected) as refused:
        process_upload(upload(bomb, name="bomb.png", content_type="image/png"))

    assert "too many pixels" in refused.value.message


def test_the_pixel_limit_is_a_setting(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100

    with pytest.raises(ImageRejected):
        process_upload(upload(camera_jpeg(width=101, height=100)))
    assert process_upload(upload(camera_jpeg(width=100, height=100))).width == 100


def test_a_large_photo_is_shrunk_to_the_maximum_side(settings):
    settings.IMAGE_MAX_SIDE = 500

    processed = process_upload(upload(camera_jpeg(width=1500, height=1000)))

    assert (processed.width, processed.height) == (500, 333)
    assert read_back(processed.content).size == (500, 333)


def test_an_ipad_heic_photo_is_converted_to_jpeg_without_its_gps_position():
    processed = process_upload(upload(heic(), name="IMG_0001.HEIC", content_type="image/heic"))

    stored = read_back(processed.content)
    assert stored.format == "JPEG"
    assert stored.size == (200, 100)
    assert not stored.getexif().get_ifd(GPS_IFD)


def test_a_thumbnail_is_a_small_jpeg_of_the_stored_photo():
    name = default_storage.save(
        "test/photo.jpg", ContentFile(process_upload(upload(camera_jpeg(width=1200, height=800))).content)
    )

    with default_storage.open(name) as stored:
        thumbnail = make_thumbnail(stored)

    assert (thumbnail.width, thumbnail.height) == (400, 267)
    assert read_back(thumbnail.content).format == "JPEG"


# --- receive_upload: what the request does with a story photo (the photo task shrinks it later) -----------


def test_a_camera_jpeg_is_stripped_in_the_request_without_being_shrunk():
    received = receive_upload(upload(camera_jpeg(orientation=6, width=1500, height=1000)))

    assert not received.final, "still to be shrunk by the photo task"
    stored = read_back(received.content)
    assert stored.size == (1500, 1000), "not decoded and re-encoded: the same picture, without its metadata"
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE not in exif
    assert MODEL not in exif
    assert dict(exif) == {0x0112: 6}, "the orientation stays, for the task to turn it the right way up"


def test_comments_xmp_and_a_second_picture_after_the_end_are_dropped():
    photo = encoded(picture(), "JPEG", comment=b"Taken at 12 Acacia Avenue")
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS 51.5N</x:xmpmeta>"
    with_xmp = photo[:2] + b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp + photo[2:]
    depth_map = encoded(picture(), "JPEG", exif=camera_exif())  # phones append pictures after the end marker

    stripped = strip_jpeg(with_xmp + depth_map)

    assert b"Acacia" not in stripped
    assert b"xmpmeta" not in stripped
    assert b"Apple" not in stripped, "the second picture and its EXIF are gone"
    assert stripped.endswith(b"\xff\xd9")
    assert read_back(stripped).size == (200, 100)


def test_a_damaged_camera_jpeg_is_refused_in_the_request():
    whole = camera_jpeg(width=400, height=400)
    for cut_short in (whole[:600], whole[:-200]):
        with pytest.raises(ImageRejected) as refused:
            receive_upload(upload(cut_short))
        assert "damaged" in refused.value.message


def test_the_request_still_refuses_a_jpeg_over_the_pixel_limit(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100

    with pytest.raises(ImageRejected) as refused:
        receive_upload(upload(camera_jpeg(width=101, height=100)))

    assert "too many pixels" in refused.value.message


def test_other_formats_are_processed_at_once_as_before():
    received = receive_upload(upload(encoded(picture(), "PNG"), name="drawing.png", content_type="image/png"))

    assert received.final
    assert read_back(received.content).format == "JPEG"


@pytest.mark.parametrize(
    "xmp_orientation", [b'<rdf:Description tiff:Orientation="6"/>', b"<tiff:Orientation>6</tiff:Orientation>"]
)
def test_a_photo_whose_orientation_is_only_in_its_xmp_is_turned_the_right_way_up(xmp_orientation):
    photo = encoded(picture(), "JPEG")  # JFIF, no EXIF: as some editors and phones save
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + xmp_orientation + b"GPS 51.5N</x:xmpmeta>"
    app0_end = 4 + int.from_bytes(photo[4:6], "big")
    with_xmp = photo[:app0_end] + b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp + photo[app0_end:]

    received = receive_upload(upload(with_xmp))

    assert b"xmpmeta" not in received.content
    assert dict(read_back(received.content).getexif()) == {0x0112: 6}
    shown = read_back(make_thumbnail(ContentFile(received.content, name="photo.jpg")).content)
    assert shown.width < shown.height
    assert colour_at(shown, shown.width // 2, 5) == "red"  # the left of the sensor is at the top
