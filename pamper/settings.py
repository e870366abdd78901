"""Pamper settings: one file, driven by environment variables.

Every value has a default that lets a fresh clone run on one machine
(SQLite under var/, console email, the database task queue). Production sets
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, PAMPER_HEALTH_KEYS and the email
settings through the environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """True when the variable is one of 1/true/yes/on (any case)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("PAMPER_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


# The secrets this process generated into DATA_DIR because the environment did not set them. Fine on one
# machine; an error for production (`check --deploy`, ops.E002): every node must share the same secrets.
GENERATED_SECRETS: list[str] = []


def _secret_from_file(env_name: str, filename: str, make: Callable[[], str]) -> str:
    """The value of env_name, or one generated once into DATA_DIR/filename (noted in GENERATED_SECRETS)."""
    value = os.environ.get(env_name)
    if value:
        return value
    GENERATED_SECRETS.append(env_name)
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_from_file("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",  # two-factor sign-in: TOTP apps and single-use recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sorl.thumbnail",  # venue and staff photos in responsive sizes (pamper.gallery), kept through the storage API
    "ninja",  # /api/v1/docs from ninja's bundled static files: no CDN, no inline script (the CSP allows neither)
    "pamper.accounts",
    "pamper.catalog",
    "pamper.venues",
    "pamper.search",
    "pamper.gallery",
    "pamper.bookings",
    "pamper.clinical",
    "pamper.payments",
    "pamper.reviews",
    "pamper.notifications",
    "pamper.waitlist",
    "pamper.practitioners",
    "pamper.partner",
    "pamper.seo",
    "pamper.ops",
    "pamper.demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: /metrics' request counts and latency
    "pamper.lib.logs.RequestIdMiddleware",  # X-Request-ID kept or made, returned, and in every log line
    "pamper.lib.dbrouter.ReadYourWritesMiddleware",  # which reads may use the replica; writers stay on the primary
    "pamper.ops.metrics.MetricsMiddleware",  # search latency, refusals by route
    "pamper.api_errors.ApiErrorShapeMiddleware",  # every error under /api/ leaves as {"code", "message"}
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pamper.lib.languages.PamperLocaleMiddleware",  # pages: the URL prefix; the API: Accept-Language
    "pamper.lib.clock.ViewerZoneMiddleware",  # the browser's zone (a cookie): a venue's zone is named if it differs
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    "pamper.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pamper.middleware.RefuseNulMiddleware",  # text with a NUL character: refused before any view or query sees it
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "pamper.middleware.PrivateCacheMiddleware",
    "pamper.middleware.DatabaseUnavailableMiddleware",
    "pamper.middleware.RefusalPageMiddleware",  # a Refusal no page view handled: its status and sentence
    "pamper.throttles.RateLimitMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "pamper.urls"
WSGI_APPLICATION = "pamper.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pamper" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "pamper.lib.languages.context",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pamper.seo.context_processors.head",  # the canonical URL and head tags of every page
            ],
            # Money, dates and numbers in the reader's language in every template, no {% load %} needed.
            "builtins": ["pamper.lib.format_tags"],
        },
    },
]

# Database: SQLite under DATA_DIR unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'pamper.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: opening one per request (the file, three PRAGMAs,
    # Django's SQL functions) cost each booking about a millisecond over gunicorn.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so a
        # check-then-insert cannot interleave with another writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# PostgreSQL's connection pool (psycopg_pool) in each process instead of one connection per thread kept for
# CONN_MAX_AGE: DATABASE_POOL=1, sized by DATABASE_POOL_MIN/MAX. Behind PgBouncer in transaction mode leave it off
# and set CONN_MAX_AGE=0 (Pamper keeps no session state across transactions: see docs/scaling.md).
if env_bool("DATABASE_POOL") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")), "timeout": 10}
# A streaming read replica (pamper/lib/dbrouter.py): search, guides, venue pages and free slots read from it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"]),
                            "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
                            "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["pamper.lib.dbrouter.ReplicaRouter"]
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
# After a write, the writer reads from the primary for this long (a cookie; a cache flag for bearer tokens).
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "venues:home"  # a URL name, reversed in the page's language (/fr/)

# Seven languages: English at /, the others under /fr/, /de/ ... (pamper/urls.py); the API follows Accept-Language
# (pamper.locale.PamperLocaleMiddleware). Catalogues: pamper/locale/<lang>/LC_MESSAGES/django.po (bin/messages).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt", "Português"),
]
LOCALE_PATHS = [BASE_DIR / "pamper" / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("PAMPER_HTTPS")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "pamper" / "static"]
# Uploaded files (pamper/lib/storage.py is the one door): the local folder MEDIA_ROOT by default, an S3-compatible
# bucket through django-storages when S3_BUCKET is set. Both overwrite a name that exists (callers pick fresh names).
if os.environ.get("S3_BUCKET"):
    _FILES = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["S3_BUCKET"],
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # unset: AWS itself
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,  # unset: boto3's usual chain (instance role ...)
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "location": os.environ.get("S3_PREFIX", ""),
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,  # "path" for most local servers
        "default_acl": None, "querystring_auth": True, "file_overwrite": True,  # private bucket, signed URLs only
    }}
else:
    _FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"allow_overwrite": True}}
FILE_UPLOAD_PERMISSIONS = 0o600  # uploads are private: only Pamper's own user reads them
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": _FILES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("PAMPER_TESTING")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("PAMPER_TESTING") or DEBUG
# Uploaded files (progress photos) live outside the static tree and are only
# served through views that check permission.
MEDIA_ROOT = DATA_DIR / "private"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pamper <bookings@pamper.localhost>")

# Background work: the database queue by default, RQ on Redis when TASKS_BACKEND=rq.
# Run workers with `pamper db_worker` (db) or `pamper rqworker default` (rq).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # RQ workers must run jobs through django-tasks
if os.environ.get("TASKS_BACKEND", "db") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")  # the rqworker command and RQ's queue settings
elif os.environ.get("TASKS_BACKEND") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Redis at scale (CACHE_URL). Without it, a folder under DATA_DIR that every process on this machine shares, so
# rate limits and sign-in lockouts count across gunicorn's workers; tests keep an in-process cache.
if os.environ.get("CACHE_URL"):
    _CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
elif env_bool("PAMPER_TESTING"):
    _CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    # pamper.lib.filecache: Django's file cache with a sweep every few seconds instead of a folder listing on every
    # write, expired entries swept before live ones, and counters that count under a lock.
    _CACHE = {"BACKEND": "pamper.lib.filecache.FileCache", "LOCATION": str(DATA_DIR / "cache" / "django"),
              "OPTIONS": {"MAX_ENTRIES": 50_000}}
CACHES = {"default": _CACHE}
# How many web processes serve this site on this machine (gunicorn's --workers; bin/run and pamper/gunicorn_conf.py
# set it). An in-process cache with more than one is an error for production (ops.E004): each counts its own limits.
WEB_PROCESSES = int(os.environ.get("WEB_WORKERS", "1"))


def _new_health_key() -> str:
    # cryptography is imported only to make a key: it is about 8 MB, and a web process that reads no health data
    # never needs it (pamper/clinical/crypto.py imports it on first use too).
    from cryptography.fernet import Fernet  # noqa: PLC0415 - see the comment above

    return Fernet.generate_key().decode()


# Health data encryption keys (Fernet, comma-separated, newest first: rotation).
PAMPER_HEALTH_KEYS = env_list("PAMPER_HEALTH_KEYS") or [
    _secret_from_file("PAMPER_HEALTH_KEY", "health_key", _new_health_key)
]

# Security. Production (DEBUG off, behind TLS) sets PAMPER_HTTPS=1.
HTTPS = env_bool("PAMPER_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the hx-headers attribute and forms, never read the cookie
CSRF_FAILURE_VIEW = "pamper.views.csrf_failure"  # the API's error shape under /api/, Django's page elsewhere
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The one switch for every per-client request limit (pamper/throttles.py: sign-up, token exchange, booking, search,
# reviews, API browsing). Off for the test suite (tests that check them switch them on) and for load benchmarks
# (PAMPER_RATE_LIMITS=0). Sign-in failure lockouts (pamper/accounts/lockout.py) are not request limits: always on.
RATE_LIMITS = env_bool("PAMPER_RATE_LIMITS", not env_bool("PAMPER_TESTING"))
# How many proxies in front add X-Forwarded-For; 0 trusts none, so a client cannot pick its own address.
NINJA_NUM_PROXIES = int(os.environ.get("PAMPER_NUM_PROXIES", "0"))

# Payments on Stripe (pamper/payments). Without keys every venue is pay-at-venue. STRIPE_API_BASE points the SDK at
# a local Stripe server (localstripe in tests and the demo), which also serves a mock Stripe.js; the payment pages
# allow that one script origin in their CSP (pamper/payments/views.py), no other page does.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "").rstrip("/")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL") or (
    f"{STRIPE_API_BASE}/js.stripe.com/v3/" if STRIPE_API_BASE else "https://js.stripe.com/v3/")
# Pamper's commission on what customers pay venues, in basis points (1000 = 10%): the payouts report uses it.
PAMPER_COMMISSION_BPS = int(os.environ.get("PAMPER_COMMISSION_BPS", "1000"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Feed, invitation and password-reset URLs carry their secret in the path: logged paths are redacted.
    "filters": {"redact": {"()": "pamper.lib.redact.RedactSecrets"}},
    # One JSON object per line (time, level, logger, message, request_id: pamper/lib/logs.py); LOG_FORMAT=text for
    # people reading a terminal.
    "formatters": {"json": {"()": "pamper.lib.logs.JsonFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"],
                             "formatter": "text" if os.environ.get("LOG_FORMAT") == "text" else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        **{name: {"filters": ["redact"]} for name in ("django.request", "django.server", "django.security", "pamper")},
    },
}

# Two-factor sign-in (django-otp): the name authenticator apps show next to the code.
OTP_TOTP_ISSUER = "Pamper"

# The operator's view (pamper/ops/views.py). /metrics (Prometheus) answers only these addresses (networks allowed)
# or a request with `Authorization: Bearer <METRICS_TOKEN>`. Behind a proxy on the same machine every request comes
# from the loopback address, so the address rule then only trusts a request with no X-Forwarded-For header.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1/32,::1/128")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# gunicorn's workers and the task workers of one machine write their metrics to files here (prometheus_client's
# multiprocess mode, read by /metrics); bin/run empties it at start. Set before prometheus_client is imported.
if not env_bool("PAMPER_TESTING"):
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "metrics"))
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
# A task worker that has not run the scheduler's heartbeat for this long makes /readyz report it as down.
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "180"))
# A replica further behind than this is reported by /readyz and skipped by the router: reads go to the primary.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
# Error reports to Sentry (or any server speaking its protocol) when set; no request bodies or personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from pamper.lib.sentry import start_sentry  # only when configured: the SDK's import costs time

    start_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
                 traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")))
