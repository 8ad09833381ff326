"""Versioned cache entries (core.caching): read once, read afresh after a change, never an old value back."""

from unittest import mock

import pytest
from django.core.cache import cache

from core.caching import EPOCH_KEY, _version_key, bump, cached, forget_all

pytestmark = pytest.mark.django_db  # a bump is repeated when the transaction commits


def test_a_value_is_read_once_until_its_data_changes():
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    assert cached("things", 7, "count", read) == 1
    assert cached("things", 7, "count", read) == 1
    bump("things", 7)
    assert cached("things", 7, "count", read) == 2
    assert cached("things", 8, "count", read) == 3  # another scope's data is its own


def test_an_evicted_version_never_brings_back_an_older_value():
    cached("things", 1, "name", lambda: "old")
    cache.delete(_version_key("things", 1))  # e.g. evicted, as after a restart of Redis
    assert cached("things", 1, "name", lambda: "new") == "new"


def test_a_page_still_reads_the_database_when_the_cache_is_down():
    with mock.patch("core.caching.cache.get", side_effect=ConnectionError):
        assert cached("things", 1, "name", lambda: "from the database") == "from the database"


def test_nothing_cached_before_a_restore_is_read_after_it():
    cached("things", 1, "name", lambda: "before the restore")
    forget_all()
    assert cached("things", 1, "name", lambda: "restored") == "restored"


def test_a_lost_epoch_retires_every_version_it_might_have_retired():
    cached("things", 1, "name", lambda: "before")
    cache.delete(EPOCH_KEY)  # evicted: a restore may have moved it meanwhile
    assert cached("things", 1, "name", lambda: "after") == "after"
    assert cached("things", 1, "name", lambda: "read again") == "after"  # and the new version is kept


class DownCache:
    """A cache backend whose server is unreachable: every call raises."""

    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("cache down")

        return down


def test_a_change_is_saved_and_pages_open_while_the_cache_is_down():
    with mock.patch("core.caching.cache", DownCache()):
        bump("things", 1)  # as in a post_save receiver: the save goes on
        assert cached("things", 1, "name", lambda: "from the database") == "from the database"


def test_a_bump_that_cannot_be_stored_still_retires_the_old_version():
    cached("things", 1, "name", lambda: "old")
    with mock.patch("core.caching.cache.set", side_effect=ConnectionError):
        bump("things", 1)  # the set fails, the delete reaches the cache
    assert cached("things", 1, "name", lambda: "new") == "new"
