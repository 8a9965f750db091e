"""Gongyi settings: one module, driven by environment variables.

Defaults make `make run` work on a bare machine (SQLite in WAL mode, local-memory cache,
console e-mail and SMS). With DEBUG off, SECRET_KEY and GONGYI_PII_KEY must be given.
A bad value fails loudly at start-up rather than later.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# Development-only keys: good enough for the demo, refused when DEBUG is off.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
_DEV_PII_KEY = "ZGV2LW9ubHktcGlpLWtleS0zMi1ieXRlcy1sb25nISE="

SECRET_KEY = os.environ.get("SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
PII_KEY = os.environ.get("GONGYI_PII_KEY", "" if not DEBUG else _DEV_PII_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and (not PII_KEY or PII_KEY == _DEV_PII_KEY):
    raise ImproperlyConfigured("GONGYI_PII_KEY (a Fernet key) must be set when DEBUG is off.")

# ".localhost": the demo's district sites (jinjiang.localhost…); production lists each site's host.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "gongyi.core",
    "gongyi.regions",
    "gongyi.accounts",
    "gongyi.orgs",
    "gongyi.projects",
    "gongyi.notices",
    "gongyi.signups",
    "gongyi.attendance",
    "gongyi.service",
    "gongyi.certificates",
    "gongyi.growth",
    "gongyi.calendars",
    "gongyi.snapshots",
    "gongyi.sharing",
    "gongyi.stats",
    "gongyi.rankings",
    "gongyi.value",
    "gongyi.dashboard",
    "gongyi.traffic",
    "gongyi.sites",
    "gongyi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts page views (not static files: WhiteNoise answers those before it).
    "gongyi.traffic.middleware.TrafficMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongyi.sites.middleware.SiteMiddleware",
    "gongyi.core.middleware.UnprefixedLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongyi.core.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongyi.core.middleware.CachedPolicyMiddleware",
]

ROOT_URLCONF = "gongyi.urls"
WSGI_APPLICATION = "gongyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "gongyi.core.context_processors.roles",
                "gongyi.notices.context_processors.inbox",
                "gongyi.sites.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work at once; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue instead of failing with "database is locked" half-way through.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", False):
        # A pool: for a server with more threads than the database should see connections.
        _db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": int(os.environ.get("DB_POOL", 8))}}
        _db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not keep its own
    else:
        # Each of granian's few threads keeps its own connection between requests: nothing to
        # take from a pool and give back per request (a signup's instructions fell by 4.9 %,
        # bench_signup_instructions).
        _db["CONN_MAX_AGE"] = 600
    # A kept connection's health check (the pool's check on check-out) costs a SELECT 1 per
    # request: on where something between here and the database drops idle connections.
    _db["CONN_HEALTH_CHECKS"] = env_bool("DB_HEALTH_CHECKS", False)
else:
    raise ImproperlyConfigured(f"DATABASE_URL must be sqlite or postgresql, not {_db['ENGINE']}")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when given (production), local memory otherwise ---------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work: Django's tasks framework, stored in the database ----------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gongyi.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DEBUG and env_bool("FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Where SMS codes go: "console" prints them (development), "memory" keeps them for tests.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "gongyi.accounts.sms.ConsoleSender")
SMS_CODE_TTL_SECONDS = 300

MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
# Absolute: a district site's path fallback (/d/<slug>/) moves the script prefix, which
# Django would put in front of relative STATIC_URL and MEDIA_URL values.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("HTTPS", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# --- The platform's own traffic (gongyi.traffic): page views and concurrent visitors --------
TRAFFIC_RECORDING = env_bool("TRAFFIC_RECORDING", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
