"""Benchmark: SQL queries and render time of a child's learning story page as the story grows.

Run with ``.venv/bin/python benchmarks/story_page.py`` (optionally ``--sizes 50 500 5000``). It builds a
throw-away test database, fills one child's story with group observations (each with an area, a photo
of two children and a family comment), and prints, for a member of staff and for the parent, the number
of SQL queries and the time to render the first page. The query count must not grow with the story.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def fill(story_size: int, *, nursery, child, friend, parent, author) -> None:
    """Add entries up to ``story_size`` with bulk inserts (the benchmark measures reading, not writing)."""
    from learning_stories.models import Area, Comment, Observation, ObservationChild, ObservationPhoto

    have = Observation.objects.filter(child_links__child=child).count()
    areas = list(Area.objects.filter(framework__is_default=True))
    now = timezone.now()
    entries = Observation.objects.bulk_create(
        Observation(
            nursery=nursery,
            author=author,
            text=f"Entry {n}: {child.first_name} and {friend.first_name} built a tower.",
            observed_at=now - timezone.timedelta(hours=n),
            status=Observation.Status.PUBLISHED,
        )
        for n in range(have, story_size)
    )
    ObservationChild.objects.bulk_create(
        ObservationChild(observation=e, child=c) for e in entries for c in (child, friend)
    )
    Observation.areas.through.objects.bulk_create(
        Observation.areas.through(observation=e, area=areas[i % len(areas)]) for i, e in enumerate(entries)
    )
    photos = ObservationPhoto.objects.bulk_create(
        ObservationPhoto(observation=e, image="stories/benchmark.jpg", children_chosen=True) for e in entries
    )
    ObservationPhoto.children.through.objects.bulk_create(
        ObservationPhoto.children.through(observationphoto=p, child=c) for p in photos for c in (child, friend)
    )
    Comment.objects.bulk_create(Comment(observation=e, child=child, author=parent, text="Lovely") for e in entries)


def measure(client: Client, url: str) -> tuple[int, float]:
    client.get(url)  # warm caches (templates, URL resolver)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return len(captured), elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    sizes = sorted(parser.parse_args().sizes)

    setup_test_environment()
    if connection.vendor == "sqlite":  # its own file: never the one a test run is using
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(__file__).resolve().parent.parent / "var" / "benchmark.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from children.models import ConsentPurpose
        from children.tests.factories import ChildFactory, GuardianshipFactory, consent
        from nursery.models import StaffMember
        from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory

        nursery = NurseryFactory()
        room = RoomFactory(nursery=nursery)
        staff = StaffMemberFactory(nursery=nursery, room=room, role=StaffMember.Role.PRACTITIONER).user
        child, friend = ChildFactory(nursery=nursery, room=room), ChildFactory(nursery=nursery, room=room)
        consent(friend, ConsentPurpose.PHOTOS_OTHERS_STORIES)
        parent = GuardianshipFactory(child=child).user
        url = reverse("stories:story", args=[child.pk])
        viewers = {"staff": Client(), "parent": Client()}
        viewers["staff"].force_login(staff)
        viewers["parent"].force_login(parent)

        print(f"{'entries':>8} {'viewer':>7} {'queries':>8} {'render ms':>10}")
        counts = set()
        for size in sizes:
            fill(size, nursery=nursery, child=child, friend=friend, parent=parent, author=staff)
            for name, client in viewers.items():
                queries, ms = measure(client, url)
                counts.add((name, queries))
                print(f"{size:>8} {name:>7} {queries:>8} {ms:>10.1f}")
        flat = len(counts) == len(viewers)
        print("Query counts are flat." if flat else "Query counts GROW with the story: look for a missing prefetch.")
        sys.exit(0 if flat else 1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
