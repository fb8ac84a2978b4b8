"""Settings for csweek, read from the environment so one codebase runs embedded or in production."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CSWEEK_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
# A .env file is a convenience for local runs; real deployments set the environment.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# In production these must be set explicitly; the embedded defaults only make sense for a
# developer's machine. Start-up stops with one line naming every missing variable.
REQUIRED_IN_PRODUCTION = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SITE_URL",
)
if not DEBUG:
    _missing = [name for name in REQUIRED_IN_PRODUCTION if not os.environ.get(name)]
    if _missing:
        raise SystemExit(
            "csweek: missing required environment variable(s) for production "
            f"(DJANGO_DEBUG is off): {', '.join(_missing)}"
        )

SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-csweek-development-only-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "template_partials",
    "people",
    "events",
    "recognition",
    "surveys",
    "outbox",
    "audit",
    # After the outbox: its email kind uses the announcements preference the outbox declares.
    "insights",
    "csweek",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "csweek.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csweek.middleware.RequestBodyLimitMiddleware",
    "csweek.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csweek.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "people.middleware.UserTimezoneMiddleware",
    "csweek.middleware.HourCycleMiddleware",
    "people.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "csweek.urls"
WSGI_APPLICATION = "csweek.wsgi.application"

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
                "csweek.context_processors.navigation",
                "csweek.context_processors.open_surveys",
                "csweek.context_processors.organisation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'csweek.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several processes (web, worker, beat) share one file: wait for locks instead of failing.
    # WAL lets readers work while a writer commits; synchronous=NORMAL skips the fsync on every
    # commit (WAL stays consistent; only a power cut can drop the last commits), which the
    # outbox's one-commit-per-email needs to go faster than ~100 emails a second.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-csweek.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # csweek's queries are short; PostgreSQL's JIT, triggered by an overestimated grouping, compiled
    # one page's query on every request (617 of 637 ms). Off for csweek's connections only.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    # Parameters bound on the server let psycopg prepare a statement once a connection has run it a
    # few times (prepare_threshold): a page's queries, the same on every request, are then no longer
    # planned on each request (planning the six-join review and wall queries cost more than running
    # them). Incompatible with a pooler in transaction mode (PgBouncer): set it to 0 behind one.
    if DATABASES["default"]["OPTIONS"].setdefault(
        "server_side_binding", env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    ):
        # Django leaves psycopg's preparing off unless told; psycopg keeps 100 per connection.
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, sessions) ----------------------------------------------------------
# allauth counts failed sign-ins here: in production every web process must share it (Redis),
# or each process would allow its own five attempts.
# The embedded default is a folder every process of `make run` shares (web, worker, beat): a change
# the worker makes (an award announced, an email sent) bumps a data version the web process reads.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, without a new Redis client built for every cache call (csweek/core/cache.py).
    CACHES["default"]["BACKEND"] = "csweek.core.cache.ReusedClientRedisCache"
# The key pages, rendered, per viewer, until their data changes (csweek/core/pagecache.py). Off:
# every page rendered on every request, as a way to measure or rule the cache out.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# Sessions are written to the database and read from the shared cache, so a signed-in request
# costs no session query. Only in production: the embedded default's file cache is no faster than
# reading the session from SQLite.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db" if DEBUG else "django.contrib.sessions.backends.cached_db"
)

# --- Auth and accounts ----------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Where the admin back office lives; its sign-in page hands over to allauth's (people/admin.py).
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
# The domain and invitation rules belong to sign-up only, so they live on the form, not in the
# adapter's clean_email (which allauth also calls for password resets and single sign-on).
ACCOUNT_FORMS = {"signup": "people.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None  # None shows the "Remember me" box.
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[csweek] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# The 6th failed login for one account within 5 minutes is refused (allauth's login_failed rate).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Two-factor authentication (allauth.mfa): an authenticator app, with recovery codes for a lost
# phone. Passkeys/security keys ("webauthn") are left out: they need allauth's scripts on the
# sign-in pages and a browser authenticator to test, for little gain over TOTP here.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "csweek"
# Coordinators, admin staff and superusers must set up an authenticator before using the site
# (people/middleware.py); agents and managers may opt in from their profile.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
SIGNUP_ALLOWED_DOMAINS = [d.lower().lstrip("@") for d in env.list("SIGNUP_ALLOWED_DOMAINS", default=[])]

# Optional OpenID Connect single sign-on (Microsoft Entra, Google Workspace, Okta, ...).
# Configure here from the environment, or add a "Social application" in the admin instead.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {}
if env("OIDC_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="sso"),
                "name": env("OIDC_NAME", default="Single sign-on"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ],
    }

# --- Internationalisation and time zones ----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")  # also the default zone of new users
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# --- Uploaded media (profile and award photos) -----------------------------------------------
# Never served as static files: csweek.core.media serves them to signed-in people only, from a
# local folder (MEDIA_STORAGE=local) or an S3-compatible bucket (MEDIA_STORAGE=s3) by a redirect
# to a short-lived signed URL.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
# With nginx in front: an internal location aliased to MEDIA_ROOT, e.g. "/protected-media/";
# the app then answers with X-Accel-Redirect and nginx sends the file.
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", default="")
# How long a signed URL to a photo in the bucket works (MEDIA_STORAGE=s3).
MEDIA_SIGNED_URL_SECONDS = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
if MEDIA_STORAGE == "s3":
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_LOCATION", default=""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": MEDIA_SIGNED_URL_SECONDS,
        },
    }
    # A photo is an <img> of csweek redirected to the bucket: the page's img-src must allow the
    # bucket's origin (both addressing styles), or the browser refuses the redirected picture.
    _endpoint = urlsplit(_MEDIA_BACKEND["OPTIONS"]["endpoint_url"] or "")
    _bucket = _MEDIA_BACKEND["OPTIONS"]["bucket_name"]
    if _endpoint.netloc:
        _MEDIA_IMG_ORIGINS = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{_bucket}.{_endpoint.netloc}",
        ]
    else:
        _region = _MEDIA_BACKEND["OPTIONS"]["region_name"] or "us-east-1"
        _MEDIA_IMG_ORIGINS = [
            f"https://{_bucket}.s3.amazonaws.com",
            f"https://{_bucket}.s3.{_region}.amazonaws.com",
        ]
elif MEDIA_STORAGE == "local":
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _MEDIA_IMG_ORIGINS = []
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")

STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------
MAIL_DIR = Path(env("MAIL_DIR", default=str(VAR_DIR / "mail")))
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "csweek.mail_backends.ConsoleAndFolderBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="csweek <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery" / "queue")))
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "store_processed": False,
        "control_folder": str(_queue_dir.parent / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis", "rediss")):
    # A request must never hang on a broker that is down: fail fast and let the caller cope (the
    # outbox leaves the email pending for its sweep). Publishing is bounded by about 2 s whether
    # the broker refuses, never answers the connection, or accepts it and then stays silent;
    # socket_timeout must stay above kombu's 1 s BRPOP poll.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Email outbox (outbox/services.py explains the guarantee) --------------------------------
OUTBOX_CHUNK_SIZE = env.int("OUTBOX_CHUNK_SIZE", default=100)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BACKOFF = env.float("OUTBOX_RETRY_BACKOFF", default=5.0)  # seconds, doubled per attempt
OUTBOX_RETRY_BACKOFF_MAX = env.float("OUTBOX_RETRY_BACKOFF_MAX", default=600.0)
OUTBOX_REQUEUE_AFTER = env.int("OUTBOX_REQUEUE_AFTER", default=300)  # pending this long: publish again
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=900)  # sending this long: worker lost

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.bool("DJANGO_BEHIND_PROXY", default=False):
        # The proxy terminates TLS and says so in X-Forwarded-Proto; it also does the redirect,
        # so the redirect warning is expected when it is switched off here.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
        if not SECURE_SSL_REDIRECT:
            SILENCED_SYSTEM_CHECKS = ["security.W008"]

# --- HTTP hardening -------------------------------------------------------------------------
# Scripts and styles come only from our static files: no inline code (STYLE.md, "Pages").
# Single sign-on starts with a form posted to csweek that redirects to the provider, and browsers
# apply form-action to that redirect too: the provider's origin must be allowed. Providers added
# in the admin instead of the environment are listed in CSP_EXTRA_FORM_ACTION.
_FORM_ACTION_ORIGINS = [
    urlsplit(app["settings"]["server_url"])._replace(path="", query="", fragment="").geturl()
    for app in SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
] + env.list("CSP_EXTRA_FORM_ACTION", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MEDIA_IMG_ORIGINS, *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *_FORM_ACTION_ORIGINS],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# The whole request body (uploads included) is refused with a 413 above this size.
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=5)
# Django's 2.5 MB defaults, never above the body limit: form fields held in memory, and the size
# above which an uploaded file spools to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = min(2_621_440, MAX_UPLOAD_MB * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = min(2_621_440, MAX_UPLOAD_MB * 1024 * 1024)

# --- Logging: JSON lines on stdout in production, readable text when debugging --------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": sys.stdout, "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Product settings -----------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="csweek-demo-2026")
# The most nominations one person may send in 24 hours (against spam).
RECOGNITION_DAILY_NOMINATION_LIMIT = env.int("RECOGNITION_DAILY_NOMINATION_LIMIT", default=20)

# Survey results show a slice (whole survey, team, role) only when at least this many answered it.
SURVEY_MIN_RESPONDENTS = env.int("SURVEY_MIN_RESPONDENTS", default=5)

# --- Chat posts (Slack, Teams incoming webhooks; see outbox/chat.py) ---------------------------
CHAT_WEBHOOK_TIMEOUT = env.float("CHAT_WEBHOOK_TIMEOUT", default=10.0)  # seconds per POST
