"""Settings fail fast in production and are secure by default."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEY = "k" * 50


def load_settings(**env):
    """Import geoportal.settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_TLS", "DJANGO_SETTINGS_MODULE",
        "REPORT_ESEAL_PASSWORD"}}
    clean.update(env)
    code = ("import json, geoportal.settings as s; print(json.dumps({k: getattr(s, k) for k in "
            "['DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT',"
            "'LANGUAGE_CODE','TIME_ZONE','SECURE_CONTENT_TYPE_NOSNIFF','X_FRAME_OPTIONS']}))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    r = load_settings(DEBUG="false", ALLOWED_HOSTS="geoportal.example.vn", DATABASE_URL="postgis://u@h/db")
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and "SECRET_KEY" in r.stderr


@pytest.mark.parametrize("env,needle", [
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"SECRET_KEY": KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ({"SECRET_KEY": KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ({"SECRET_KEY": KEY, "ALLOWED_HOSTS": "a.vn", "DATABASE_URL": ""}, "DATABASE_URL"),
    ({"SECRET_KEY": KEY, "ALLOWED_HOSTS": "a.vn", "DATABASE_URL": "sqlite:///x.db"}, "postgis"),
    ({"SECRET_KEY": KEY, "REPORT_ESEAL_PASSWORD": ""}, "REPORT_ESEAL_PASSWORD"),
])
def test_other_fail_fast_checks(env, needle):
    base = {"DEBUG": "false", "ALLOWED_HOSTS": "a.vn", "DATABASE_URL": "postgis://u@h/db",
            "REPORT_ESEAL_PASSWORD": "seal-password"}
    r = load_settings(**{**base, **env})
    assert r.returncode != 0 and needle in r.stderr


def test_secure_defaults_in_production():
    import json

    r = load_settings(DEBUG="false", SECRET_KEY=KEY, ALLOWED_HOSTS="geoportal.example.vn",
                      DATABASE_URL="postgis://u@h/db", REPORT_ESEAL_PASSWORD="seal-password")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["X_FRAME_OPTIONS"] == "DENY"


def test_development_mode_needs_no_configuration():
    import json

    r = load_settings(DEBUG="true")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["LANGUAGE_CODE"] == "vi" and s["TIME_ZONE"] == "Asia/Ho_Chi_Minh"


def test_responses_carry_security_headers(db, client):
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert r["X-Content-Type-Options"] == "nosniff" and r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin" and r["X-Request-ID"]
