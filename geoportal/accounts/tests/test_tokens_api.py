"""API tokens on the wire: immediate revocation, the expired-token 401, the per-token rate
limit and the usage counters. The probe view below stands for any collection endpoint."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import include, path
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.accounts import usage
from geoportal.accounts.models import ApiToken, ApiTokenUsage
from geoportal.accounts.services import token_create, token_revoke
from geoportal.accounts.throttling import ApiTokenRateThrottle
from geoportal.core.errors import PROBLEM_CONTENT_TYPE


class ProbeApi(APIView):
    accepts_restricted_tokens = True  # like the exchange API: it applies grants
    throttle_classes = [ApiTokenRateThrottle]
    permission_classes = [IsAuthenticated]

    def get(self, request, collection: str):
        return Response({"collection": collection})


class FixedProbeApi(ProbeApi):
    usage_collection = "stations"

    def get(self, request):
        return Response({})


# The site's routes plus the probes, for the tests marked with this module as urlconf.
urlpatterns = [
    path("probe/<str:collection>/", ProbeApi.as_view(), name="probe"),
    path("probe-fixed/", FixedProbeApi.as_view(), name="probe-fixed"),
    path("", include("geoportal.urls")),
]
with_probe = pytest.mark.urls(__name__)


@pytest.fixture
def connection_token(world):
    token, raw = token_create(actor=world.users["dept_admin"], user=world.users["connection"], name="Cục MT",
                              expires_at=timezone.now() + timedelta(days=30), grants={"zones": "*"})
    return token, raw


def _bearer(api_client, raw):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api_client


def test_revoked_token_stops_working_at_once(world, api_client, connection_token):
    """Revocation through the service: the very next request with the key is a 401."""
    token, raw = connection_token
    client = _bearer(api_client, raw)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200  # the key is not remembered between requests
    token_revoke(actor=world.users["dept_admin"], token=token)
    r = client.get("/api/v1/me/")
    assert r.status_code == 401
    assert r["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert r.json()["code"] == "authentication_failed"


def test_expired_token_gets_401_with_a_machine_readable_body(world, api_client, connection_token):
    token, raw = connection_token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = _bearer(api_client, raw).get("/api/v1/me/")
    assert r.status_code == 401
    assert r["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert r["WWW-Authenticate"].startswith("Bearer")
    body = r.json()
    assert body["status"] == 401 and body["code"] == "token_expired"
    assert body["type"].endswith("token_expired")
    assert not ApiTokenUsage.objects.exists()  # a refused key is not usage


def test_token_of_a_disabled_account_is_refused(world, api_client, connection_token):
    _token, raw = connection_token
    world.users["connection"].__class__.objects.filter(pk=world.users["connection"].pk).update(is_active=False)
    r = _bearer(api_client, raw).get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"


@with_probe
def test_stated_rate_limit_gives_429_on_the_third_request(world, api_client):
    cache.clear()
    admin, account = world.users["dept_admin"], world.users["connection"]
    _t, raw = token_create(actor=admin, user=account, name="slow", rate_limit_per_minute=2)
    _t2, raw2 = token_create(actor=admin, user=account, name="second", rate_limit_per_minute=2)
    client = _bearer(api_client, raw)
    assert [client.get("/probe/zones/").status_code for _ in range(3)] == [200, 200, 429]
    r = client.get("/probe/zones/")
    assert r.status_code == 429 and r.json()["code"] == "throttled" and int(r["Retry-After"]) > 0
    # Each token has its own budget, even for the same account.
    assert _bearer(api_client, raw2).get("/probe/zones/").status_code == 200


@with_probe
def test_token_without_a_stated_rate_falls_back_to_the_user_rate(world, api_client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"user": "1/min"})
    _t, raw = token_create(actor=None, user=world.users["connection"], name="default")
    client = _bearer(api_client, raw)
    assert [client.get("/probe/zones/").status_code for _ in range(2)] == [200, 429]


@with_probe
def test_usage_counts_each_request_per_day_and_collection(world, api_client, connection_token):
    cache.clear()
    token, raw = connection_token
    client = _bearer(api_client, raw)
    for _ in range(3):
        assert client.get("/probe/facilities/").status_code == 200
    for _ in range(2):
        assert client.get("/probe/zones/").status_code == 200
    assert client.get("/probe-fixed/").status_code == 200
    assert client.get("/probe/made-up/").status_code == 200  # not a collection: counted on the route
    assert client.get("/api/v1/me/").status_code == 200
    today = timezone.localdate()
    got = {(u.day, u.key): u.count for u in ApiTokenUsage.objects.filter(token=token)}
    assert got == {(today, "facilities"): 3, (today, "zones"): 2, (today, "stations"): 1, (today, "me"): 1,
                   (today, "probe"): 1}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_usage_recording_never_fails_the_request(world, api_client, connection_token, monkeypatch):
    _token, raw = connection_token
    monkeypatch.setattr(usage, "_upsert_sql", lambda: "INSERT INTO no_such_table VALUES (%s, %s, %s, %s)")
    r = _bearer(api_client, raw).get("/api/v1/me/")
    assert r.status_code == 200
    assert not ApiTokenUsage.objects.exists()


def test_failed_recording_leaves_the_callers_transaction_usable(world, connection_token, monkeypatch):
    token, _raw = connection_token
    monkeypatch.setattr(usage, "_upsert_sql", lambda: "INSERT INTO no_such_table VALUES (%s, %s, %s, %s)")
    with transaction.atomic():
        assert usage.record_usage(token=token, key="zones") is False
        assert ApiToken.objects.filter(pk=token.pk).exists()  # no "current transaction is aborted"
    monkeypatch.undo()
    assert usage.record_usage(token=token, key="zones") is True
    assert usage.record_usage(token=token, key="zones") is True
    assert ApiTokenUsage.objects.get(token=token, key="zones").count == 2


def test_one_statement_per_recorded_request(world, connection_token, django_assert_num_queries):
    """One upsert; the savepoint around it exists only inside a caller's transaction (as here)."""
    token, _raw = connection_token
    with django_assert_num_queries(3) as ctx:
        assert usage.record_usage(token=token, key="zones") is True
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1 and statements[0].startswith("INSERT") and "ON CONFLICT" in statements[0]


def test_usage_day_is_the_local_day(world, connection_token):
    """17:30 UTC is already the next day in Hai Phong (UTC+7)."""
    token, _raw = connection_token
    at = datetime(2026, 3, 31, 17, 30, tzinfo=dt_timezone.utc)
    usage.record_usage(token=token, key="zones", at=at)
    row = ApiTokenUsage.objects.get(token=token)
    assert row.day == date(2026, 4, 1)
    assert row.last_at == at
