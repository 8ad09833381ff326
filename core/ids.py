"""Record ids from outside (a query string, a form field, a field's name), checked before ``int()`` sees them.

``str.isdigit()`` is not enough: it is True for "²" and other non-ASCII digits that ``int()`` refuses, and
``int()`` refuses more than 4,300 digits. An id here is ASCII digits only, within a database key (1 to 2**63 - 1).
"""

from collections.abc import Iterable

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """The id written in ``value``, or None when it is not one (not a string of ASCII digits, 0, or too large)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The ids among ``values``, in order; anything that is not an id is left out."""
    return [number for value in values if (number := parse_id(value)) is not None]
