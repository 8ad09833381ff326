"""Fixtures shared by every app's tests: one nursery with each kind of person, and outsiders.

Roles (healthchecks style, set up once): ``manager``, ``practitioner`` (key person of ``child``),
``parent`` (of ``child``), ``other_parent`` (another family at the same nursery) and
``other_manager`` (manager of another nursery).
"""

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from children.tests.factories import ChildFactory, GuardianshipFactory
from keyworker.tests.factories import KeyPersonAssignmentFactory
from nursery.models import StaffMember
from nursery.tests.factories import NurseryFactory, RoomFactory, StaffMemberFactory

# Playwright's sync API runs an event loop in the test thread; Django must still allow the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# CI sets this: a browser or worker test that cannot run is a failure, not a skip.
STRICT = os.environ.get("KEYSTORY_STRICT_TESTS") == "1"


# Run the whole suite as if it started at another instant, e.g. the night the clocks change:
# KEYSTORY_TEST_NOW=2026-10-25T01:30:00+00:00 (London time when no offset is given; of an hour that happens
# twice, the first). The clock ticks on from there in every xdist process; tests that pin their own clock
# with time_machine still win.
TEST_NOW = "KEYSTORY_TEST_NOW"
LONDON = ZoneInfo("Europe/London")
_suite_clock = pytest.StashKey[time_machine.travel]()


def suite_start(value: str) -> datetime:
    """The instant ``value`` names, refusing a London wall-clock time that does not exist (spring forward)."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"{TEST_NOW}={value!r} is not an ISO 8601 date and time") from error
    if instant.tzinfo is None:
        wall = instant
        instant = wall.replace(tzinfo=LONDON)
        if instant.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != wall:
            raise pytest.UsageError(f"{TEST_NOW}={value!r} does not exist in London: give a UTC offset")
    return instant.astimezone(LONDON)


def pytest_configure(config: pytest.Config) -> None:
    if value := os.environ.get(TEST_NOW):
        config.stash[_suite_clock] = time_machine.travel(suite_start(value), tick=True)
        config.stash[_suite_clock].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if clock := config.stash.get(_suite_clock, None):
        clock.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if value := os.environ.get(TEST_NOW):
        return f"clock: starts at {suite_start(value):%Y-%m-%d %H:%M:%S %Z} ({TEST_NOW})"
    return None


def require(condition: bool, reason: str) -> None:
    """Skip when a test's outside dependency is missing, or fail when running strictly (CI)."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"{reason} (KEYSTORY_STRICT_TESTS=1: skipping is not allowed here)")
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("worker"):
        require(bool(os.environ.get("REDIS_URL")), "needs REDIS_URL for a real Celery worker")
    if item.get_closest_marker("browser"):
        require(CHROMIUM.exists() or bool(shutil.which("chromium")), f"needs Chromium at {CHROMIUM}")


def use_broker(url: str, *, eager: bool) -> None:
    """Point the Celery app at another broker, dropping connections made for the previous one."""
    from config.celery import app

    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _celery_in_process(settings):
    """Tasks run in-process unless a test starts a real worker or breaks the broker."""
    from config.celery import app

    app.conf.task_eager_propagates = True
    use_broker(settings.CELERY_BROKER_URL, eager=True)
    yield
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    use_broker(settings.CELERY_BROKER_URL, eager=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as with an empty database: ids are reused after a rollback, so a
    value cached by one test could otherwise be read by the next (see core.caching)."""
    from django.core.cache import cache

    cache.clear()


# Set in the session by ``client.force_login`` (below): this test client has passed the second step.
FORCE_LOGIN_PASSED_SECOND_STEP = "tests:force-login-passed-second-step"


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_step(request):
    """``client.force_login(user)`` stands for a whole sign-in, second step included, so the tests that use it
    need no authenticator app even where two-step sign-in is required (managers, group owners). Tests marked
    ``two_factor`` go through the real steps. Its own MonkeyPatch, so a test's ``monkeypatch.undo()`` keeps it."""
    if request.node.get_closest_marker("two_factor"):
        yield
        return
    from django.test.client import ClientMixin

    from accounts import two_factor

    force_login = ClientMixin.force_login
    is_verified = two_factor.is_verified

    def force_login_and_pass(self, user, backend=None) -> None:
        force_login(self, user, backend)
        session = self.session
        session[FORCE_LOGIN_PASSED_SECOND_STEP] = True
        session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login_and_pass)
        patch.setattr(
            two_factor,
            "is_verified",
            lambda req: bool(req.session.get(FORCE_LOGIN_PASSED_SECOND_STEP)) or is_verified(req),
        )
        yield


@pytest.fixture
def broker_down():
    """The broker is unreachable: nothing listens on the discard port."""
    use_broker("redis://127.0.0.1:9/0", eager=False)


# This checkout's own corner of Redis, so two checkouts testing against one Redis never meet.
CHECKOUT = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]


@pytest.fixture
def celery_worker(transactional_db, worker_id, settings):
    """A real Celery worker, in a thread of this process, consuming from the real Redis broker.

    Each xdist process of each checkout prefixes every Redis key it uses (queues, unacked messages) with its
    own name, on REDIS_URL's own database: workers never take each other's tasks, nor a development worker's
    on the same database, and no other database needs to exist (Redis has only 16 unless configured).
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from config.celery import app

    app.conf.broker_transport_options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"keystory-test:{CHECKOUT}:{worker_id}:",
    }
    use_broker(os.environ["REDIS_URL"], eager=False)
    app.control.purge()

    def close_connections(**kwargs) -> None:
        connections.close_all()  # the worker thread's own connection, before the test DB is flushed

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_connections)


@pytest.fixture
def nursery():
    return NurseryFactory(name="Rainbow Nursery")


@pytest.fixture
def room(nursery):
    return RoomFactory(nursery=nursery, name="Butterflies")


@pytest.fixture
def manager(nursery):
    return StaffMemberFactory(nursery=nursery, role=StaffMember.Role.MANAGER, user__full_name="Maya Manager").user


@pytest.fixture
def practitioner_post(nursery, room):
    return StaffMemberFactory(nursery=nursery, room=room, user__full_name="Priya Practitioner")


@pytest.fixture
def practitioner(practitioner_post):
    return practitioner_post.user


@pytest.fixture
def child(nursery, room, practitioner_post):
    child = ChildFactory(nursery=nursery, room=room, first_name="Ava", last_name="Taylor")
    KeyPersonAssignmentFactory(child=child, key_person=practitioner_post)
    return child


@pytest.fixture
def parent(child):
    return GuardianshipFactory(child=child, user__full_name="Sam Taylor").user


@pytest.fixture
def other_child(nursery, room):
    return ChildFactory(nursery=nursery, room=room, first_name="Zara", last_name="Ahmed")


@pytest.fixture
def other_parent(other_child):
    return GuardianshipFactory(child=other_child, user__full_name="Jess Ahmed").user


@pytest.fixture
def other_nursery():
    return NurseryFactory(name="Sunflower Day Nursery")


@pytest.fixture
def other_manager(other_nursery):
    return StaffMemberFactory(nursery=other_nursery, role=StaffMember.Role.MANAGER).user


@pytest.fixture
def login():
    """``login(user)`` gives a test client signed in as that person."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
