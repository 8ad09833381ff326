"""KeyStory settings, chosen by environment variables.

With nothing set this is the embedded default for one small nursery: a SQLite file in ``var/``,
Celery tasks run in-process, e-mail printed to the console. A nursery group sets ``DATABASE_URL``
(PostgreSQL) and ``REDIS_URL`` (Celery broker) and runs ``make worker`` beside the web processes.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Demo mode shows the demo accounts on the login page and a banner on every page.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

_DEV_SECRET = "insecure-development-key-only-for-demo-and-debug"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if (DEBUG or DEMO_MODE) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEMO_MODE=1 / DEBUG=1 for a local trial).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    # Two-step sign-in: a code from an authenticator app (TOTP), or a single-use recovery code.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Shared helpers below every app (images, outbox, queue, PDF, private media, error pages).
    "core",
    # KeyStory apps, lowest first: a lower app never imports a higher one.
    "accounts",
    "nursery",
    "children",
    "learning_stories",
    "keyworker",
    "messaging",  # family and care team messages, announcements
    "transitions",
    "privacy",  # subject access and the record history: reads every app above, so it sits above them all
    "retention",
    # The demo nursery for `make run`; sits above every app because it fills them all.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.OnlyKnownMethods",  # 405 for PUT, DELETE and the like: no page takes them
    "core.middleware.NumbersThatFit",  # an id larger than any database key: 404 in the address, 400 in a form
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's language (Accept-Language) or the one chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.request_memo.RememberPerRequest",  # e.g. the person's staff posts, read once for the whole request
    "accounts.languages.UserLanguage",  # a signed-in person's chosen language wins over the browser's
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second step was passed
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.standing.SignOutWithoutStanding",  # e.g. a member of staff on their leaving date
    "nursery.tablets.TabletGate",  # a room's shared tablet: its room page, PIN sessions, the idle lock
    "accounts.two_factor.SecondStep",  # the code step, or setting it up, before any other page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last so it sees every failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "children.context_processors.roles",
                "messaging.context_processors.unread",
                "nursery.current.context",
                "demo.context_processors.demo",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'keystory.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets parents read while staff write; IMMEDIATE makes two writers queue instead of
        # failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Login throttling: five wrong passwords for one e-mail from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form field (our USERNAME_FIELD is "email")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-step sign-in (accounts.two_factor): managers, deputies and group owners must use it unless this is off;
# a nursery can ask it of all its staff, and anyone may turn it on. The demo offers it without forcing it.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEMO_MODE)
# "Trust this device": the code step is skipped on that browser for this long, never longer.
TWO_FACTOR_TRUST_HOURS = 12
OTP_TOTP_ISSUER = "KeyStory"
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code the next waits 1, 2, 4, 8 ... seconds
OTP_STATIC_THROTTLE_FACTOR = 1

SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day on a shared tablet
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# Off by default: they bind every subdomain to HTTPS, and a preloaded domain takes months to leave the list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and styles only from our own origin: no inline script, no CDN. Bootstrap draws some
# form controls with data: SVGs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Families' languages (accounts/languages.py names each in itself). Staff pages are in English or Welsh.
LANGUAGES = [
    ("en-gb", "English"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),  # Gurmukhi script
    ("bn", "Bengali"),
    ("ar", "Arabic"),
    ("pt", "Portuguese"),
    ("es", "Spanish"),
    ("cy", "Welsh"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "keystory_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and private media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Children's photos are private: there is deliberately no public MEDIA_URL. Files are stored
# outside the web root and served only by views that check the viewer's right to the child.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")


PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")


def s3_acl(env: environ.Env, *names: str) -> str | None:
    """A canned ACL to send with each upload, from the first of ``names`` set; none by default. Objects are
    private to the bucket's owner without one, and Amazon buckets created since April 2023 ("bucket owner
    enforced") refuse every ACL but bucket-owner-full-control. Set one only where the provider needs it."""
    acl = next((value for name in names if (value := env.str(name, default=""))), "")
    if acl in PUBLIC_ACLS:
        raise ImproperlyConfigured(f"{' / '.join(names)}: children's photos are never public, not {acl}.")
    return acl or None


def s3_media_storage(env: environ.Env) -> dict:
    """Private media in an S3-compatible bucket (``MEDIA_STORAGE=s3``): several web machines share it.

    Objects are private (no ACL is sent unless AWS_DEFAULT_ACL) and any URL signed for 60 s, but KeyStory never
    hands URLs out: ``core.private_media`` streams each file through the app after the permission check.
    """
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,  # None: Amazon S3 itself
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,  # None: boto3 finds an instance role
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": s3_acl(env, "AWS_DEFAULT_ACL"),  # None: no ACL sent, the bucket's owner only
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",  # v2 signatures are refused by newer regions and many S3-compatibles
            "file_overwrite": False,  # like local files: a name in use gets a suffix instead of being replaced
            "max_memory_size": 5 * 1024 * 1024,  # a file read back is held in memory up to this, then on disk
        },
    }


MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE is either local (the default) or s3.")
STORAGES = {
    "default": (
        s3_media_storage(env) if MEDIA_STORAGE == "s3" else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail -----------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587; console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KeyStory <keystory@localhost>")
# The address families open: links in e-mails, the one-click "stop these e-mails" (which mail providers
# only honour over https) and the Message-ID domain follow it. `make run`/`make dev` set it from HOST/PORT.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Celery -----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis, tasks run in-process at commit time (one small nursery needs no worker).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Give up quickly when the broker is down, so the web request carries on; sweeps resend later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Photos whose thumbnail task never reached the broker, or failed.
    "make-missing-thumbnails": {
        "task": "core.tasks.make_missing_thumbnails",
        "schedule": timedelta(minutes=10),
    },
    # Video and sound clips whose preparation never reached the broker, or was cut short.
    "prepare-waiting-clips": {
        "task": "learning_stories.tasks.prepare_waiting_clips",
        "schedule": timedelta(minutes=10),
    },
    # The outbox: e-mails the broker never carried, and failed ones whose wait is over.
    "send-due-mail": {
        "task": "core.tasks.send_due_mail",
        "schedule": timedelta(minutes=2),
    },
    # Feedback for sessions that ended without any, and feedback the broker never published.
    "sweep-session-feedback": {
        "task": "keyworker.tasks.sweep_session_feedback",
        "schedule": timedelta(minutes=10),
    },
    # Learning story: the families' daily digest at 18:00 (queued in the outbox, which sends it).
    "story-daily-digests": {
        "task": "learning_stories.tasks.send_daily_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    # Messages: the families' daily digest of what the nursery sent that they have not read yet.
    "messages-daily-digests": {
        "task": "messaging.tasks.send_daily_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    # Leaver packs: uploads never imported.
    "transitions-stale-pack-uploads": {
        "task": "transitions.tasks.discard_stale_pack_uploads",
        "schedule": timedelta(hours=1),
    },
    # dash: support plan reviews due within a week, e-mailed to the key person once per due date.
    "support-plan-review-reminders": {
        "task": "keyworker.tasks.sweep_support_reviews",
        "schedule": crontab(hour=7, minute=30),
    },
    # Transitions: room moves and leavers whose date has come take effect (idempotent).
    "transitions-apply-due": {
        "task": "transitions.tasks.apply_due_transitions",
        "schedule": crontab(hour=6, minute=0),
    },
    # Leaver packs: delete expired files, start packs the broker missed or whose worker was lost.
    "sweep-leaver-packs": {
        "task": "transitions.tasks.sweep_leaver_packs",
        "schedule": timedelta(minutes=10),
    },
    # Retention: remove or anonymise what each nursery's schedule says is due (counts logged, idempotent).
    "retention-nightly-sweep": {
        "task": "retention.tasks.sweep_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # Subject access downloads: delete expired files, start exports the broker missed or whose worker was lost.
    "sweep-subject-access-exports": {
        "task": "privacy.tasks.sweep_subject_access_exports",
        "schedule": timedelta(minutes=10),
    },
}

# --- Cache -------------------------------------------------------------------------------------
# Data that rarely changes (the learning framework, each nursery's children's names) is cached under versioned
# keys (core.caching) that changes bump. Every web process must share the cache for a change to show in all of
# them at once: Redis when there is one, else files on this machine (gunicorn's workers share them).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Another prefix keeps a second install's keys (e.g. the bench's) apart in a shared Redis.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="keystory"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.path("CACHE_DIR", default=VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Templates: with no "loaders" set (TEMPLATES above), Django 5.2 wraps the filesystem and app loaders in its
# cached loader, so each template is parsed once per process.

# --- Forms and messages ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# --- Photos -------------------------------------------------------------------------------------
# Every uploaded picture goes through core.images.process_upload: these cap what it accepts.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Video and sound clips are transcoded by the ffmpeg of the imageio-ffmpeg wheel unless this names another
# (e.g. /usr/bin/ffmpeg); their limits in MB and seconds are each nursery's own (core/clips.py).
FFMPEG_BINARY = env.str("FFMPEG_BINARY", default="")
# Refuses "decompression bombs": small files that claim billions of pixels. 60 million covers 48 MP phones.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=60_000_000)
IMAGE_MAX_SIDE = env.int("IMAGE_MAX_SIDE", default=2560)  # stored photos are shrunk to this many pixels
IMAGE_THUMBNAIL_SIDE = 400
# e.g. /private-media/: nginx serves private files (after KeyStory's permission check) from this internal location.
PRIVATE_MEDIA_ACCEL_REDIRECT = env.str("PRIVATE_MEDIA_ACCEL_REDIRECT", default="")
if PRIVATE_MEDIA_ACCEL_REDIRECT and MEDIA_STORAGE == "s3":
    raise ImproperlyConfigured("PRIVATE_MEDIA_ACCEL_REDIRECT maps to MEDIA_ROOT: leave it empty with MEDIA_STORAGE=s3.")


def backup_s3(env: environ.Env) -> dict:
    """The bucket service `manage.py backup --output s3://bucket/prefix` talks to. Each BACKUP_S3_* falls back
    to the media's AWS_* variable, so one key can do both; a separate key (and account) for backups is safer."""

    def either(backup: str, media: str) -> str | None:
        return env.str(backup, default="") or env.str(media, default="") or None

    encryption = env.str("BACKUP_S3_SERVER_SIDE_ENCRYPTION", default="")
    if encryption not in ("", "AES256", "aws:kms", "aws:kms:dsse"):
        raise ImproperlyConfigured("BACKUP_S3_SERVER_SIDE_ENCRYPTION is empty, AES256, aws:kms or aws:kms:dsse.")
    return {
        "endpoint_url": either("BACKUP_S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL"),  # None: Amazon S3 itself
        "region_name": either("BACKUP_S3_REGION_NAME", "AWS_S3_REGION_NAME"),
        "access_key": either("BACKUP_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),  # None: boto3 finds a role
        "secret_key": either("BACKUP_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
        "server_side_encryption": encryption,
        "kms_key_id": env.str("BACKUP_S3_KMS_KEY_ID", default=""),
        "acl": s3_acl(env, "BACKUP_S3_ACL", "AWS_DEFAULT_ACL"),
    }


BACKUP_S3 = backup_s3(env)

# --- Leaver packs: the receiving school's link and imports from other settings -------------------
SCHOOL_LINK_VALID_DAYS = env.int("SCHOOL_LINK_VALID_DAYS", default=30)
# An imported pack ZIP: the upload, everything in it once unpacked, how many files, and pack.json itself.
PACK_IMPORT_MAX_BYTES = env.int("PACK_IMPORT_MAX_BYTES", default=1024 * 1024 * 1024)
PACK_IMPORT_MAX_UNPACKED_BYTES = env.int("PACK_IMPORT_MAX_UNPACKED_BYTES", default=2 * 1024 * 1024 * 1024)
PACK_IMPORT_MAX_FILES = env.int("PACK_IMPORT_MAX_FILES", default=25_000)
PACK_IMPORT_MAX_JSON_BYTES = env.int("PACK_IMPORT_MAX_JSON_BYTES", default=64 * 1024 * 1024)
# --- Leaver pack --------------------------------------------------------------------------------
# Days a built leaver pack can be downloaded; the sweep then deletes the file (it can be made again).
LEAVER_PACK_LINK_DAYS = env.int("LEAVER_PACK_LINK_DAYS", default=14)
# --- Subject access -----------------------------------------------------------------------------
# Days a subject access download can be downloaded; the sweep then deletes the file (it can be made again).
SUBJECT_ACCESS_LINK_DAYS = env.int("SUBJECT_ACCESS_LINK_DAYS", default=7)
