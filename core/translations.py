"""Families' languages: finding the words to translate, and compiling the translations without GNU gettext.

Translators edit ``locale/<language>/LC_MESSAGES/django.po``; ``make messages`` finds new words in the code
and templates (Django's ``makemessages``, which needs GNU gettext) and compiles every ``.po`` into the
``.mo`` file Django reads. The ``.mo`` files are committed, and compiled here with polib (pure Python), so
a machine without gettext serves the same translations; a test checks they match the ``.po`` files.
"""

from pathlib import Path

import polib
from django.conf import settings

# The options ``make messages`` and the completeness test both extract with: every app and template,
# nothing from the virtual environment, the tools, tests or the benchmark.
EXTRACT_OPTIONS = {
    "ignore_patterns": [".venv", ".tools", "node_modules", "var", "benchmarks", "tests", "*/tests/*", "locale"],
    "no_obsolete": True,
    "no_location": True,
}


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def translated_languages() -> list[str]:
    """Every language but English: each has a catalogue under ``locale/``."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def po_path(code: str, base: Path | None = None) -> Path:
    from django.utils.translation import to_locale

    return (base or locale_dir()) / to_locale(code) / "LC_MESSAGES" / "django.po"


def mo_bytes(po_file: Path) -> bytes:
    """The compiled catalogue of ``po_file``: translated, non-fuzzy entries only (as msgfmt does)."""
    catalogue = polib.pofile(str(po_file))
    target = po_file.with_suffix(".mo.tmp")
    try:
        catalogue.save_as_mofile(str(target))
        return target.read_bytes()
    finally:
        target.unlink(missing_ok=True)


def compile_all() -> list[Path]:
    """Write each ``django.mo`` beside its ``django.po``; the paths written."""
    written = []
    for code in translated_languages():
        po_file = po_path(code)
        mo_file = po_file.with_suffix(".mo")
        mo_file.write_bytes(mo_bytes(po_file))
        written.append(mo_file)
    return written


def stale() -> list[Path]:
    """The ``.mo`` files missing or different from what their ``.po`` compiles to."""
    found = []
    for code in translated_languages():
        po_file = po_path(code)
        mo_file = po_file.with_suffix(".mo")
        if not mo_file.exists() or mo_file.read_bytes() != mo_bytes(po_file):
            found.append(mo_file)
    return found


def untranslated(po_file: Path, msgids: set[str] | None = None) -> list[str]:
    """msgids (of ``msgids``, else all) with an empty or fuzzy translation in ``po_file``, or none at all."""
    catalogue = polib.pofile(str(po_file))
    done = {
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and "fuzzy" not in entry.flags
        and (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr)
    }
    wanted = msgids if msgids is not None else {entry.msgid for entry in catalogue if not entry.obsolete}
    return sorted(wanted - done)
