"""Who is asking, and one way to fetch a child's record for them (zulip's ``access_stream_by_id``).

Each kind of record has one ``access_<record>(user, pk, ...)`` function, in the selectors of the app that
owns it, returning the record or raising ``Http404``: another nursery's or another family's record answers
404, never 403, so nothing leaks about what exists. Where a colleague may see a record but not change it,
the function raises ``PermissionDenied`` (403) with the reason. Views then read "get the thing I may see,
do the thing". ``Viewer`` is the one description of the asker's standing that those functions return.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Child
from .selectors import can_manage_child, children_visible_to

MANAGERS_ONLY = "Only the nursery's managers can do this."


@dataclass(frozen=True)
class Viewer:
    """The asker's standing to one child's records, worked out once per request.

    ``is_staff``: works at the child's nursery. ``may_write``: may change this kind of record (for example
    the key person for a progress check). ``may_manage``: a manager of the child's nursery. ``is_parent``:
    holds parental responsibility for the child. ``family_child_ids``: the asker's own children, whose names
    they may read (others become "a friend"). ``can_contribute``: may add to the story (comments, home
    observations). ``user`` is None for documents made for the family as a whole (the leaver pack).
    """

    user: User | None
    is_staff: bool
    may_write: bool = False
    may_manage: bool = False
    is_parent: bool = False
    family_child_ids: frozenset[int] = field(default_factory=frozenset)
    can_contribute: bool = False


def access_child(user: User, pk: int, *, manage: bool = False) -> Child:
    """A child the user may see (staff of the nursery, or the child's family), or 404.

    With ``manage``, only the nursery's managers: a colleague gets 403 with the reason.
    """
    child = get_object_or_404(children_visible_to(user), pk=pk)
    if manage and not can_manage_child(user, child):
        raise PermissionDenied(MANAGERS_ONLY)
    return child
