"""Django settings, read from environment variables with safe defaults.

Embedded default (no services): a SQLite file in the checkout and Celery tasks run eagerly in-process.
Production: set DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name: str, default: str) -> str:
    """Read a rate of failures per period ("10/15m": 10 per 15 minutes; s, m, h or d) from an environment variable."""
    value = os.environ.get(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/15m (failures per period), not {value!r}.")
    return value


def env_count(name: str, default: int) -> int:
    """Read a whole number, zero or more, from an environment variable; a clear start-up error otherwise."""
    value = os.environ.get(name, str(default))
    if not value.strip().isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


def env_seconds(name: str, default: float) -> float:
    """Read a positive number of seconds from an environment variable; a clear start-up error otherwise."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {value!r}.")
    return seconds


DEBUG = env_flag("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "graphene_django",
    "backend",
    "graph",
    "audits",
    "imports",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backend.auth.BearerTokenMiddleware",
    "backend.throttle.ThrottledSignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
AUTH_USER_MODEL = "backend.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# Page sessions end after SESSION_IDLE_MINUTES without a request (each request renews the cookie) and when the
# browser closes: a shared office computer must not stay signed in to a grievance caseload.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed authentication is throttled per client and per account (backend/throttle.py), in the shared cache.
AUTHENTICATION_BACKENDS = ["backend.throttle.ThrottledModelBackend"]
AUTH_THROTTLE_CLIENT_RATE = env_rate("AUTH_THROTTLE_CLIENT_RATE", "50/15m")
AUTH_THROTTLE_ACCOUNT_RATE = env_rate("AUTH_THROTTLE_ACCOUNT_RATE", "10/15m")
AUTH_THROTTLE_PROXY_HOPS = env_count("AUTH_THROTTLE_PROXY_HOPS", 0)
RATELIMIT_IP_META_KEY = "backend.throttle.client_address"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backend.pages.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASE_CONNECT_TIMEOUT = env_seconds("DATABASE_CONNECT_TIMEOUT", 3)
DATABASE_STATEMENT_TIMEOUT = env_seconds("DATABASE_STATEMENT_TIMEOUT", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections and never answers must fail a request, not hang it: libpq gives up on a
    # connection not ready after connect_timeout (whole seconds, at least 2), and the server cancels any statement
    # running longer than statement_timeout (milliseconds), which also ends the work of a request whose worker died.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": max(2, round(DATABASE_CONNECT_TIMEOUT)),
        "options": f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
# The pages' languages: the browser's choice (Accept-Language) unless the user picked one (set_language).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português")]
# Our apps' catalogues come first: Django's own (admin, auth) would otherwise win for the words both translate
# ("Change", "Save", "Status"), in their admin sense.
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in ("backend", "graph", "audits", "imports", "exports")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# Where `collectstatic` gathers the static files when production serves them from one folder (STATIC_ROOT); unset,
# WhiteNoise serves them from the apps (below).
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads and evidence: the local MEDIA_ROOT (the demo, one machine), or with S3_BUCKET an S3-compatible bucket that
# the web tier and the workers share (credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's
# role). Code reaches files through the storage API only (backend/storage.py), never a local path.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # MinIO, Ceph, Garage…; unset: AWS
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "querystring_auth": True,  # no ACL is sent: objects take the bucket's own (private) setting
            "file_overwrite": False,
            "max_memory_size": 4 * 1024 * 1024,  # a file read from the bucket spools to disk past this, not to memory
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The app serves its own static files (WhiteNoise; no CDN: pages must work on an isolated network). Finders let
# the embedded demo serve them straight from the apps; production may run collectstatic into STATIC_ROOT first.
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tributary@localhost")
# Invitations (backend/accounts/invitations.py): links start with PUBLIC_BASE_URL, the address people reach the
# service at, and work once, for INVITATION_MAX_AGE_DAYS days.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
INVITATION_MAX_AGE_DAYS = env_count("INVITATION_MAX_AGE_DAYS", 7)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Celery: with no broker configured, tasks run eagerly in-process so the demo needs no services.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# Eager mode inside an HTTP request: "background" runs a task after the response on one thread of this process,
# "inline" runs it at once, before the response (the tests). Outside requests eager tasks always run at once.
EAGER_TASKS_IN_REQUESTS = os.environ.get("EAGER_TASKS_IN_REQUESTS", "background")
if EAGER_TASKS_IN_REQUESTS not in ("background", "inline"):
    raise ImproperlyConfigured(
        f"EAGER_TASKS_IN_REQUESTS must be 'background' or 'inline', not {EAGER_TASKS_IN_REQUESTS!r}."
    )
# Publishing after a commit is tried once: when the broker is down the outbox keeps the message for the sweep
# (backend/dispatch.py), instead of a request waiting on retries.
CELERY_TASK_PUBLISH_RETRY = False
# So is connecting to publish: kombu would otherwise retry for broker_connection_timeout, about 6 s a request.
# Workers and beat reconnect by broker_connection_max_retries, which they pass explicitly and this leaves alone.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_BEAT_SCHEDULE: dict = {
    "backend-sweep-outbox": {"task": "backend.tasks.sweep_outbox", "schedule": 60.0},
    # Overdue corrective actions: alert and e-mail the owner (at most once per action and day, however often it runs).
    "audits-flag-overdue-actions": {"task": "audits.tasks.flag_overdue_actions", "schedule": 3600.0},
    # Confidential uploads of ended or abandoned import jobs are deleted (imports/services/uploads.py).
    "imports-expire-confidential-uploads": {"task": "imports.tasks.expire_confidential_uploads", "schedule": 3600.0},
}

# How long an import upload naming reporters is kept, encrypted, after its job's last change when the job is neither
# committed nor rejected (waiting for its commit, invalid, failed): then it is deleted.
CONFIDENTIAL_UPLOAD_RETENTION = timedelta(days=int(os.environ.get("CONFIDENTIAL_UPLOAD_RETENTION_DAYS", "7")))

# Fernet key(s) encrypting grievance reporters' identity and contact at rest (comma-separated; the first encrypts).
GRIEVANCE_ENCRYPTION_KEY = os.environ.get("GRIEVANCE_ENCRYPTION_KEY", "")
if not GRIEVANCE_ENCRYPTION_KEY and DEBUG:
    GRIEVANCE_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQta2V5LW9ubHktd2hlbi1ERUJVRyE="  # development only, never production

# The cache holds what every web and worker process must share: the counts of failed authentication
# (backend/throttle.py) and the progress of running imports. Redis: CACHE_URL, else the broker when it is Redis.
# An in-process cache is right for one process only, so it is refused where a broker says there are workers.
CACHE_URL = os.environ.get("CACHE_URL") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a Redis URL (redis://host:6379/1), not {CACHE_URL.split(':')[0]}.")
if not CACHE_URL and CELERY_BROKER_URL and not DEBUG:
    raise ImproperlyConfigured(
        f"CACHE_URL is not set and the broker is not Redis ({CELERY_BROKER_URL.split(':')[0]}), so every process "
        "would keep a cache of its own: the throttle of failed sign-ins and import progress need one cache shared by "
        "all web and worker processes. Set CACHE_URL to a Redis URL (redis://host:6379/1)."
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

GRAPHENE = {
    "SCHEMA": "backend.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": True,
    "ATOMIC_MUTATIONS": True,
    # graphene-django adds its debug middleware under DEBUG; it only feeds a `_debug` field, which the schema has
    # not, and wraps every resolver (it doubled the latency of a page of 100 sites).
    "MIDDLEWARE": [],
}

# Limits of the GraphQL endpoint (see backend/graphql/limits.py).
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "12"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "50000"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "30"))
GRAPHQL_MAX_QUERY_LENGTH = int(os.environ.get("GRAPHQL_MAX_QUERY_LENGTH", "20000"))  # code points of the document
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "1500"))  # lexical tokens (the parse time)
GRAPHQL_MAX_MERGE_WORK = int(os.environ.get("GRAPHQL_MAX_MERGE_WORK", "2000"))  # graphql-core's overlap budget
GRAPHQL_TIMEOUT_SECONDS = float(os.environ.get("GRAPHQL_TIMEOUT_SECONDS", "10"))  # of execution, checked per field
GRAPHQL_MAX_RESPONSE_BYTES = int(os.environ.get("GRAPHQL_MAX_RESPONSE_BYTES", "10000000"))

# No log line carries a request's query string (backend/logs.py): a GraphQL GET request holds its document there.
# runserver's request log ("django.server") is Django's default one, with that filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_query_strings": {"()": "backend.logs.WithoutQueryStrings"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["without_query_strings"]},
        "django.server": {
            "class": "logging.StreamHandler", "formatter": "django.server", "filters": ["without_query_strings"]
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
