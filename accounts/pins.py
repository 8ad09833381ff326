"""Tablet PINs: setting one (trivial PINs refused), checking one in constant time, and the lock.

A PIN is 4 to 6 digits, stored with Django's password hashers. Five wrong PINs in a row, on any tablet, lock
it until the person's next full sign-in (e-mail and password): ``unlock_on_full_sign_in`` runs on every
sign-in that is not a PIN switch-in. How often a tablet may be tried is throttled separately, by django-axes
(``nursery.tablets``).
"""

import enum
from itertools import pairwise

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from .models import TabletPin, User

PIN_LENGTHS = range(4, 7)
MAX_FAILURES = 5
# PINs people pick first, beyond the repeated digits and straight runs caught below.
COMMON = frozenset({"2580", "0852", "1004", "2000", "1122", "6969", "1313", "112233", "159753", "147258"})
# Hashed once, so a person without a PIN (or locked) costs the same time to check as one with.
_DUMMY = make_password("not-a-pin")


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` may not be used, as a sentence, or None when it is fine."""
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS or not pin.isascii():
        return "Your PIN must be 4, 5 or 6 digits (numbers only)."
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if len(set(pin)) == 1:
        return "A PIN of one digit repeated (like 0000) is too easy to guess. Choose another."
    if steps in ({1}, {-1}):
        return "A PIN of digits in a row (like 1234 or 4321) is too easy to guess. Choose another."
    repeats = [2, 3] if len(pin) == 6 else [2]  # 1212, 12121, 123123
    if any(pin == (pin[:size] * len(pin))[: len(pin)] for size in repeats) or pin in COMMON:
        return "That PIN is one many people choose, so it is easy to guess. Choose another."
    return None


def has_pin(user: User) -> bool:
    return TabletPin.objects.filter(user=user).exists()


def set_pin(*, user: User, pin: str) -> None:
    """Set (or change) the person's PIN; a new PIN starts with no wrong tries and unlocked."""
    problem = pin_problem(pin)
    if problem:
        raise ValueError(problem)
    TabletPin.objects.update_or_create(
        user=user, defaults={"pin": make_password(pin), "failures": 0, "locked_at": None, "set_at": timezone.now()}
    )


class Outcome(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"  # locked now or before: only a full sign-in unlocks it
    NO_PIN = "no_pin"


def check_pin(*, user: User, pin: str) -> tuple[Outcome, int]:
    """Check ``pin`` for ``user``: the outcome, and how many tries are left before the lock."""
    with transaction.atomic():
        stored = TabletPin.objects.select_for_update().filter(user=user).first()
        if stored is None or stored.locked_at is not None:
            check_password(pin, _DUMMY)  # the same work as a real check
            return (Outcome.NO_PIN if stored is None else Outcome.LOCKED), 0
        if check_password(pin, stored.pin):  # the hasher compares in constant time
            if stored.failures:
                stored.failures = 0
                stored.save(update_fields=["failures"])
            return Outcome.RIGHT, MAX_FAILURES
        stored.failures += 1
        if stored.failures >= MAX_FAILURES:
            stored.locked_at = timezone.now()
        stored.save(update_fields=["failures", "locked_at"])
        if stored.locked_at:
            return Outcome.LOCKED, 0
        return Outcome.WRONG, MAX_FAILURES - stored.failures


def is_locked(user: User) -> bool:
    return TabletPin.objects.filter(user=user, locked_at__isnull=False).exists()


def unlock(*, user: User) -> None:
    TabletPin.objects.filter(user=user).exclude(failures=0, locked_at=None).update(failures=0, locked_at=None)


def unlock_on_full_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a full sign-in unlocks the PIN; a PIN switch-in does not. With two-step
    sign-in (used or required), only the second step completes it: ``accounts.two_factor`` unlocks then."""
    from .tablet import is_pin_sign_in
    from .two_factor import authenticator, required_because

    if request is None or is_pin_sign_in(request):
        return
    if authenticator(user) is not None or required_because(user):
        return
    unlock(user=user)
