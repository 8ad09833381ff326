"""Demo: a leaver pack from a childminder (Theo Baker, three entries, two photos) to try the import page with.

Not loaded into Rainbow Nursery by ``load_demo``: a joining child without key person or sessions would add
to the holes the manager's overview shows on purpose. ``manage.py demo_leaver_pack <file>`` writes it.
"""

import hashlib
import io
import json
import zipfile
from datetime import timedelta

from django.utils import timezone

from .story_demo import drawing

FROM_SETTING = "Little Acorns Childminding"
ENTRIES = [
    (60, "nursery", "Theo poured water between jugs and said when each one was full.", "Full up!", ["M", "CL"], 1),
    (35, "home", "Theo helped bake bread at home and counted the spoons of flour.", "", ["M"], 0),
    (12, "nursery", "Theo climbed the low frame on his own and waited for his turn on the slide.", "", ["PD"], 1),
]


def sample_pack() -> io.BytesIO:
    """A small version 1 pack (transitions/schema/leaver-pack-1.schema.json), as another setting sends it."""
    now = timezone.now()
    out = io.BytesIO()
    entries = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (days, source, text, voice, codes, photo_count) in enumerate(ENTRIES, start=1):
            photos = []
            for index in range(photo_count):
                content = drawing(900 + number * 10 + index).read()
                name = f"photos/entry-{number}-{index + 1}.jpg"
                archive.writestr(name, content)
                photos.append({"file": name, "sha256": hashlib.sha256(content).hexdigest()})
            entries.append(
                {
                    "id": f"acorns-{number}",
                    "observed_at": (now - timedelta(days=days)).isoformat(),
                    "source": source,
                    "author": "Hannah Reid" if source == "nursery" else "Olivia Baker",
                    "text": text,
                    "child_voice": voice,
                    "areas": [{"code": code, "name": code} for code in codes],
                    "photos": photos,
                    "comments": [
                        {"by": "family", "author": "Olivia Baker", "text": "He loves this!", "at": now.isoformat()}
                    ]
                    if number == 1
                    else [],
                }
            )
        data = {
            "format": "keystory-leaver-pack",
            "version": 1,
            "exported_at": now.isoformat(),
            "setting": {"name": FROM_SETTING},
            "framework": {"code": "development-matters", "version": "2024", "name": "Development Matters"},
            "child": {
                "first_name": "Theo",
                "last_name": "Baker",
                "date_of_birth": (timezone.localdate(now) - timedelta(days=3 * 365)).isoformat(),
                "all_about_me": {"likes": "Trains and water play", "comforters": "A blue blanket"},
            },
            "entries": entries,
            "next_steps": [{"text": "Practise taking turns in small group games.", "status": "open"}],
        }
        archive.writestr("pack.json", json.dumps(data))
    out.seek(0)
    return out
