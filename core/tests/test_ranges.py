"""The range helper for private media (core/ranges.py): which bytes a ``Range`` header asks for."""

import pytest

from core.ranges import Unsatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("bytes=0-1", (0, 1)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),  # more than the file: all of it
        ("bytes=50-500", (50, 99)),  # past the end: up to the end
        ("bytes = 0 - 1", (0, 1)),
    ],
)
def test_one_range_gives_its_first_and_last_byte(header, wanted):
    assert parse_range(header, 100) == wanted


@pytest.mark.parametrize("header", ["", "bytes=", "bytes=-", "bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=a-b"])
def test_what_the_helper_does_not_handle_sends_the_whole_file(header):
    assert parse_range(header, 100) is None


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0"])
def test_a_range_wholly_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 100)


def test_nothing_can_be_asked_of_an_empty_file():
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-1", 0)
