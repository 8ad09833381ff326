"""`manage.py generate_group`: a large generated nursery group, to measure KeyStory at the size of a real one."""

import time

from django.core.management.base import BaseCommand, CommandParser

from demo.data import DEMO_PASSWORD
from demo.generate import EMAIL_DOMAIN, generate_group


class Command(BaseCommand):
    help = "Generate a nursery group (seeded, bulk inserts) for benchmarks. Never run it on a database with real data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=1200)
        parser.add_argument("--observations", type=int, default=120_000)
        parser.add_argument("--nurseries", type=int, default=6)
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same group.")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Every generated account's password.")

    def handle(self, *args, **options) -> None:
        if options["children"] < options["nurseries"] or options["observations"] < 0:
            self.stderr.write("Give at least one child per nursery, and no negative number of observations.")
            raise SystemExit(2)
        started = time.monotonic()
        made = generate_group(
            children=options["children"],
            observations=options["observations"],
            nurseries=options["nurseries"],
            seed=options["seed"],
            password=options["password"],
        )
        for what, number in made.counts.items():
            self.stdout.write(f"  {what:<18} {number:>8,}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.0f} s."))
        group = made.nurseries[0].group_id
        self.stdout.write(
            f"Log in as owner-g{group}@{EMAIL_DOMAIN} (the group owner), manager-g{group}n1@{EMAIL_DOMAIN}, "
            f"staff1-g{group}n1@{EMAIL_DOMAIN} or parent0-g{group}n1@{EMAIL_DOMAIN}; password {options['password']}."
        )
