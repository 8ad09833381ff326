"""`manage.py demo_leaver_pack PATH`: write a sample leaver pack ZIP from another setting, to try the import."""

from pathlib import Path

from django.core.management.base import BaseCommand

from demo.import_demo import sample_pack


class Command(BaseCommand):
    help = "Write a sample leaver pack from another setting, to try Import a leaver pack with."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="Where to write the ZIP, e.g. theo-baker.zip")

    def handle(self, *args, path: Path, **options) -> None:
        path.write_bytes(sample_pack().getvalue())
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}: upload it under Import a leaver pack."))
