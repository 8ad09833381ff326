"""Benchmark: time of the capture page's photo upload request for a 12 MP camera JPEG.

Run with ``.venv/bin/python benchmarks/photo_upload.py`` (optionally ``--runs 30 --width 4000 --height 3000``).
It builds a throw-away test database with a practitioner, a room of children and a draft, draws a noisy
12-megapixel JPEG with Pillow (about 4 MB, with camera EXIF), posts it to ``stories:upload_photo`` in-process
and prints p50/p95 of the request (``--shrink-in-request``: as before, for comparison). Photo tasks are
queued, not run, as with a worker (``REDIS_URL`` set); the time the worker then spends preparing each photo
is printed on its own line. Figures only: nothing is asserted.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402


def camera_photo(width: int, height: int) -> bytes:
    """A photo-like JPEG: noise compresses about as badly as a real scene, with a tablet's EXIF and GPS."""
    from tests.images import camera_exif

    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height), Image.Resampling.BICUBIC)
    image = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise.rotate(180)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=camera_exif(orientation=6))
    return out.getvalue()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--children", type=int, default=40, help="children offered on the capture page")
    parser.add_argument(
        "--shrink-in-request", action="store_true", help="for comparison: shrink in the request, as before"
    )
    options = parser.parse_args()
    if options.shrink_in_request:
        from core.images import process_upload
        from learning_stories.observations import services

        services.receive_upload = process_upload

    setup_test_environment()
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker: the request only queues the task
    from config.celery import app

    app.conf.task_always_eager = False
    if connection.vendor == "sqlite":  # its own file: never the one a test run is using
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(__file__).resolve().parent.parent / "var" / "benchmark-upload.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from children.tests.factories import ChildFactory
        from core.images import fill_thumbnail_of
        from learning_stories.models import Observation, ObservationChild, ObservationPhoto
        from nursery.models import StaffMember
        from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory

        nursery = NurseryFactory()
        room = RoomFactory(nursery=nursery)
        staff = StaffMemberFactory(nursery=nursery, room=room, role=StaffMember.Role.PRACTITIONER).user
        children = [ChildFactory(nursery=nursery, room=room) for _ in range(options.children)]
        draft = Observation.objects.create(nursery=nursery, author=staff, observed_at=timezone.now())
        ObservationChild.objects.create(observation=draft, child=children[0])
        client = Client()
        client.force_login(staff)
        url = reverse("stories:upload_photo", args=[draft.pk])
        photo = camera_photo(options.width, options.height)
        print(f"{options.width}x{options.height} JPEG, {len(photo) / 1024 / 1024:.1f} MB, {options.runs} uploads")

        def post() -> None:
            upload = SimpleUploadedFile("IMG_0001.jpg", photo, content_type="image/jpeg")
            response = client.post(url, {"photo": upload})
            assert response.status_code == 200, response.content[:200]

        post()  # warm caches (templates, URL resolver, Pillow's plugins)
        timings, queries = [], []
        for _ in range(options.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                post()
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        print(
            f"upload request: p50 {statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
            f"max {max(timings):.0f} ms, {max(queries)} queries"
        )

        # What the worker then does for each photo (the display copy and the thumbnail).
        pending = list(ObservationPhoto.objects.filter(observation=draft).values_list("pk", flat=True))[:5]
        work = []
        for pk in pending:
            started = time.perf_counter()
            fill_thumbnail_of(model_label="learning_stories.ObservationPhoto", pk=pk)
            work.append((time.perf_counter() - started) * 1000)
        if work:
            print(f"photo task (worker, not in the request): p50 {statistics.median(work):.0f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
