"""``manage.py backup``: the database and the media files, with checksums, into a new folder or bucket prefix."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the media files (children's photos) "
        "into a new folder keystory-<date>-<time> inside --output, with a manifest of checksums. --output is a "
        "folder on this machine or s3://bucket/prefix (see BACKUP_S3_* in the README). Prints where it is last."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            default=str(settings.VAR_DIR / "backups"),
            help="a folder (var/backups by default) or s3://bucket/prefix",
        )

    def handle(self, *args, output: str, **options) -> None:
        try:
            location = create_backup(
                output, on_skipped=lambda name: self.stderr.write(f"Not in the backup (deleted while copying): {name}")
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(location)
