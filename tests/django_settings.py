"""Settings for the test suite: production-like (DEBUG off) with test values for the
variables that production must set. Everything else comes from geoportal.settings."""
import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests and the live server speak plain HTTP on loopback; TLS-only flags would drop cookies.
os.environ.setdefault("SECURE_TLS", "false")
# The demo e-seal (fixtures/demo/pki) signs receipts in tests.
os.environ.setdefault("REPORT_ESEAL_PASSWORD", "HaiPhong@2025")
os.environ.setdefault("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/geoportal")

from geoportal.settings import *  # noqa: E402,F401,F403

# Fast hashing in tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
