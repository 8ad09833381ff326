"""Write a child's leaver pack to a file, e.g. to check one by hand: ``manage.py leaver_pack 12 ava.zip``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from children.models import Child, ChildAuditEvent
from children.services import record_event
from transitions.leaver_pack.packs import write_pack_zip


class Command(BaseCommand):
    help = "Write a child's leaver pack (the ZIP a family downloads) to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("child_id", type=int)
        parser.add_argument("output", type=Path)

    def handle(self, *, child_id: int, output: Path, **options) -> None:
        child = Child.objects.select_related("nursery").filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"No child with id {child_id}.")
        with output.open("wb") as target:
            write_pack_zip(
                child=child, target=target, progress=lambda percent, stage: self.stdout.write(f"{percent:3d}% {stage}")
            )
        record_event(
            child=child, actor=None, action=ChildAuditEvent.Action.EXPORTED, what="Leaver pack written to a file"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({output.stat().st_size} bytes)"))
