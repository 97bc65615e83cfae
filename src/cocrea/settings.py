"""Django settings for Cocrea, read from environment variables.

DATABASE_URL   postgres://user:pass@host:port/db (psycopg 3) or sqlite:///path;
               default: SQLite file var/cocrea.sqlite3 under the project root.
SECRET_KEY     required unless COCREA_DEBUG is on.
ALLOWED_HOSTS  comma-separated host names.
COCREA_DEBUG   1/true/yes to enable debug mode.
COCREA_VAR_DIR/local.env (written by `cocrea demo`) supplies what the environment does not.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cocrea.operations import localenv


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = localenv.var_dir(BASE_DIR)
# The demo's var/local.env (a generated SECRET_KEY), so later commands in any shell work.
LOCAL_ENV_FILE = localenv.load(VAR_DIR)

DEBUG = env_bool("COCREA_DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set unless COCREA_DEBUG is on "
            "(or run `cocrea demo` once, which writes var/local.env)."
        )
    SECRET_KEY = "cocrea-insecure-development-key"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_ratelimit",
    "csp",
    "health_check",
    "django_tasks_db",
    "cocrea.core",
    "cocrea.operations",
    "cocrea.accounts",
    "cocrea.territory",
    "cocrea.participants",
    "cocrea.plans",
    "cocrea.participation",
    "cocrea.money",
    "cocrea.events",
    "cocrea.evaluation",
    "cocrea.search",
    "cocrea.notifications",
    "cocrea.web",
    "cocrea.opendata",
    "cocrea.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cocrea.operations.middleware.LoginRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cocrea.urls"
WSGI_APPLICATION = "cocrea.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocrea.core.context_processors.site",
                "cocrea.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cocrea.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo serve reads while a write is waiting.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every log-in link goes to the public log-in, which returns to the page the person came
# from (`next`); the back office keeps its own log-in page for staff.
LOGIN_URL = "accounts:login"

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("COCREA_MEDIA_DIR", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve files straight from the app folders so `cocrea demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Every message goes through the task queue (`cocrea.operations.mail`); the worker hands it
# to the backend named by EMAIL_BACKEND, so a mail outage never fails a saved action.
EMAIL_BACKEND = "cocrea.operations.mail.TaskEmailBackend"
COCREA_EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cocrea <no-responder@cocrea.local>")

# Background work (imports, exports, e-mail) is a task of Django's Tasks framework
# (django-tasks, the backport of django.tasks), stored in the database and run by
# `cocrea worker`; the same code runs on SQLite (demo) and PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("COCREA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Rate limits (django-ratelimit) count in the shared cache below. The client address is
# REMOTE_ADDR, or through COCREA_TRUSTED_PROXIES proxies of ours the N-th address from the
# right of X-Forwarded-For (see cocrea.operations.ratelimit).
COCREA_TRUSTED_PROXIES = int(os.environ.get("COCREA_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "cocrea.operations.ratelimit.client_ip"
# Overrides of the default rates, e.g. COCREA_RATE_LIMITS="register-ip=200/10m,login-ip=100/10m".
COCREA_RATE_LIMITS = dict(
    item.strip().split("=", 1)
    for item in os.environ.get("COCREA_RATE_LIMITS", "").split(",")
    if "=" in item
)
RATELIMIT_VIEW = "cocrea.operations.views.too_many"
# django-ratelimit names only memcached and django-redis as supported; Django's RedisCache
# and our database cache (cocrea.operations.cache, with an atomic incr) are both atomic.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

COCREA_TASK_MAX_ATTEMPTS = int(os.environ.get("COCREA_TASK_MAX_ATTEMPTS", "3"))
COCREA_WORKER_STALE_SECONDS = int(os.environ.get("COCREA_WORKER_STALE_SECONDS", "60"))

# One cache shared by every process (rate limits must count across gunicorn workers):
# Django's database cache by default (its table is created by `migrate`), Redis when
# COCREA_CACHE_URL=redis://host:6379/0 is set, a per-process memory cache with locmem://.
COCREA_CACHE_URL = os.environ.get("COCREA_CACHE_URL", "").strip()
if COCREA_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": COCREA_CACHE_URL,
        }
    }
elif COCREA_CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif COCREA_CACHE_URL:
    raise ImproperlyConfigured("COCREA_CACHE_URL must start with redis://, rediss:// or locmem://")
else:
    CACHES = {
        "default": {
            "BACKEND": "cocrea.operations.cache.DatabaseCache",
            "LOCATION": "cocrea_cache",
        }
    }

# HTTPS (on by default outside debug mode; COCREA_HTTPS=0 for a plain-HTTP test stack):
# redirect to https, secure cookies, HSTS. Behind our proxies (COCREA_TRUSTED_PROXIES) the
# scheme comes from their X-Forwarded-Proto.
COCREA_HTTPS = env_bool("COCREA_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = COCREA_HTTPS
SESSION_COOKIE_SECURE = env_bool("COCREA_SECURE_COOKIES", COCREA_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("COCREA_HSTS_SECONDS", 31536000 if COCREA_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("COCREA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("COCREA_HSTS_PRELOAD", False)
if COCREA_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's probe is plain HTTP from inside: no redirect for /health/.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
X_FRAME_OPTIONS = "DENY"
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain for years: the domain owner's decision, not ours.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content Security Policy (django-csp 4): scripts and styles only from our own static files
# (no inline <script>, <style> or style=""; pages use classes and static/cocrea/cocrea.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COCREA_LOG_LEVEL", "WARNING")},
}

# Absolute links in e-mails sent outside a request (e.g. notifications to followers).
COCREA_BASE_URL = os.environ.get("COCREA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The open-data desk's institutional mailbox, the contact point of the catalogue (/data.json).
COCREA_OPEN_DATA_EMAIL = os.environ.get("COCREA_OPEN_DATA_EMAIL", "datos-abiertos@cocrea.org.mx")

# Sigue el Dinero: Parquet snapshots queried with DuckDB.
COCREA_MONEY_DIR = Path(os.environ.get("COCREA_MONEY_DIR", VAR_DIR / "money"))
