"""Benchmark: time and peak memory of building a leaver pack for a child with a long story.

Run with ``.venv/bin/python benchmarks/leaver_pack.py`` (optionally ``--entries 300 --photos 1000``). It
builds a throw-away test database and a temporary media folder on disk, fills one child's story with
published entries (every fifth with a friend who agreed to appear in other children's stories, every
seventh with one who did not), a family comment on each and real JPEG photos with their thumbnails,
then builds the pack twice: once plain, for the wall time and the growth of the process's peak resident
memory (ru_maxrss), and once under tracemalloc, for the peak of Python's own allocations. It prints
those with the ZIP's size, its file count and the story book's page count.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402


def jpeg(seed: int, side: int) -> bytes:
    """A distinct photo-like JPEG (noise over a gradient compresses about as badly as a real photo)."""
    base = Image.linear_gradient("L").resize((side, side * 3 // 4)).convert("RGB")
    noise = Image.effect_noise(base.size, 20 + seed % 20).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, noise, 0.15).save(out, "JPEG", quality=80)
    return out.getvalue()


def fill(*, entries: int, photos: int, nursery, child, agreed, refused, parent, author) -> None:
    """Bulk inserts: the benchmark measures building the pack, not writing the story."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from learning_stories.models import Area, Comment, Observation, ObservationChild, ObservationPhoto

    areas = list(Area.objects.filter(framework__is_default=True))
    now = timezone.now()
    story = Observation.objects.bulk_create(
        Observation(
            nursery=nursery,
            author=author,
            text=f"Entry {n}: {child.first_name} built a tower of {n % 12 + 3} bricks and counted them.",
            child_voice="Look, it's taller than me!",
            observed_at=now - timezone.timedelta(hours=n),
            status=Observation.Status.PUBLISHED,
        )
        for n in range(entries)
    )

    def friend_of(n: int):
        return refused if n % 7 == 0 else agreed if n % 5 == 0 else None

    links = [ObservationChild(observation=e, child=child) for e in story]
    links += [ObservationChild(observation=e, child=friend_of(n)) for n, e in enumerate(story) if friend_of(n)]
    ObservationChild.objects.bulk_create(links)
    Observation.areas.through.objects.bulk_create(
        Observation.areas.through(observation=e, area=areas[n % len(areas)]) for n, e in enumerate(story)
    )
    Comment.objects.bulk_create(Comment(observation=e, child=child, author=parent, text="Lovely!") for e in story)
    rows = []
    for n in range(photos):
        image = default_storage.save(f"stories/bench-{n}.jpg", ContentFile(jpeg(n, 1024)))
        thumbnail = default_storage.save(f"stories/thumbnails/bench-{n}.jpg", ContentFile(jpeg(n, 400)))
        rows.append(ObservationPhoto(observation=story[n % entries], image=image, thumbnail=thumbnail))
    ObservationPhoto.objects.bulk_create(rows)


def build(child, *, traced: bool = False) -> tuple[float, float, int, int, int, dict[str, int]]:
    """Build once into a temporary file: wall and CPU seconds, ZIP bytes, files in it, story book pages,
    and (when tracing) the peak of Python allocations during each kind of stage."""
    from pypdf import PdfReader

    from transitions.leaver_pack.packs import write_pack_zip

    stages: dict[str, int] = {}
    current = ["starting"]

    def progress(percent: int, stage: str) -> None:
        if traced:  # close the previous stage: its peak, then measure the next one from here
            kind = current[0].split(":")[0]
            stages[kind] = max(stages.get(kind, 0), tracemalloc.get_traced_memory()[1])
            tracemalloc.reset_peak()
        current[0] = stage

    with tempfile.TemporaryFile() as target:
        started, cpu = time.perf_counter(), time.process_time()
        write_pack_zip(child=child, target=target, progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # Before this benchmark reads the book back to count its pages, which the build itself never does.
        stages["peak RSS"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if traced:
            stages["left allocated after the build"] = tracemalloc.get_traced_memory()[0]
        size = target.tell()
        target.seek(0)
        with zipfile.ZipFile(target) as archive, archive.open("story.pdf") as book:
            pages = len(PdfReader(io.BytesIO(book.read())).pages)
            files = len(archive.namelist())
    return seconds, cpu, size, files, pages, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--photos", type=int, default=1000)
    options = parser.parse_args()

    setup_test_environment()
    if connection.vendor == "sqlite":  # its own file: never the one a test run is using
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(__file__).resolve().parent.parent / "var" / "benchmark.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = tempfile.TemporaryDirectory(prefix="keystory-bench-media-")
    # Files on disk, as in production: the test settings' in-memory storage would hide what streaming saves.
    disk = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media.name}}
    try:
        with override_settings(STORAGES={**django.conf.settings.STORAGES, "default": disk}, MEDIA_ROOT=media.name):
            from children.models import ConsentPurpose
            from children.tests.factories import ChildFactory, GuardianshipFactory, consent
            from nursery.models import StaffMember
            from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory

            nursery = NurseryFactory()
            room = RoomFactory(nursery=nursery)
            staff = StaffMemberFactory(nursery=nursery, room=room, role=StaffMember.Role.PRACTITIONER).user
            child, agreed, refused = (ChildFactory(nursery=nursery, room=room) for _ in range(3))
            consent(agreed, ConsentPurpose.PHOTOS_OTHERS_STORIES)
            parent = GuardianshipFactory(child=child).user
            print(f"Filling a story of {options.entries} entries and {options.photos} photos...")
            fill(
                entries=options.entries,
                photos=options.photos,
                nursery=nursery,
                child=child,
                agreed=agreed,
                refused=refused,
                parent=parent,
                author=staff,
            )

            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            seconds, cpu, size, files, pages, untraced = build(child)
            grown = untraced["peak RSS"] - before
            tracemalloc.start()
            stages = build(child, traced=True)[-1]
            tracemalloc.stop()
            del stages["peak RSS"]
            left = stages.pop("left allocated after the build")
            traced_peak = max(stages.values())

        mib = 1024 * 1024
        print(f"entries              {options.entries}")
        print(f"photos               {options.photos}")
        print(f"wall time            {seconds:.1f} s ({cpu:.1f} s of CPU: the rest is waiting for a shared CPU)")
        print(f"peak RSS (maxrss)    {before / 1024:.0f} MiB before, +{grown / 1024:.0f} MiB while building")
        print(f"tracemalloc peak     {traced_peak / mib:.1f} MiB (Python allocations, second build), by stage:")
        for stage, peak in stages.items():
            print(f"  {stage:<40} {peak / mib:6.1f} MiB")
        print(f"  {'still allocated when it returns':<40} {left / mib:6.1f} MiB")
        print(f"ZIP                  {size / mib:.1f} MiB, {files} files")
        print(f"story.pdf            {pages} pages")
    finally:
        media.cleanup()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
