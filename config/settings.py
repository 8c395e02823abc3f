"""Settings for the social care awards and leadership academy service.

Every value comes from an environment variable with a safe default, so that
`make run` works on a fresh machine with no servers (SQLite, local files, a
filesystem Celery broker) while production sets PostgreSQL, Redis and S3.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state of the embedded defaults: database, private uploads, broker
# folders, cache, secret key. Never used when production variables are set.
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")


def _local_secret_key() -> str:
    """A random key kept in var/ so that a local run never uses a known key."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
# A key copied from an example, or too short to resist guessing, must never
# sign sessions and password-reset links: refuse to start with one.
if not DEBUG and (
    SECRET_KEY.lower().startswith(("change-me", "changeme", "django-insecure", "secret", "placeholder"))
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 10
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY is a placeholder or too short: set it to a random string of at least 50 characters, e.g. "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = "Social Care Awards and Leadership Academy"
# The site's name in every email and page (allauth's `current_site.name`).
SITE_NAME = env.str("SITE_NAME", default=SERVICE_NAME) or SERVICE_NAME
# Who people contact, shown in the footer and wherever a page says "contact".
AWARDS_CONTACT_EMAIL = env.str("AWARDS_CONTACT_EMAIL", default="awards@care-awards.example")
AWARDS_CONTACT_PHONE = env.str("AWARDS_CONTACT_PHONE", default="0300 123 4567")
ACADEMY_CONTACT_EMAIL = env.str("ACADEMY_CONTACT_EMAIL", default="academy@care-awards.example")
# Ed25519 seed (32 bytes, base64url) that signs Open Badges credentials; kept
# in var/ when unset, so set it in production to keep credentials verifiable.
OB_SIGNING_KEY = env.str("OB_SIGNING_KEY", default="")
# Nomination evidence is deleted this many years after a cycle's results.
EVIDENCE_RETENTION_YEARS = env.int("EVIDENCE_RETENTION_YEARS", default=3)
# Webhooks (webhooks/destinations.py): plain HTTP to a loopback address is
# allowed only for a receiver on the same machine, in development and tests.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "govuk_frontend_django",
    "core",
    "accounts",
    "notifications",
    "awards",
    "judging",
    "courses",
    "accreditation",
    "leaders",
    "regulator",
    "webhooks",
    "pages",
    "devtools",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First: a body too large for its address is refused before anything reads it.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
]

# Request bodies (checked by core.middleware.RequestSizeLimitMiddleware on
# Content-Length before anything is read; the proxy in docker-compose.yml
# enforces the same limits in front). Views that take uploads say so with
# core.uploads.accepts_uploads; everything else takes an ordinary form.
FORM_BODY_LIMIT = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = FORM_BODY_LIMIT
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Uploads above this are written to a temporary file, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

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
                "pages.context_processors.service",
            ],
            "libraries": {"govuk_forms": "core.templatetags.govuk_forms"},
            # uk_datetime, the form helpers and the table tags are used in almost every template.
            "builtins": ["core.templatetags.govuk_forms", "core.templatetags.govuk_tables"],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

# Database: SQLite for the embedded default, PostgreSQL in production and tests.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL and immediate transactions
    # avoid "database is locked" (measured in STACK-NOTES).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # The planner's default cost of a random read assumes spinning disks; with
    # the data in memory or on SSD, 1.1 lets it choose index lookups (a nested
    # loop over 50 rows instead of hashing 5,000 organisations, for example).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", env.str("DB_OPTIONS", default="-c random_page_cost=1.1")
    )
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate limits and TOTP replay protection live here, so it must be
# shared by every process: Redis in production, a file cache locally.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.caching.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="care"),
        },
        # When Redis cannot be reached, the cache carries on in the database:
        # sign-in, code and sign-up limits and one-time-code replay marks keep
        # counting (core.caching).
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_fallback",
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="care"),
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Judges', staff and media partners' sessions (those that need two-factor
# authentication) end after this long without a request, with a warning two
# minutes before (WCAG 2.2.1: the person can stay signed in), and after
# SESSION_MAX_SECONDS however active. Everyone else's last two weeks.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=12 * 3600)
SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Deleting an account, granting roles and changing one's own two-factor
# set-up need a password and (where set up) a code entered this recently.
REAUTHENTICATION_SECONDS = 5 * 60
# /health/ tells which component fails only to site staff or to a request
# with this token in the X-Health-Token header (for monitoring).
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute from one address, 5 in 5 minutes for one email.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# Changing one's two-factor set-up needs a password (and code) entered in the
# last REAUTHENTICATION_SECONDS: accounts.mfa_urls wraps each such page in
# accounts.decorators.fresh_sign_in_required, which counts the sign-in itself.
# allauth's own check counts only a separate "confirm your password" step, so
# a judge who had just signed in was asked for the password again.
MFA_REAUTHENTICATION_REQUIRED = False
MFA_FORMS = {
    "authenticate": "accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "accounts.forms.MfaReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTotpForm",
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_build"]

# Uploaded files are private: never served from a public URL, only through
# views that check permission. S3 when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            "signature_version": "s3v4",
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "querystring_auth": True,
            "querystring_expire": 60,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
else:
    private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private-media"), "base_url": None},
    }
STORAGES = {
    "default": private_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = VAR_DIR / "private-media"

# Email: console by default, so a local run prints verification links;
# production sets EMAIL_URL (e.g. smtp+tls://user:pass@host:587).
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Social Care Awards <no-reply@care-awards.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox sweep (notifications.sending) sends again an email whose claim is
# older than this (its worker died mid-send), and sends an unclaimed one queued
# longer ago than the grace (its task was lost). The cluster test shortens both.
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=300)
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=60)

# Celery: a broker that needs no server by default (kombu's filesystem
# transport, polled about once a second); Redis in production and tests.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery-broker"
    # kombu creates none of its folders.
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A web request must never hang on a broker that is down: publishing fails
# fast and the outbox sweep sends what was not handed over.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule is defined in code: each app declares its own periodic
# jobs (beat_schedule() in its tasks.py; reminder sweeps in its reminders.py),
# and config/celery.py adds them to the project-wide jobs listed here when a
# worker or beat starts. django-celery-beat copies the whole schedule into the
# database at start so that it is visible in the admin.
CELERY_BEAT_SCHEDULE = {}
# Staff exports with more rows than this are built by a Celery worker into
# storage, with a page to follow and an email when ready (core.export_jobs).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=2000)

# Security headers. HTTPS settings switch on with SECURE_SSL_REDIRECT.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The API (api/, README "API"): personal access tokens only (no session, so
# no CSRF), JSON only, every request throttled in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.EndpointPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle", "api.throttling.TokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env.str("API_ANONYMOUS_RATE", default="60/min"),
        "token": env.str("API_TOKEN_RATE", default="600/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Behind the proxy, the client's address is the last X-Forwarded-For hop;
    # otherwise the header is ignored, so a client cannot choose its own.
    "NUM_PROXIES": 1 if SECURE_PROXY_SSL_HEADER else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SERVICE_NAME} API",
    "DESCRIPTION": (
        "Public, read-only: the course register, accreditations, announced winners and credentials. "
        "With a personal access token (Authorization: Bearer): what the token's scopes and its person's "
        "current roles allow."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
