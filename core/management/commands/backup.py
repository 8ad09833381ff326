"""``manage.py backup``: the database and the media files, with checksums, into a new folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the media files (children's photos) "
        "into a new folder keystory-<date>-<time> inside --output, with a manifest of checksums. "
        "Prints the folder's path last."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", type=Path, default=settings.VAR_DIR / "backups", help="where to make the folder (var/backups)"
        )

    def handle(self, *args, output: Path, **options) -> None:
        try:
            folder = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(folder.as_posix())
