"""Settings of the geoportal, read from the environment in this one place.

Every variable is documented in README.md ("Configuration"). With DEBUG off the
settings are secure by default and refuse to start without SECRET_KEY and
ALLOWED_HOSTS. With DEBUG on (what `make run` uses) nothing needs configuring.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file at the repository root, for developers; real environment wins.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# --- Secrets and hosts: fail fast in production -------------------------------------
_DEV_SECRET_KEY = "dev-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README.md, Configuration)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 32 characters.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ------------------------------------------------------------------
INSTALLED_APPS = [
    "geoportal.core.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "geoportal.core",
    "geoportal.organisations",
    "geoportal.accounts",
    "geoportal.audit",
    "geoportal.catalogues",
    "layers",
    "reports",
    "monitoring",
    "workspace",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "geoportal.core.middleware.RequestContextMiddleware",
    "geoportal.core.middleware.SecurityHeadersMiddleware",
    "geoportal.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "geoportal.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware must stay last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geoportal.urls"
# Widgets render with the project templates too (our offline map widget lives in templates/gis/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "geoportal.wsgi.application"

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
                "geoportal.core.context_processors.portal",
                "layers.context_processors.register_nav",
                "reports.context_processors.reports_nav",
                "monitoring.context_processors.monitoring_nav",
                "workspace.context_processors.workspace_nav",

            ],
        },
    },
]

# --- Database: PostgreSQL + PostGIS only ------------------------------------------
# `make run`/`make test` point DATABASE_URL at the private cluster under .data/pg.
_DEFAULT_DEV_DB = "postgis://postgres@127.0.0.1:54329/geoportal"
if not DEBUG and not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")
DATABASES = {"default": env.db_url("DATABASE_URL", default=_DEFAULT_DEV_DB)}
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured("DATABASE_URL must use the postgis:// scheme (PostgreSQL + PostGIS).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses credentials for a locked-out username before any check.
    "axes.backends.AxesStandaloneBackend",
    "geoportal.accounts.authentication.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # seconds: a reset link lives one day

# Lockout after repeated failed logins (django-axes). The cool-off keeps an attacker
# from locking a victim out for good (RELIABILITY.md R-07).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Sessions: idle timeout 30 min, refreshed on activity (RELIABILITY.md R-09).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers: secure unless DEBUG ----------------------------------------
SECURE_TLS = env.bool("SECURE_TLS", default=not DEBUG)  # the site is served over HTTPS
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_TLS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_TLS
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "geoportal.core.views.csrf_failure"

# The base-map tile URL is a setting; the map works without it on our own
# administrative-unit polygons. Its origin is added to the CSP img-src.
BASEMAP_TILE_URL = env.str("BASEMAP_TILE_URL", default="")
BASEMAP_ATTRIBUTION = env.str("BASEMAP_ATTRIBUTION", default="")

# --- Internationalisation: Vietnamese first ---------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC
TIME_ZONE = "Asia/Ho_Chi_Minh"  # shown in Vietnam time (UTC+7, no DST)
FORMAT_MODULE_PATH = ["geoportal.formats"]

# --- Static and uploaded files ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".data" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
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
WHITENOISE_USE_FINDERS = DEBUG
# Upload limits (bytes): RequestSizeLimitMiddleware refuses larger request bodies (413)
# before they are read; the upload handlers check each file again.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_MAX_BYTES", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- E-mail: console by default ----------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="geoportal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work: the django.tasks API with the database backend; `manage.py
# db_worker` runs the queue (make run starts one worker beside gunicorn).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
                     "QUEUES": ["default"]}}
EXPORT_MAX_ROWS = env.int("EXPORT_MAX_ROWS", default=50_000)  # larger exports run in the background

# --- Annual BVMT reports (issue 5) ----------------------------------------------------
# Trusted roots for report signatures: PEM files. The default is the DEMO CA shipped
# in fixtures/demo/pki (clearly labelled, never for production).
DEMO_PKI_DIR = BASE_DIR / "fixtures" / "demo" / "pki"
REPORT_TRUST_ROOTS = env.list("REPORT_TRUST_ROOTS", default=[str(DEMO_PKI_DIR / "demo-root-ca.pem")])
# The agency's e-seal that signs receipts (PKCS#12 file and its password).
REPORT_ESEAL_P12 = env.str("REPORT_ESEAL_P12", default=str(DEMO_PKI_DIR / "agency-eseal.p12"))
REPORT_ESEAL_PASSWORD = env.str("REPORT_ESEAL_PASSWORD", default="HaiPhong@2025" if DEBUG else "")
if not DEBUG and not REPORT_ESEAL_PASSWORD:
    raise ImproperlyConfigured("REPORT_ESEAL_P12 and REPORT_ESEAL_PASSWORD (the agency's e-seal that signs "
                               "report receipts) must be set when DEBUG is off (see README.md, Configuration).")
# RFC 3161 time-stamping authority: PAdES B-T when set, B-B otherwise.
REPORT_TSA_URL = env.str("REPORT_TSA_URL", default="")
# Who receives a report (Art. 66(5) Circular 02/2022), in this order.
REPORT_RECIPIENT_RULES = env.list("REPORT_RECIPIENT_RULES",
                                  default=["permit_issuer", "department", "zone_board", "zone_investor"])
REPORT_UPLOAD_MAX_BYTES = env.int("REPORT_UPLOAD_MAX_BYTES", default=30 * 1024 * 1024)
# Reminder e-mails: days before the deadline (negative: after it).
REPORT_REMINDER_DAYS = env.list("REPORT_REMINDER_DAYS", cast=int, default=[30, 7, 1, -1])
# Periodic work that `manage.py run_scheduler` enqueues (task path, interval in seconds).
PERIODIC_TASKS = [
    ("reports.tasks.send_report_reminders", 6 * 3600),
    ("monitoring.tasks.ensure_reading_partitions", 24 * 3600),
    ("monitoring.tasks.detect_recent_exceedances", 15 * 60),
    # Daily VN_AQI of finished days, stored (statistics and Mẫu 03 read a year in milliseconds).
    ("monitoring.tasks.store_recent_daily_aqi", 6 * 3600),
    # The data package for the national environmental database (issue 7): weekly.
    ("exchange.tasks.build_scheduled_data_package", 7 * 24 * 3600),
]

# --- Environmental monitoring (issue 6) -------------------------------------------------
# The datalogger text layout is unconfirmed (DOMAIN.md 2 [U]): overrides of the defaults of
# monitoring.ingest.config.DataloggerFormat (separator, column order, time format and zone,
# status codes, file-name pattern, size limits), as JSON.
MONITORING_DATALOGGER_FORMAT = env.json("MONITORING_DATALOGGER_FORMAT", default={})
MONITORING_PUSH_MAX_BYTES = env.int("MONITORING_PUSH_MAX_BYTES", default=2 * 1024 * 1024)

# --- Cache: in-process by default ------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "geoportal.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "geoportal.core.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "geoportal.core.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # "station": per datalogger token; a station pushes every 5 minutes (Circular 10/2021), so
    # this only stops a runaway client.
    # A connection token's agreement may state its own rate (ApiToken.rate_limit_per_minute).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "geoportal.accounts.throttling.ApiTokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute", "station": "120/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hai Phong environmental geoportal API",
    "DESCRIPTION": (
        "API of the environmental information system and database of Hai Phong city. "
        "Errors use one JSON body (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # vendored assets, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Accounts review -----------------------------------------------------------------
ACCOUNT_REVIEW_INTERVAL_DAYS = env.int("ACCOUNT_REVIEW_INTERVAL_DAYS", default=180)
ACCOUNT_UNUSED_DAYS = env.int("ACCOUNT_UNUSED_DAYS", default=90)

# --- Logging: to stderr, never secrets ----------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "filters": {"request_id": {"()": "geoportal.core.middleware.RequestIdLogFilter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

SILENCED_SYSTEM_CHECKS = [
    # Lockout is keyed on the username on purpose: commune offices share one NAT
    # address, so an IP lockout would block a whole office (RELIABILITY.md R-07).
    "axes.W006",
    # Debian 12 ships GDAL 3.6; user-supplied SRS strings are never passed to GDAL,
    # imports accept EPSG codes only (README.md, "Security notes").
    "gis.W001",
]
DEMO_SITE = env.bool("DEMO_SITE", default=True)

# --- OpenID Connect (issue 7) ---
# Sign-in through a central authentication service, off by default: local accounts stay the
# default and the provider's identity is mapped to an existing account (geoportal/accounts/oidc.py).
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
if OIDC_ENABLED:
    _OIDC_REQUIRED = ["OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                      "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"]
    _oidc_missing = [name for name in _OIDC_REQUIRED if not env.str(name, default="")]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_ENABLED is set but {', '.join(_oidc_missing)} is missing (see README.md, Configuration)."
        )
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    # ID tokens are signed by the provider's key, published in its JWKS (never a shared secret).
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    if not OIDC_RP_SIGN_ALGO.startswith(("RS", "PS", "ES")):
        raise ImproperlyConfigured("OIDC_RP_SIGN_ALGO must be an asymmetric algorithm (RS256, PS256, ES256 …).")
    OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")  # checked against the token's "iss" when set
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="")  # empty: match accounts by e-mail
    # Unknown identities are refused; when allowed, the new account has no role until an admin grants one.
    OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "geoportal.accounts.oidc.PortalOIDCBackend"]
