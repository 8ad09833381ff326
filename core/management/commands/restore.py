"""``manage.py restore <folder>``: bring back a backup made by ``manage.py backup``."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`, from its folder or s3://bucket/prefix/keystory-<date>-<time>: "
        "checks its checksums first, restores the database and the media files (through the media storage), "
        "then runs migrate. Refuses a database that already holds data unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "folder", help="a keystory-<date>-<time> folder, or s3://bucket/prefix/keystory-<date>-<time>"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data, and its media files"
        )

    def handle(self, *args, folder: str, force: bool, **options) -> None:
        try:
            restored = restore_backup(folder, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored the {restored.engine} database and {restored.media_files} media files.")
        )
