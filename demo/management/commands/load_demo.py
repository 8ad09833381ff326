"""`manage.py load_demo`: load (or refresh) the demo nursery and print its accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Rainbow Nursery demo and print its accounts."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            # Its accounts share a password printed in the README: never on an install with real children.
            raise CommandError(
                "load_demo only runs in demo mode: its accounts all use the published demo password. "
                "Set DEMO_MODE=1 for a trial install; a real nursery starts with start_nursery instead."
            )
        nursery = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo nursery ready: {nursery.name}"))
        width = max(len(account.what) for account in DEMO_ACCOUNTS)
        self.stdout.write(f"Log in at http://127.0.0.1:8000 with any of these (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.what:<{width}} {account.email}")
