"""Ids from a request are read only when they are ASCII digits that fit a database key."""

import pytest

from core.ids import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize("value", ["1", "42", str(MAX_ID), 7])
def test_an_id_is_read_as_a_number(value):
    assert parse_id(value) == int(value)


@pytest.mark.parametrize(
    "value",
    [
        *["", "0", "-1", "+1", " 1", "1.0", "abc", "\N{SUPERSCRIPT TWO}", "\N{ARABIC-INDIC DIGIT ONE}"],
        *[str(MAX_ID + 1), "9" * 5000, None, 0, MAX_ID + 1, True],
    ],
)
def test_anything_else_is_not_an_id(value):
    assert parse_id(value) is None


def test_ids_leave_out_what_is_not_one_and_keep_the_order():
    assert parse_ids(["3", "\N{SUPERSCRIPT TWO}", "1", "x"]) == [3, 1]
