"""Who looks after a child closely. The key person system (a higher app) knows; this app asks it.

The keyworker app registers its check in ``AppConfig.ready``, as it does for panels, so pages here can
let a child's key person fill in "All about me" without importing the app above.
"""

from collections.abc import Callable

from accounts.models import User

from .models import Child

KeyPersonCheck = Callable[[User, Child], bool]

_checks: list[KeyPersonCheck] = []


def register(check: KeyPersonCheck) -> None:
    """Add a check; registering the same function again changes nothing (ready() may run twice)."""
    if check not in _checks:
        _checks.append(check)


def is_key_person(user: User, child: Child) -> bool:
    return any(check(user, child) for check in _checks)


# The close team: the key person, the buddy who is co-key person, and the managers. Support plans are
# written and read by them (and the SENCO), not by every practitioner in the building.
_close_team_checks: list[KeyPersonCheck] = []


def register_close_team(check: KeyPersonCheck) -> None:
    if check not in _close_team_checks:
        _close_team_checks.append(check)


def is_close_team(user: User, child: Child) -> bool:
    return any(check(user, child) for check in _close_team_checks)
