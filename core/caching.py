"""Data shared between requests that rarely changes (the learning framework, a nursery's children's names),
kept in Django's cache under versioned keys.

Each kind of data has a version (per nursery where it belongs to one). A cached value's key includes the
version it was read at, and whatever changes the data bumps the version (signal receivers in the app that owns
the model), so the next read misses and reads the database again: nothing has to find and delete old entries,
which simply age out. A version that has itself been evicted comes back as a new, unique number (the clock in
nanoseconds), never as one an old entry was stored under.

A restore replaces the whole database under the cache: ``forget_all`` (run by restore) moves an epoch that every
version is checked against, so each version read afterwards is a new one and nothing cached before is read.

The cache is shared by every web process (Redis, or files on the one machine without it; see
``config.settings``), so a change made in one process shows in all of them at once.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger(__name__)
PREFIX = "ks"
TIMEOUT = 60 * 60 * 24  # a day: an entry no longer read goes; its version moving on is what invalidates it


EPOCH_KEY = f"{PREFIX}:epoch"  # versions at or below it were set before the last restore (or are unknown)


def _version_key(kind: str, scope: object) -> str:
    return f"{PREFIX}:v:{kind}:{scope}"


def _epoch() -> int:
    """The epoch; when it has gone (evicted, a cache emptied) a new one retires every version there is, as
    nothing tells whether a restore happened meanwhile."""
    cache.add(EPOCH_KEY, time.time_ns(), timeout=None)
    return cache.get(EPOCH_KEY, time.time_ns())


def forget_all() -> None:
    """The database was replaced (a restore): no value cached before may be read again. Clearing would also
    empty Celery's queues where they share Redis, so the epoch moves on instead."""
    cache.set(EPOCH_KEY, time.time_ns(), timeout=None)


def version(kind: str, scope: object = "all") -> int:
    """The current version of ``kind`` of data (for ``scope``, e.g. a nursery's id)."""
    key = _version_key(kind, scope)
    got = cache.get_many([key, EPOCH_KEY])  # one round trip
    epoch = got[EPOCH_KEY] if EPOCH_KEY in got else _epoch()
    found = got.get(key)
    if found is None or found <= epoch:
        found = max(time.time_ns(), epoch + 1)  # above the epoch even if this machine's clock lags
        cache.set(key, found, timeout=None)
    return found


def bump(kind: str, scope: object = "all") -> None:
    """``kind`` of data (for ``scope``) has changed: entries stored under older versions are no longer read.

    Bumped at once (this request reads its own change) and again when the transaction commits: a request
    that read the old rows between the two stored them under the first new version, which this one retires.
    """
    key = _version_key(kind, scope)
    _set_version(key)
    transaction.on_commit(lambda: _set_version(key))


def _set_version(key: str) -> None:
    """Move a version on; with the cache down the save still succeeds. A version that cannot be set is deleted
    if possible (a missing version is read as a new one). Residual risk: a cache unreachable for both, that
    comes back with its old entries (e.g. a network split, not a restart), serves them until the next change
    or a day's TIMEOUT of the entries."""
    try:
        cache.set(key, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("Cache unavailable; could not move %s on", key, exc_info=True)
        try:
            cache.delete(key)
        except Exception:
            logger.warning("Cache unavailable; could not delete %s either", key, exc_info=True)


def versions(*kinds: tuple[str, object]) -> list[int] | None:
    """The versions of several (kind, scope), or None when the cache is down. Read them before the rows they
    stand for: a value read from rows older than its versions would be kept under them."""
    try:
        return [version(kind, scope) for kind, scope in kinds]
    except Exception:
        logger.warning("Cache unavailable; versions of %s not read", kinds, exc_info=True)
        return None


def cached(kind: str, scope: object, part: str, read: Callable[[], T], at: int | None = None) -> T:
    """The value ``read()`` gives, from the cache while ``kind`` (for ``scope``) has not changed. ``part`` names
    which value of that data it is; it must include whatever the value depends on besides that data. ``at``:
    the version of ``kind`` when the caller read it before data ``read`` relies on (``versions``)."""
    try:
        key = f"{PREFIX}:{kind}:{scope}:{version(kind, scope) if at is None else at}:{part}"
        found = cache.get(key)
    except Exception:  # the cache is down: the page still opens, reading the database
        logger.warning("Cache unavailable; reading %s from the database", kind, exc_info=True)
        return read()
    if found is None:
        found = read()
        try:
            cache.set(key, found, timeout=TIMEOUT)
        except Exception:  # likewise: the value read is still right
            logger.warning("Cache unavailable; %s not stored", kind, exc_info=True)
    return found
