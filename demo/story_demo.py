"""Learning stories for the demo nursery: observations with drawn (never real) photos across the areas,
one waiting for the manager, a group observation of Ava and Zara, and news from families for Priya.

Idempotent: each entry is found by its text and made only when missing.
"""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from children.models import Child
from core.images import fill_thumbnail, process_upload
from learning_stories.models import Area, Comment, Framework, Observation, ObservationChild, ObservationPhoto
from nursery.models import Nursery

COLOURS = ["#e63946", "#f4a261", "#2a9d8f", "#457b9d", "#e9c46a", "#8ab17d", "#b56576"]

# child first names, text, child's words, area codes, days ago, photo?, status
ENTRIES = [
    (
        ["Zara"],
        "Zara stacked six blocks into a tower and counted them as she went.",
        "Six! Big tower!",
        ["M", "PD"],
        2,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Zara"],
        "Zara chose the blue paint and made big circles, then told me it was the sea.",
        "It's the sea.",
        ["EAD", "CL"],
        9,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Jack"],
        "Jack waited for his turn on the slide and said thank you to his friend.",
        "",
        ["PSED"],
        4,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Poppy"],
        "Poppy looked at the snail with a magnifier and noticed its shell had stripes.",
        "Stripy!",
        ["UW", "CL"],
        6,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Ava"],
        "Ava found the first letter of her name on the name cards and traced it with her finger.",
        "A for Ava",
        ["L"],
        3,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Ava"],
        "Ava balanced along the beam in the garden without holding on.",
        "Look, no hands!",
        ["PD"],
        20,
        False,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Ava", "Zara"],
        "Two friends dug a big hole in the sand and filled it with water together.",
        "More water!",
        ["PSED", "UW"],
        1,
        True,
        Observation.Status.PUBLISHED,
    ),
    (
        ["Alfie"],
        "Alfie put on his own coat for the first time before going outside.",
        "I did it!",
        ["PSED", "PD"],
        0,
        True,
        Observation.Status.AWAITING_REVIEW,
    ),
]
GROUP_TEXT = ENTRIES[6][1]
# Each entry's next step for each child in it, worded for that entry: a child's open steps are all different,
# as a key person would plan them (the same words three times read as one step shown three times).
NEXT_STEPS = {
    ENTRIES[0][1]: {"Zara": "Build a tower of ten with Zara, counting each block as it goes on."},
    ENTRIES[1][1]: {"Zara": "Offer Zara two colours to mix and talk about the new colour she makes."},
    ENTRIES[2][1]: {"Jack": "Play a simple turn-taking game with Jack and two friends."},
    ENTRIES[3][1]: {"Poppy": "Go on a minibeast hunt with Poppy and draw what she finds."},
    ENTRIES[4][1]: {"Ava": "Find the other letters of Ava's name around the room together."},
    ENTRIES[5][1]: {"Ava": "Set up stepping stones for Ava to hop between."},
    GROUP_TEXT: {
        "Ava": "Help Ava dig a channel and talk about where the water goes.",
        "Zara": "Give Zara jugs and funnels to pour water into the sand.",
    },
    ENTRIES[7][1]: {"Alfie": "Let Alfie try his own shoes before going outside."},
}
HOME_TEXT = "Zara helped make pancakes this weekend and stirred the mixture all by herself."


def drawing(seed: int) -> SimpleUploadedFile:
    """A bright abstract picture (blocks, sun, grass) drawn by Pillow: no real child is ever pictured."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 720), "#dff3fb")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 540, 960, 720), fill="#8ab17d")
    draw.ellipse((780, 40, 900, 160), fill="#ffd166")
    x = rng.randint(120, 500)
    for level in range(rng.randint(3, 7)):
        width = rng.randint(90, 140)
        draw.rectangle((x, 540 - 70 * (level + 1), x + width, 540 - 70 * level), fill=rng.choice(COLOURS))
    for _ in range(6):
        cx, cy, r = rng.randint(0, 960), rng.randint(560, 700), rng.randint(10, 30)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.choice(COLOURS))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _photo(entry: Observation, children: list[Child], seed: int, by: User | None) -> None:
    processed = process_upload(drawing(seed))
    photo = ObservationPhoto(observation=entry, uploaded_by=by, width=processed.width, height=processed.height)
    photo.image.save("photo.jpg", processed.as_file(), save=False)
    photo.children_chosen = True
    photo.save()
    photo.children.set(children)
    fill_thumbnail(photo)  # at once: the demo does not wait for Celery


def load_story_demo(nursery: Nursery) -> None:
    manager = User.objects.get(email="manager@rainbow.example")
    priya = User.objects.get(email="priya@rainbow.example")
    sam = User.objects.get(email="sam.taylor@families.example")
    jess = User.objects.get(email="jess.ahmed@families.example")
    children = {child.first_name: child for child in Child.objects.filter(nursery=nursery)}
    framework = Framework.objects.filter(is_default=True).first()
    areas = {area.code: area for area in Area.objects.filter(framework=framework)}
    now = timezone.now()

    # Photo consents come from the family demo: Ava agrees to everything, Zara to her own story only.
    for seed, (names, text, voice, codes, days, with_photo, status) in enumerate(ENTRIES, start=1):
        if Observation.objects.filter(nursery=nursery, text=text).exists():
            continue
        tagged = [children[name] for name in names]
        when = now - timedelta(days=days, hours=seed)
        entry = Observation.objects.create(
            nursery=nursery,
            author=priya,
            observed_at=when,
            text=text,
            child_voice=voice,
            framework=framework,
            status=status,
            submitted_at=when,
            published_at=when if status == Observation.Status.PUBLISHED else None,
            reviewed_by=manager if status == Observation.Status.PUBLISHED else None,
        )
        for child in tagged:
            ObservationChild.objects.create(
                observation=entry, child=child, next_steps=NEXT_STEPS[text][child.first_name]
            )
        entry.areas.set([areas[code] for code in codes if code in areas])
        if with_photo:
            _photo(entry, tagged, seed, priya)

    group = Observation.objects.get(nursery=nursery, text=GROUP_TEXT)
    if not Comment.objects.filter(observation=group).exists():
        Comment.objects.create(
            observation=group, child=children["Ava"], author=sam, text="She talked about this all evening!"
        )
        Comment.objects.create(observation=group, child=children["Zara"], author=jess, text="Zara loves water play.")

    if not Observation.objects.filter(nursery=nursery, text=HOME_TEXT).exists():
        home = Observation.objects.create(
            nursery=nursery,
            source=Observation.Source.HOME,
            author=jess,
            observed_at=now - timedelta(days=1),
            text=HOME_TEXT,
            status=Observation.Status.PUBLISHED,
            submitted_at=now - timedelta(days=1),
            published_at=now - timedelta(days=1),
        )
        ObservationChild.objects.create(observation=home, child=children["Zara"])
        _photo(home, [children["Zara"]], 99, jess)
