"""The one settings module, read from the environment.

Safe by default: DEBUG is off unless the environment says DEBUG=1, so a forgotten variable
never ships debug pages (and start-up then asks for SECRET_KEY). The development targets
(`make demo`, `make serve`) and the test settings (config/test_settings.py) set DEBUG=1: SQLite
file, local-memory cache, inline background tasks, mail printed to the console. Production sets
SECRET_KEY (or SECRET_KEY_FILE), DATABASE_URL, REDIS_URL and ALLOWED_HOSTS; see
docs/deployment.md. Bad values stop start-up with a message naming the variable.
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from vocations.core.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VOCATIONS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off: "
            "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Shown on the legal pages (mentions légales, données personnelles). Production must set the
# first three: `check --deploy` refuses to pass without them (vocations/core/checks.py).
# Development gets a demo identity so the pages never read "édité par ,".
SITE_PUBLISHER = env_str("SITE_PUBLISHER", "Vocations (instance de démonstration)" if DEBUG else "")
SITE_CONTACT_EMAIL = env_str("SITE_CONTACT_EMAIL", "contact@vocations.demo" if DEBUG else "")
SITE_DPO_EMAIL = env_str("SITE_DPO_EMAIL", "dpo@vocations.demo" if DEBUG else "")
SITE_HOST = env_str("SITE_HOST", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml (vocations/web/audiences/sitemap.py): its view and template.
    "django.contrib.sitemaps",
    # Content-Security-Policy (django-csp); "ninja" serves the API docs from our own static
    # files instead of a CDN with inline script.
    "csp",
    "ninja",
    # Optional TOTP two-factor sign-in (required for staff in production): docs/security.md.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "vocations.core",
    "vocations.accounts",
    "vocations.territories",
    "vocations.careers",
    "vocations.events",
    "vocations.campaigns",
    "vocations.analytics",
    "vocations.ambassadors",
    "vocations.planner",
    "vocations.web",
    "vocations.backoffice",
    "vocations.api",
    "vocations.webhooks",
    # Project-level orchestration (demo data, reference loading): may import every app.
    "vocations.setup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, error pages included (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Signed-in sessions end after BACKOFFICE_IDLE_SECONDS without a request.
    "vocations.backoffice.idle.IdleTimeoutMiddleware",
    # A verified two-factor code before back-office and admin pages (when enrolled/required).
    "vocations.backoffice.two_factor.TwoFactorMiddleware",
    # Last: counts arrivals on public pages, cookie-less (docs/analytics.md).
    "vocations.analytics.middleware.VisitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "vocations.web.context_processors.site",
                "vocations.analytics.context_processors.visit_key",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "vocations.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://."
        )
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Celery on Redis in production, inline otherwise.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Audience measurement (docs/analytics.md). Visits go to a durable buffer: Redis in
# production, written at once in the embedded default; a Celery beat flushes the buffer.
ANALYTICS_ENABLED = env_bool("ANALYTICS_ENABLED", True)
ANALYTICS_BUFFER = env_str("ANALYTICS_BUFFER", "redis" if REDIS_URL else "direct")
if ANALYTICS_BUFFER not in {"direct", "database", "redis"}:
    raise ImproperlyConfigured(
        f"ANALYTICS_BUFFER={ANALYTICS_BUFFER!r} must be direct, database or redis."
    )
if ANALYTICS_BUFFER == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("ANALYTICS_BUFFER=redis needs REDIS_URL.")
ANALYTICS_FLUSH_INTERVAL = env_int("ANALYTICS_FLUSH_INTERVAL", 60, minimum=0)
# Tracked links answered by nginx (docs/analytics.md §3b): the folder where the app writes the
# link map and the njs handler (visits log in its log/ subfolder), and the command that makes
# nginx reload them. Empty: Django answers every /l/ itself.
ANALYTICS_NGINX_DIR = env_str("ANALYTICS_NGINX_DIR", "")
ANALYTICS_NGINX_RELOAD = env_str("ANALYTICS_NGINX_RELOAD", "")
# Proxies in front of Django whose X-Forwarded-For we trust (1 behind nginx).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
CELERY_TIMEZONE = "Europe/Paris"  # crontab hours below are Paris hours
# The visit pipeline's queue (docs/deployment.md, "Visit pipeline"): in production a worker of
# its own (`-Q analytics --concurrency 1`, niced) so that a spike's roll-ups never take the CPU
# of the web workers or delay the mails. Default: the common queue, as before.
ANALYTICS_QUEUE = env_str("ANALYTICS_QUEUE", "celery")
CELERY_TASK_ROUTES = {"vocations.analytics.tasks.*": {"queue": ANALYTICS_QUEUE}}
# The next-wave planner's posterior draws per channel (docs/planner.md): they feed the
# intervals of the predictions (the parameters' intervals are exact on the grid); cheap.
PLANNER_POSTERIOR_DRAWS = env_int("PLANNER_POSTERIOR_DRAWS", 400, minimum=50, maximum=5000)
CELERY_BEAT_SCHEDULE = {
    # A flush not started within 10 s is dropped: the next one claims the same work.
    "analytics-flush": {
        "task": "vocations.analytics.tasks.flush_visits",
        "schedule": 5.0,
        "options": {"expires": 10},
    },
    "analytics-salts": {"task": "vocations.analytics.tasks.rotate_salts", "schedule": 3600.0},
    # Organizers' daily digest of notices (docs/registration.md), yesterday's, each morning.
    "organizer-notice-digests": {
        "task": "vocations.events.tasks.queue_notice_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "personal-data-purge": {
        "task": "vocations.events.tasks.purge_personal_data",
        "schedule": 86400.0,
    },
    "import-files-purge": {
        "task": "vocations.core.jobs.purge_old_imports_task",
        "schedule": 3600.0,
    },
    "webhook-log-purge": {
        "task": "vocations.webhooks.tasks.purge_delivery_log",
        "schedule": 86400.0,
    },
    # Waiting-list offers unanswered at their deadline pass to the next in line.
    "waitlist-offers-expire": {
        "task": "vocations.events.tasks.expire_waitlist_offers",
        "schedule": 300.0,
    },
}
# Webhook deliveries (their payloads hold registrants' data) are deleted after this many days.
WEBHOOK_LOG_DAYS = env_int("WEBHOOK_LOG_DAYS", 30, minimum=1)
# Registrations and press requests are anonymized this many days after their event.
REGISTRATION_RETENTION_DAYS = env_int("REGISTRATION_RETENTION_DAYS", 90, minimum=1)

# Rate limits (vocations/core/ratelimit.py, docs/security.md): "count/period" per key, counted in
# the cache. Generous for people, short for scripts; nginx's limit_req sits in front.
RATE_LIMITS = {
    # Sign-in: per address, whatever the account (password spraying).
    "login-ip": "100/h",
    # Public registration: web form and API POST, per address and per e-mail + event.
    "registration-ip": "20/h",
    "registration-email": "5/h",
    "press-ip": "10/h",
    # Self-service pages, tickets and the registration API by token: token guessing.
    "token-ip": "120/10m",
    # Back-office ticket look-ups (check-in), per signed-in account.
    "checkin-user": "600/10m",
    # Password reset requests, per address and per e-mail.
    "password-reset-ip": "10/h",
    "password-reset-email": "3/h",
    # Two-factor codes, per account (on top of django-otp's own growing delay).
    "otp-user": "10/10m",
    # The API with a token (docs/api.md), per token: a partner's nightly sync fits easily.
    "api-token": "3600/h",
}
# Webhooks (docs/api.md): private, loopback and plain-http addresses are refused unless this
# is on (development and tests only: a local receiver). Never on in production.
WEBHOOKS_ALLOW_PRIVATE_URLS = env_bool("WEBHOOKS_ALLOW_PRIVATE_URLS", DEBUG)
# Sign-in lockout per account (vocations/accounts/lockout.py): after this many failures in a
# row, each further failure locks the account for twice as long, up to the maximum.
LOGIN_LOCKOUT_FREE_FAILURES = 5
LOGIN_LOCKOUT_FIRST_SECONDS = 30
LOGIN_LOCKOUT_MAX_SECONDS = 3600
# Public forms (registration, press): a bot fills them faster than this many seconds.
PUBLIC_FORM_MIN_SECONDS = env_int("PUBLIC_FORM_MIN_SECONDS", 3, minimum=0)
PUBLIC_FORM_MAX_SECONDS = 86400

# Mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vocations <ne-pas-repondre@vocations.local>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/organisateur/connexion/"
# Staff and organizers are signed out after this long without a request (backoffice/idle.py);
# a session never outlives a working day even when active.
BACKOFFICE_IDLE_SECONDS = env_int("BACKOFFICE_IDLE_SECONDS", 1800, minimum=60)
SESSION_COOKIE_AGE = 12 * 3600
# Staff must sign in with a TOTP code (django-otp) when this is on: by default in production.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = "Vocations"
LOGIN_REDIRECT_URL = "/organisateur/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: strict in production, relaxed only where plain-HTTP development needs it.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The health check is asked over plain HTTP by load balancers and by `make prod`'s
    # supervisor, straight to gunicorn: never redirected to https (docs/deployment.md).
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    # Off only for a plain-HTTP site (the local stack of `make prod` on 127.0.0.1): browsers
    # never send a Secure cookie over http. `check --deploy` refuses it with an https SITE_URL.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): no inline script or style anywhere, no third party
# but the map tiles. The 500 page's inline style is allowed by its hash (web/views.py).
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]) if "://" in MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The demo staff account created by `make demo` (development only).
DEMO_STAFF_EMAIL = "equipe@vocations.demo"

# Registration capacity lock: always on. Only config/test_settings.py lets the race tests turn
# it off (VOCATIONS_REGISTRATION_CAPACITY_LOCK=0), to prove they can fail; no environment
# variable can switch it off here.
REGISTRATION_CAPACITY_LOCK = True
