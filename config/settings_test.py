"""Settings for the test suite: the real settings, made fast and self-contained."""

import os

os.environ.setdefault("DEMO_MODE", "1")

from .settings import *  # noqa: F403
from .settings import DATABASES, MIDDLEWARE, REDIS_URL, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process; tests marked `worker` switch to the real broker and a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lets browser tests wait for the live server's last request before the database is flushed.
MIDDLEWARE = ["tests.inflight.count_requests", *MIDDLEWARE]
# One cache per test process, emptied before each test (conftest.py), like the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
AXES_FAILURE_LIMIT = 3
# The suite runs in demo mode, but tests the production rule: managers and group owners must use two-step sign-in.
TWO_FACTOR_REQUIRED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: the worker and live-server threads then wait on WAL locks
    # (busy_timeout) instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
