"""The shared limits on free text: messages a parent reads, and caps that never touch the database."""

from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import migrations

from core.text import check_text, text_messages, text_problem


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000)
    comment = forms.CharField(max_length=2000, error_messages=text_messages("your comment"))


def test_every_form_names_the_limit_and_the_length_with_readable_numbers():
    form = NoteForm({"note": "a" * 2345, "comment": "ok"})
    assert form.errors["note"] == ["Keep this to 2,000 characters (it has 2,345)."]


def test_a_form_can_name_what_is_too_long():
    form = NoteForm({"note": "ok", "comment": "a" * 2001})
    assert form.errors["comment"] == ["Keep your comment to 2,000 characters (it has 2,001)."]


def test_a_nul_byte_gets_a_plain_message():
    form = NoteForm({"note": "a\x00b", "comment": "a\x00b"})
    assert form.errors["note"][0].startswith("This contains a character that can't be saved")
    assert form.errors["comment"][0].startswith("The comment contains a character that can't be saved")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("fine", ""),
        ("x" * 10, ""),
        ("x" * 11, "Keep a note to 10 characters (it has 11)."),
        ("a\x00", "A note contains a character that can't be saved"),
        ("a\ud800", "A note contains a character that can't be saved"),
    ],
)
def test_text_taken_without_a_form_is_checked_the_same_way(value, problem):
    assert text_problem(value, 10, "a note").startswith(problem) if problem else text_problem(value, 10) == ""


def test_check_text_raises_the_reason():
    with pytest.raises(forms.ValidationError, match="Keep this to 5 characters"):
        check_text("toolong", 5)


CAPS = sorted(Path(settings.BASE_DIR).glob("*/migrations/*_text_length_caps.py"))


@pytest.mark.parametrize("migration", CAPS, ids=lambda path: path.parent.parent.name)
def test_the_length_caps_change_no_table(migration):
    """Existing longer text must survive: the caps are model state only, with no SQL (no rebuild, no truncation)."""
    module = import_module(f"{migration.parent.parent.name}.migrations.{migration.stem}")
    [operation] = module.Migration.operations
    assert isinstance(operation, migrations.SeparateDatabaseAndState)
    assert operation.database_operations == []
    for change in operation.state_operations:
        assert isinstance(change, migrations.AlterField)
        assert change.field.max_length
