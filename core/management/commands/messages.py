"""``make messages``: find the words to translate (needs GNU gettext), then compile every catalogue.

``--compile-only`` compiles without gettext; ``--check`` fails when a committed ``.mo`` is stale.
"""

import shutil

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import translations


class Command(BaseCommand):
    help = "Update locale/*/LC_MESSAGES/django.po from the code and templates, and compile the .mo files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--compile-only", action="store_true", help="Compile the .po files only (no gettext).")
        parser.add_argument("--check", action="store_true", help="Fail if a .mo file does not match its .po file.")

    def handle(self, *args, compile_only: bool = False, check: bool = False, **options) -> None:
        if check:
            if stale := translations.stale():
                raise CommandError("Out of date (run make messages): " + ", ".join(map(str, stale)))
            self.stdout.write("Every .mo file matches its .po file.")
            return
        if not compile_only:
            if not shutil.which("xgettext"):
                raise CommandError("Finding new words needs GNU gettext (apt-get install gettext); or --compile-only.")
            call_command(
                "makemessages", locale=translations.translated_languages(), verbosity=0, **translations.EXTRACT_OPTIONS
            )
        for path in translations.compile_all():
            missing = translations.untranslated(path.with_suffix(".po"))
            note = f" ({len(missing)} not translated yet: shown in English)" if missing else ""
            self.stdout.write(f"Compiled {path}{note}")
