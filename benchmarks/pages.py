"""Benchmark: server time of the pages measured at scale (issue 15), against a generated group.

Fill a PostgreSQL database with ``manage.py generate_group --children 1200 --observations 120000`` first,
then run, with the same settings the group was made with::

    SECRET_KEY=... DATABASE_URL=postgres://.../keystory_bench STATIC_ROOT=/tmp/static \\
        .venv/bin/python benchmarks/pages.py --runs 30

(``collectstatic`` into ``STATIC_ROOT`` first: the production settings need the static manifest.)
Each page is requested in-process with Django's test client, as the person who uses it, at the first
generated nursery: the tracker and overview as its manager, the story of the child with the longest story
as manager, key person and parent. It prints per page the median and 95th percentile of the server time,
the median time spent waiting on SQL, the Python time (server time less SQL), the CPU time this process
used (the steadiest figure on a busy machine: waiting for a core is not counted) and the number of queries.
Medians, because a shared machine is noisy. Everything runs in one transaction that is rolled back, so
the group is left as it was (the first view of the day would otherwise add to each child's record history).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


class Timer:
    """Counts and times every SQL query (an execute wrapper: cheaper than keeping each query's text)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def people() -> dict:
    """The first generated nursery's manager, and the child with the longest story with its key person and
    parent."""
    from children.models import Child, Guardianship
    from keyworker.models import KeyPersonAssignment
    from nursery.models import Nursery, StaffMember

    nursery = Nursery.objects.filter(name__startswith="Generated Nursery").order_by("pk").first()
    if nursery is None:
        sys.exit("No generated nursery here: run manage.py generate_group first.")
    child = (
        Child.objects.filter(nursery=nursery)
        .annotate(entries=Count("observation_links"))
        .order_by("-entries", "pk")
        .first()
    )
    key_person = KeyPersonAssignment.objects.filter(child=child).select_related("key_person__user").first()
    return {
        "nursery": nursery,
        "child": child,
        "manager": StaffMember.objects.filter(nursery=nursery, role=StaffMember.Role.MANAGER).first().user,
        "practitioner": key_person.key_person.user,
        "parent": Guardianship.objects.filter(child=child).first().user,
    }


def pages(found: dict) -> list[tuple[str, str, str]]:
    story = reverse("stories:story", args=[found["child"].pk])
    return [
        ("tracker", "manager", reverse("keyworker:tracker")),
        ("due checks", "manager", reverse("checks:due")),
        ("due checks", "practitioner", reverse("checks:due")),
        ("story", "manager", story),
        ("story", "practitioner", story),
        ("story", "parent", story),
        ("review queue", "manager", reverse("stories:review_queue")),
        ("my key children", "practitioner", reverse("keyworker:my_key_children")),
        ("capture", "practitioner", reverse("stories:new")),
        ("children list", "manager", reverse("children:list")),
        ("children list", "practitioner", reverse("children:list")),
        ("overview", "manager", reverse("keyworker:overview")),
    ]


def measure(client: Client, url: str, runs: int) -> dict:
    for _ in range(2):  # warm: templates, URL resolver, the day's first-view writes
        assert client.get(url).status_code == 200, url
    totals, sqls, cpus, counts = [], [], [], []
    for _ in range(runs):
        timer = Timer()
        with connection.execute_wrapper(timer):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            totals.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sqls.append(timer.seconds * 1000)
        counts.append(timer.count)
    totals.sort()
    return {
        "median": statistics.median(totals),
        "p95": totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))],
        "sql": statistics.median(sqls),
        "python": statistics.median(t - s for t, s in zip(totals, sqls, strict=True)),
        "cpu": statistics.median(cpus),
        "queries": max(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", nargs="*", help="page names to measure (e.g. story tracker)")
    args = parser.parse_args()

    with transaction.atomic():
        found = people()
        clients = {}
        for role in ("manager", "practitioner", "parent"):
            clients[role] = Client(SERVER_NAME="localhost")
            clients[role].force_login(found[role])
        print(f"{found['nursery'].name}; story of child {found['child'].pk}; {args.runs} runs per page")
        heads = ("median ms", "p95 ms", "SQL ms", "Python ms", "CPU ms", "queries")
        print(f"{'page':<16} {'viewer':<13} " + " ".join(f"{head:>9}" for head in heads))
        for name, role, url in pages(found):
            if args.only and name not in args.only:
                continue
            row = measure(clients[role], url, args.runs)
            print(
                f"{name:<16} {role:<13} {row['median']:>9.1f} {row['p95']:>9.1f} {row['sql']:>9.1f} "
                f"{row['python']:>9.1f} {row['cpu']:>9.1f} {row['queries']:>9}"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
