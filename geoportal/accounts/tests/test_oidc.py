"""OpenID Connect sign-in against a fake provider served from a thread of the test.

The provider publishes a JWKS with an RSA key made here, answers the token endpoint with an RS256
id_token and serves userinfo; the Django test client plays the browser through
/oidc/authenticate/ → (provider) → /oidc/callback/.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.messages import constants, get_messages
from django.urls import include, path

from geoportal import urls as root_urls
from geoportal.accounts.models import User
from geoportal.audit.models import AuditEvent
from geoportal.scopes import scope_for

# This module is the URLconf of its tests: the portal's routes plus the OIDC ones, which
# geoportal/urls.py only adds when OIDC_ENABLED is set at start-up.
urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *root_urls.urlpatterns]
handler400, handler403 = root_urls.handler400, root_urls.handler403
handler404, handler500 = root_urls.handler404, root_urls.handler500
pytestmark = pytest.mark.urls("geoportal.accounts.tests.test_oidc")

CLIENT_ID, CLIENT_SECRET = "geoportal-test", "client-secret-for-tests"
BACKEND = "geoportal.accounts.oidc.PortalOIDCBackend"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@functools.cache
def _rsa_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name for the whole module (key generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    """A minimal OpenID provider: token, JWKS and userinfo endpoints on 127.0.0.1."""

    def __init__(self):
        self.key = _rsa_key("provider")
        self.kid = "test-key-1"
        self.grants: dict[str, dict] = {}  # code -> what the token endpoint answers
        self.userinfo: dict[str, dict] = {}  # access token -> claims
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _json(self, status: int, body: dict):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json(200, {"keys": [{**jwk, "kid": provider.kid, "alg": "RS256", "use": "sig"}]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.userinfo.get(token)
                    return self._json(200, claims) if claims else self._json(401, {"error": "invalid_token"})
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                grant = provider.grants.pop(form.get("code", ""), None)  # a code works once
                if self.path != "/token" or grant is None:
                    return self._json(400, {"error": "invalid_grant"})
                verifier = form.get("code_verifier", "")
                challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
                if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET) \
                        or form.get("redirect_uri") != grant["redirect_uri"] or challenge != grant["challenge"]:
                    return self._json(400, {"error": "invalid_client"})
                return self._json(200, {"access_token": grant["access_token"], "id_token": grant["id_token"],
                                        "token_type": "Bearer", "expires_in": 300})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.base
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def sign(self, claims: dict, *, key=None, alg: str = "RS256", kid: str | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm=alg, headers={"kid": kid or self.kid})

    def authorize(self, params: dict, *, claims: dict, id_token_claims: dict | None = None,
                  userinfo: dict | None = None, tamper=None) -> str:
        """What the provider does once the person has signed in there: a code for the callback."""
        now = int(time.time())
        token_claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                        "nonce": params["nonce"], **claims, **(id_token_claims or {})}
        token_claims = {k: v for k, v in token_claims.items() if v is not None}
        id_token = self.sign(token_claims)
        if tamper is not None:
            id_token = tamper(self, id_token, token_claims)
        code, access_token = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.grants[code] = {"id_token": id_token, "access_token": access_token,
                             "redirect_uri": params["redirect_uri"], "challenge": params["code_challenge"]}
        self.userinfo[access_token] = userinfo if userinfo is not None else dict(claims)
        return code


@pytest.fixture
def provider():
    fake = FakeProvider()
    yield fake
    fake.close()


@pytest.fixture
def oidc(settings, provider, monkeypatch):
    """The settings the OIDC block of geoportal/settings.py sets when OIDC_ENABLED is on."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.base + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.base + "/token"
    settings.OIDC_OP_USER_ENDPOINT = provider.base + "/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = provider.base + "/jwks"
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USERNAME_CLAIM = ""
    settings.OIDC_CREATE_USER = False
    settings.OIDC_USE_PKCE = True
    settings.OIDC_TIMEOUT = 5
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return provider


@pytest.fixture
def officer(world):
    user = world.users["commune_officer"]
    user.email = "can.bo.xa.a@haiphong.gov.vn"
    user.save(update_fields=["email"])
    return user


def sign_in(client, provider, claims: dict, *, next_url: str = "/accounts/users/", **kwargs):
    """Run the whole code flow; returns the callback's response."""
    r = client.get("/oidc/authenticate/", {"next": next_url})
    assert r.status_code == 302
    location = urlsplit(r["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.base + "/authorize"
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert params["client_id"] == CLIENT_ID and params["response_type"] == "code"
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert "openid" in params["scope"].split() and params["state"] and params["nonce"]
    assert params["code_challenge_method"] == "S256"
    unverified = kwargs.pop("unverified", False)
    if "email" in claims and "email_verified" not in claims and not unverified:
        claims = {**claims, "email_verified": True}  # what a provider says of an address it checked
    userinfo = kwargs.get("userinfo")
    if userinfo and "email" in userinfo and "email_verified" not in userinfo:
        kwargs["userinfo"] = {**userinfo, "email_verified": claims.get("email_verified")}
    code = provider.authorize(params, claims=claims, **kwargs)
    return client.get("/oidc/callback/", {"code": code, "state": params["state"]})


def _me(client):
    r = client.get("/api/v1/me/")
    return r.json()["username"] if r.status_code == 200 else None


def _refusals():
    return list(AuditEvent.objects.filter(action="auth.oidc_refused").values_list("changes__reason", flat=True))


def test_a_known_person_signs_in_to_their_existing_account(oidc, officer, client):
    """Matched by e-mail (case-insensitive): logged in as that account, with its own roles and scope."""
    r = sign_in(client, oidc, {"sub": "cas-123", "email": "Can.Bo.Xa.A@haiphong.gov.vn", "email_verified": True})
    assert r.status_code == 302 and r["Location"] == "/accounts/users/"
    assert _me(client) == officer.username
    assert client.get("/accounts/users/").status_code == 200
    event = AuditEvent.objects.get(action="auth.oidc_login")
    assert event.object_id == str(officer.pk) and event.actor_id == officer.pk
    assert event.changes == {"sub": "cas-123", "iss": oidc.issuer, "matched_by": "email", "bound": True}
    officer.refresh_from_db()
    assert officer.oidc_subject == f"{oidc.issuer}|cas-123"  # bound at the first sign-in
    assert AuditEvent.objects.filter(action="auth.login", actor=officer).exists()
    # The client authenticated at the token endpoint and proved the PKCE verifier (checked by the fake).
    assert oidc.token_requests[-1]["grant_type"] == "authorization_code"
    assert _refusals() == []


def test_matching_by_a_username_claim(oidc, officer, client, settings):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    r = sign_in(client, oidc, {"sub": "cas-9", "preferred_username": officer.username, "email": "other@example.vn"})
    assert r.status_code == 302
    assert _me(client) == officer.username
    assert AuditEvent.objects.get(action="auth.oidc_login").changes["matched_by"] == "preferred_username"


def test_an_unknown_person_is_refused_and_no_account_is_made(oidc, officer, client):
    users_before = User.objects.count()
    r = sign_in(client, oidc, {"sub": "cas-404", "email": "nobody@example.vn"})
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert _me(client) is None
    assert User.objects.count() == users_before
    assert _refusals() == ["unknown_account"]
    assert [m.level for m in get_messages(r.wsgi_request)] == [constants.ERROR]


def test_creation_when_allowed_gives_no_role(oidc, world, client, settings):
    """With OIDC_CREATE_USER the account is made, but it has no organisation and no role."""
    settings.OIDC_CREATE_USER = True
    r = sign_in(client, oidc, {"sub": "cas-new", "email": "moi@haiphong.gov.vn", "given_name": "Lan"})
    assert r.status_code == 302
    user = User.objects.get(email="moi@haiphong.gov.vn")
    assert (user.username, user.roles, user.organisation_id, user.first_name) == ("moi@haiphong.gov.vn", [], None, "Lan")
    assert not user.has_usable_password()
    assert scope_for(user).capabilities == frozenset()
    assert _me(client) == user.username
    assert client.get("/accounts/users/").status_code == 403  # an admin grants roles first
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def _payload_swapped(provider, token, claims):
    """Keep the provider's signature, change who the token names."""
    header, _payload, signature = token.split(".")
    forged = _b64url(json.dumps({**claims, "email": "can.bo.xa.a@haiphong.gov.vn"}).encode())
    return f"{header}.{forged}.{signature}"


def _signature_flipped(provider, token, claims):
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0xFF
    return f"{header}.{payload}.{_b64url(bytes(raw))}"


def _other_key(provider, token, claims):
    """Signed by someone else's key that claims the provider's key id."""
    return provider.sign(claims, key=_rsa_key("attacker"))


def _unsigned(provider, token, claims):
    return jwt.encode(claims, None, algorithm="none", headers={"kid": provider.kid})


def _hmac_signed(provider, token, claims):
    """Algorithm confusion: an HS256 token; only the configured asymmetric algorithm is accepted."""
    return jwt.encode(claims, "x" * 32, algorithm="HS256", headers={"kid": provider.kid})


@pytest.mark.parametrize("tamper", [_payload_swapped, _signature_flipped, _other_key, _unsigned,
                                    _hmac_signed])
def test_a_tampered_token_is_refused(oidc, officer, client, tamper):
    """The userinfo names the officer, but the id_token is not the provider's: nobody is signed in."""
    claims = {"sub": "cas-123", "email": "can.bo.xa.a@haiphong.gov.vn"}
    r = sign_in(client, oidc, {**claims, "email": "intruder@example.vn"} if tamper is _payload_swapped else claims,
                userinfo=claims, tamper=tamper)
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert _me(client) is None
    assert _refusals() == ["invalid_response"]
    assert not AuditEvent.objects.filter(action="auth.oidc_login").exists()


@pytest.mark.parametrize("id_token_claims", [
    {"aud": "another-client"},  # issued to another application
    {"iss": "https://evil.example"},  # issued by another provider
    {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},  # expired
    {"nonce": "not-the-nonce-we-sent"},  # replayed from another sign-in
    {"exp": None},  # no expiry at all
])
def test_a_token_not_meant_for_this_sign_in_is_refused(oidc, officer, client, id_token_claims):
    claims = {"sub": "cas-123", "email": "can.bo.xa.a@haiphong.gov.vn"}
    r = sign_in(client, oidc, claims, id_token_claims=id_token_claims)
    assert r.status_code == 302 and r["Location"] == "/accounts/login/"
    assert _me(client) is None
    assert _refusals() == ["invalid_response"]


@pytest.mark.parametrize("claims,userinfo,reason", [
    ({"sub": "cas-1", "email": "can.bo.xa.a@haiphong.gov.vn"},
     {"sub": "cas-2", "email": "can.bo.xa.a@haiphong.gov.vn"}, "subject_mismatch"),
    ({"sub": "cas-1", "email": "can.bo.xa.a@haiphong.gov.vn", "email_verified": False}, None, "email_not_verified"),
    # Some providers send the text "false"; only a JSON true counts.
    ({"sub": "cas-1", "email": "can.bo.xa.a@haiphong.gov.vn", "email_verified": "false"}, None,
     "email_not_verified"),
    ({"sub": "cas-1"}, None, "missing_claim"),
])
def test_claims_that_do_not_identify_an_account_are_refused(oidc, officer, client, claims, userinfo, reason):
    r = sign_in(client, oidc, claims, userinfo=userinfo)
    assert r["Location"] == "/accounts/login/" and _me(client) is None
    assert _refusals() == [reason]


def test_an_address_the_provider_did_not_verify_names_no_account(oidc, officer, client):
    r = sign_in(client, oidc, {"sub": "attacker-1", "email": officer.email}, unverified=True)
    assert r["Location"] == "/accounts/login/" and _me(client) is None
    assert _refusals() == ["email_not_verified"]


def test_the_bound_identity_signs_in_and_another_one_with_the_same_address_is_refused(oidc, officer, client):
    """After a staff change the mailbox may go to someone else: their new central identity (another
    sub) is refused; the bound identity still signs in, even under a new address."""
    sign_in(client, oidc, {"sub": "cas-123", "email": officer.email})
    assert _me(client) == officer.username
    client.logout()
    r = sign_in(client, oidc, {"sub": "cas-999", "email": officer.email})
    assert r["Location"] == "/accounts/login/" and _me(client) is None
    assert _refusals() == ["subject_changed"]
    sign_in(client, oidc, {"sub": "cas-123", "email": "dia.chi.moi@haiphong.gov.vn"})
    assert _me(client) == officer.username
    assert list(AuditEvent.objects.filter(action="auth.oidc_login").values_list("changes__matched_by", flat=True)
                .order_by("pk")) == ["email", "subject"]


def test_oidc_unbind_command_is_audited(oidc, officer, client):
    from io import StringIO

    from django.core.management import call_command

    sign_in(client, oidc, {"sub": "cas-123", "email": officer.email})
    call_command("oidc_unbind", officer.username, "--reason", "new central account", stdout=StringIO())
    officer.refresh_from_db()
    assert officer.oidc_subject == ""
    assert AuditEvent.objects.filter(action="auth.oidc_unbind", object_id=str(officer.pk)).exists()


def test_a_disabled_account_is_refused(oidc, officer, client):
    User.objects.filter(pk=officer.pk).update(is_active=False)
    r = sign_in(client, oidc, {"sub": "cas-123", "email": officer.email})
    assert r["Location"] == "/accounts/login/" and _me(client) is None
    assert _refusals() == ["account_disabled"]


def test_a_state_cannot_be_used_twice(oidc, officer, client):
    r = client.get("/oidc/authenticate/")
    params = {k: v[0] for k, v in parse_qs(urlsplit(r["Location"]).query).items()}
    code = oidc.authorize(params, claims={"sub": "cas-123", "email": officer.email})
    assert client.get("/oidc/callback/", {"code": code, "state": params["state"]}).status_code == 302
    client.logout()
    code = oidc.authorize(params, claims={"sub": "cas-123", "email": officer.email})
    r = client.get("/oidc/callback/", {"code": code, "state": params["state"]})
    assert r.status_code in (302, 400) and _me(client) is None


def test_refusals_do_not_lock_out_the_next_person(oidc, officer, client):
    """Axes counts failed logins by username; OIDC refusals (no username) must not block everyone."""
    for n in range(7):
        sign_in(client, oidc, {"sub": f"cas-x{n}", "email": f"x{n}@example.vn"})
    r = sign_in(client, oidc, {"sub": "cas-123", "email": officer.email})
    assert r["Location"] == "/accounts/users/" and _me(client) == officer.username


def test_password_login_still_works_when_oidc_is_on(oidc, officer, client):
    r = client.post("/accounts/login/", {"username": officer.username, "password": "Test-password-123"})
    assert r.status_code == 302
    assert _me(client) == officer.username


def test_the_login_page_offers_the_central_service_when_on(oidc, client):
    html = client.get("/accounts/login/?next=/officer/").content.decode()
    assert 'data-testid="oidc-login"' in html
    assert 'href="/oidc/authenticate/?next=/officer/"' in html


@pytest.mark.urls("geoportal.urls")
def test_off_by_default_no_route_and_no_button(db, client, settings):
    assert settings.OIDC_ENABLED is False
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert 'data-testid="oidc-login"' not in client.get("/accounts/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404


ROOT = Path(__file__).resolve().parents[3]
OIDC_ENV = {"OIDC_RP_CLIENT_ID": "c", "OIDC_RP_CLIENT_SECRET": "s", "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://a",
            "OIDC_OP_TOKEN_ENDPOINT": "https://t", "OIDC_OP_USER_ENDPOINT": "https://u",
            "OIDC_OP_JWKS_ENDPOINT": "https://j"}


def _load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_") and k != "DJANGO_SETTINGS_MODULE"}
    clean.update({"DEBUG": "true", **env})
    code = ("import json, geoportal.settings as s; print(json.dumps([s.AUTHENTICATION_BACKENDS, "
            "s.OIDC_CREATE_USER, s.OIDC_RP_SIGN_ALGO]))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_settings_fail_fast_when_enabled_without_the_provider():
    r = _load_settings(OIDC_ENABLED="true", **{**OIDC_ENV, "OIDC_OP_JWKS_ENDPOINT": "", "OIDC_RP_CLIENT_SECRET": ""})
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_JWKS_ENDPOINT" in r.stderr


def test_settings_when_enabled_add_the_backend_and_refuse_unknown_people():
    r = _load_settings(OIDC_ENABLED="true", **OIDC_ENV)
    assert r.returncode == 0, r.stderr
    backends, create, algo = json.loads(r.stdout)
    assert backends[-1] == BACKEND and backends[:-1] == [
        "axes.backends.AxesStandaloneBackend", "geoportal.accounts.authentication.PortalModelBackend"]
    assert (create, algo) == (False, "RS256")
