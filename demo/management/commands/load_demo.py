"""`manage.py load_demo`: load (or refresh) the demo nursery and print its accounts."""

from django.core.management.base import BaseCommand

from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Rainbow Nursery demo and print its accounts."

    def handle(self, *args, **options) -> None:
        nursery = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo nursery ready: {nursery.name}"))
        width = max(len(account.what) for account in DEMO_ACCOUNTS)
        self.stdout.write(f"Log in at http://127.0.0.1:8000 with any of these (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.what:<{width}} {account.email}")
