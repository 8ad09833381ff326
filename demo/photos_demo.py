"""Drawn portraits for a few demo staff: cartoon faces made with Pillow, not photos of real people."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from core.images import process_upload
from nursery.models import Nursery
from nursery.services import set_staff_photo

# e-mail, background, skin, hair
PORTRAITS = [
    ("manager@rainbow.example", "#cfe8dc", "#c68a5e", "#2b1b12"),
    ("priya@rainbow.example", "#f6dcc2", "#a86f4c", "#1d130d"),
    ("tom@rainbow.example", "#d7e3f4", "#f1c7a5", "#b5651d"),
]


def portrait(background: str, skin: str, hair: str, size: int = 600) -> bytes:
    """A friendly cartoon face as a PNG."""
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    unit = size // 12
    draw.ellipse((2 * unit, 9 * unit, 10 * unit, 15 * unit), fill="#5b7f95")  # shoulders
    draw.ellipse((3 * unit, 2 * unit, 9 * unit, 9 * unit), fill=hair)  # hair behind the face
    draw.ellipse((3.5 * unit, 3 * unit, 8.5 * unit, 9 * unit), fill=skin)  # face
    draw.chord((3.3 * unit, 1.8 * unit, 8.7 * unit, 6 * unit), 180, 360, fill=hair)  # fringe
    for x in (5 * unit, 7 * unit):
        draw.ellipse((x - unit / 3, 5.4 * unit, x + unit / 3, 6.1 * unit), fill="#222")  # eyes
    draw.arc((4.8 * unit, 6 * unit, 7.2 * unit, 7.8 * unit), 20, 160, fill="#7a2e2e", width=max(unit // 4, 2))  # smile
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load_staff_photos(nursery: Nursery) -> None:
    """Give a few demo staff a drawn portrait; members who have a photo keep it (loading again changes nothing)."""
    for email, background, skin, hair in PORTRAITS:
        member = nursery.staff.filter(user__email=email, photo="").first()
        if member is not None:
            drawn = ContentFile(portrait(background, skin, hair), name="portrait.png")
            set_staff_photo(member=member, photo=process_upload(drawn))
