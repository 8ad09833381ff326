"""Benchmark: how often the capture page's area suggestions are right, and how fast they answer.

Run with ``.venv/bin/python benchmarks/suggestions.py``. It builds a throw-away test database (the framework
data comes with its migrations), then for both frameworks suggests areas for every observation in
``learning_stories/tests/data/suggestion_texts.tsv`` and prints:

- the hit rate: the share of texts whose main area (the first one a practitioner tagged) is among the three
  suggested areas, and the share where it comes first, for the "dev" half (which the keyword lists may have
  been written against) and the "held" half (which they were not);
- p50 / p95 / max time of one answer of the model (already built, as in a running process), and of the whole
  endpoint through Django's test client (session, staff post, child, render) for a practitioner.

``--no-db`` builds the models straight from the migration's framework data (no database), answering the
first part only.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from learning_stories.suggest import engine  # noqa: E402

TEXTS = ROOT / "learning_stories" / "tests" / "data" / "suggestion_texts.tsv"
AGE_MONTHS = 30  # statements are suggested for a child of two and a half


def examples() -> list[tuple[str, str, str]]:
    rows = []
    for line in TEXTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            half, areas, text = line.split("\t")
            rows.append((half, areas.split(",")[0], text))
    return rows


def model_from_migration_data(spec: dict) -> engine.Suggester:
    """The same model as ``engine.from_data`` would build from the database, from the migration's data."""
    from learning_stories.migrations import _eyfs_data as data

    areas, aspects, aspect_texts, area_texts, aspect_pks = [], [], {}, {}, {}
    for area_pk, (code, name, _kind, explanation, area_aspects) in enumerate(data.AREAS, start=1):
        areas.append(engine.AreaInfo(area_pk, code, name))
        area_texts[area_pk] = f"{name}. {explanation}"
        for aspect_name, aspect_explanation in area_aspects:
            pk = 100 + len(aspects)
            aspects.append(engine.AspectInfo(pk, aspect_name, area_pk))
            aspect_texts[pk] = f"{aspect_name}. {aspect_explanation}"
            aspect_pks[code, aspect_name] = pk
    area_pks = {area.code: area.pk for area in areas}
    bands, statements = [], []
    for band_pk, (band_name, low, high, _explanation) in enumerate(spec["bands"], start=1000):
        bands.append(engine.BandInfo(band_pk, band_name, low, high))
        for code, lines in spec["statements"].get(band_name, {}).items():
            for aspect_name, text in lines:
                statements.append(
                    engine.StatementInfo(
                        5000 + len(statements), text, area_pks[code], aspect_pks[code, aspect_name], band_pk
                    )
                )
    return engine.Suggester(
        areas=areas,
        aspects=aspects,
        aspect_texts=aspect_texts,
        area_texts=area_texts,
        statements=statements,
        bands=bands,
    )


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {ordered[-1] * 1000:.2f} ms"


def rate(hits: list[bool]) -> str:
    return f"{sum(hits)}/{len(hits)} = {sum(hits) / len(hits):.0%}"


def measure_model(name: str, model: engine.Suggester, rows, repeat: int) -> bool:
    top3 = {"dev": [], "held": []}
    top1 = {"dev": [], "held": []}
    times = []
    for half, area, text in rows:
        for _ in range(repeat):
            started = time.perf_counter()
            found = model.suggest(text, months=[AGE_MONTHS])
            times.append(time.perf_counter() - started)
        codes = [scored.item.code for scored in found.areas]
        top3[half].append(area in codes)
        top1[half].append(codes[:1] == [area])
    print(f"\n{name}")
    for half, label in (("dev", "dev half"), ("held", "held-out half")):
        print(f"  {label:<14} in the first three: {rate(top3[half]):<12} first: {rate(top1[half])}")
    every = top3["dev"] + top3["held"]
    print(f"  {'all':<14} in the first three: {rate(every):<12} first: {rate(top1['dev'] + top1['held'])}")
    print(f"  model answer: {percentiles(times)} ({len(times)} answers)")
    return sum(every) / len(every) >= 0.8 and max(times) < 0.1


def measure_endpoint(rows) -> list[float]:
    from children.tests.factories import ChildFactory
    from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory

    nursery = NurseryFactory()
    room = RoomFactory(nursery=nursery)
    staff = StaffMemberFactory(nursery=nursery, room=room).user
    child = ChildFactory(nursery=nursery, room=room)
    client = Client()
    client.force_login(staff)
    url = reverse("stories:suggest_areas")
    client.get(url, {"text": "warm up", "children": [child.pk]})  # the process builds its model once
    times = []
    for _half, _area, text in rows:
        started = time.perf_counter()
        response = client.get(url, {"text": text, "children": [child.pk]})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-db", action="store_true", help="build from the migration's data; no endpoint timing")
    parser.add_argument("--repeat", type=int, default=5, help="answers timed per text")
    args = parser.parse_args()
    rows = examples()
    print(
        f"{len(rows)} observations ({sum(h == 'dev' for h, _, _ in rows)} dev, "
        f"{sum(h == 'held' for h, _, _ in rows)} held out); statements for a child of {AGE_MONTHS} months"
    )
    if args.no_db:
        from learning_stories.migrations import _eyfs_data as data

        ok = all(
            measure_model(spec["name"], model_from_migration_data(spec), rows, args.repeat) for spec in data.FRAMEWORKS
        )
        keywords, engine.KEYWORDS = engine.KEYWORDS, {}  # a baseline: the framework's own words alone
        baseline = model_from_migration_data(data.FRAMEWORKS[0])
        engine.KEYWORDS = keywords
        measure_model("Baseline: TF-IDF over the framework's words, no keyword lists", baseline, rows, 1)
        sys.exit(0 if ok else 1)

    setup_test_environment()
    if connection.vendor == "sqlite":  # its own file: never the one a test run is using
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "benchmark-suggestions.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from learning_stories.models import Framework

        ok = True
        for framework in Framework.objects.all():
            ok &= measure_model(framework.name, engine.from_data(framework, None), rows, args.repeat)
        print(f"\nendpoint (GET stories:suggest_areas as a practitioner): {percentiles(measure_endpoint(rows))}")
        sys.exit(0 if ok else 1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
