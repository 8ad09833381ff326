"""Who looks after a child closely. The key person system (a higher app) knows; this app asks it.

The keyworker app registers its check in ``AppConfig.ready``, as it does for panels, so pages here can
let a child's key person fill in "All about me" without importing the app above.
"""

from collections.abc import Callable, Sequence

from accounts.models import User

from .models import Child

KeyPersonCheck = Callable[[User, Child], bool]
# Which of these children the user is key person for, as ids: a list page asks once, not once per child.
KeyChildrenCheck = Callable[[User, Sequence[Child]], set[int]]

_checks: list[KeyChildrenCheck] = []


def register(check: KeyChildrenCheck) -> None:
    """Add a check; registering the same function again changes nothing (ready() may run twice)."""
    if check not in _checks:
        _checks.append(check)


def key_children_among(user: User, children: Sequence[Child]) -> set[int]:
    """The ids of those of ``children`` whose key person the user is (one query per registered check)."""
    if not children:
        return set()
    return set().union(*(check(user, children) for check in _checks))


def is_key_person(user: User, child: Child) -> bool:
    return child.pk in key_children_among(user, [child])


# The close team: the key person, the buddy who is co-key person, and the managers. Support plans are
# written and read by them (and the SENCO), not by every practitioner in the building.
_close_team_checks: list[KeyPersonCheck] = []


def register_close_team(check: KeyPersonCheck) -> None:
    if check not in _close_team_checks:
        _close_team_checks.append(check)


def is_close_team(user: User, child: Child) -> bool:
    return any(check(user, child) for check in _close_team_checks)
