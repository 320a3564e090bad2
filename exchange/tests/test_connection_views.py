"""Connection-account pages: who may open them, issuing a token (key shown once), usage
statistics and revocation from the page."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchange.schema import COLLECTIONS
from geoportal.accounts.models import ApiToken, ApiTokenUsage
from geoportal.accounts.services import CONNECTION_TOKEN_MAX_DAYS, token_check, token_create
from geoportal.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.test_permission_matrix import ROLES

# Department admin only (Capability.ACCOUNTS_MANAGE); anonymous goes to the login page.
PAGE_STATUS = {role: 403 for role in ROLES} | {"anonymous": 302, "dept_admin": 200}


def _client_for(role, world, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.fixture
def conn_token(world):
    token, _raw = token_create(actor=world.users["dept_admin"], user=world.users["connection"], name="Cục MT",
                               expires_at=timezone.now() + timedelta(days=30), grants={"zones": "*"},
                               rate_limit_per_minute=30)
    return token


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, client, conn_token, role):
    c = _client_for(role, world, client)
    for url in ("/exchange/connections/", "/exchange/connections/new/", f"/exchange/connections/{conn_token.pk}/"):
        r = c.get(url)
        assert r.status_code == PAGE_STATUS[role], url
        if role == "anonymous":
            assert r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_revoke_by_role(world, client, conn_token, role):
    r = _client_for(role, world, client).post(f"/exchange/connections/{conn_token.pk}/revoke/")
    conn_token.refresh_from_db()
    if role == "dept_admin":
        assert r.status_code == 302 and r["Location"] == f"/exchange/connections/{conn_token.pk}/"
        assert conn_token.revoked_at is not None
    else:
        assert r.status_code == PAGE_STATUS[role]
        assert conn_token.revoked_at is None


def test_only_connection_tokens_are_managed_here(world, client):
    """An officer's own script token is not a connection token: absent (404), not revocable."""
    other, _raw = token_create(actor=None, user=world.users["dept_officer"], name="script")
    client.force_login(world.users["dept_admin"])
    assert client.get(f"/exchange/connections/{other.pk}/").status_code == 404
    assert client.post(f"/exchange/connections/{other.pk}/revoke/").status_code == 404
    assert client.get("/exchange/connections/999999/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_revoke_from_the_page_stops_the_key_at_once(world, client, api_client):
    token, raw = token_create(actor=world.users["dept_admin"], user=world.users["connection"], name="t")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 200
    client.force_login(world.users["dept_admin"])
    client.post(f"/exchange/connections/{token.pk}/revoke/")
    assert api_client.get("/api/v1/me/").status_code == 401
    event = AuditEvent.objects.get(action="token.revoke", object_id=str(token.pk))
    assert event.actor_id == world.users["dept_admin"].pk


def _form_data(world, **over):
    facilities = COLLECTIONS["facilities"].fields
    data = {
        "user": world.users["connection"].pk, "name": "Cục Môi trường 2026",
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(), "rate_limit_per_minute": "20",
        "fields_facilities": [facilities[1], facilities[0]], "all_zones": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_issue_a_token_shows_the_key_once(world, client):
    client.force_login(world.users["dept_admin"])
    r = client.post("/exchange/connections/new/", _form_data(world))
    assert r.status_code == 200
    assert "no-cache" in r["Cache-Control"] or "no-store" in r["Cache-Control"]
    raw = re.search(r'data-testid="raw-key">(hpg_[^<]+)<', r.content.decode()).group(1)
    token = token_check(raw)
    facilities = COLLECTIONS["facilities"].fields
    assert token.user == world.users["connection"]
    assert token.grants == {"facilities": [facilities[0], facilities[1]], "zones": "*"}
    assert token.rate_limit_per_minute == 20
    last_day = timezone.localdate() + timedelta(days=90)
    assert token.expires_at == timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    assert AuditEvent.objects.filter(action="token.create", object_id=str(token.pk)).count() == 1
    # The key appears nowhere afterwards.
    detail = client.get(f"/exchange/connections/{token.pk}/").content.decode()
    assert raw not in detail and token.prefix in detail


@pytest.mark.parametrize("over,field", [
    ({"fields_facilities": ["name", "no_such_field"]}, "fields_facilities"),
    ({"fields_facilities": None, "all_zones": None}, "__all__"),
    ({"expires_on": None}, "expires_on"),
    ({"expires_on": "past"}, "expires_on"),
    ({"expires_on": "too_late"}, "expires_on"),
    ({"rate_limit_per_minute": "0"}, "rate_limit_per_minute"),
    ({"user": "enterprise_user"}, "user"),
])
def test_bad_input_is_a_form_error(world, client, over, field):
    for key, value in list(over.items()):
        if value == "past":
            over[key] = (timezone.localdate() - timedelta(days=1)).isoformat()
        elif value == "too_late":
            over[key] = (timezone.localdate() + timedelta(days=CONNECTION_TOKEN_MAX_DAYS + 1)).isoformat()
        elif key == "user":
            over[key] = world.users[value].pk
    client.force_login(world.users["dept_admin"])
    r = client.post("/exchange/connections/new/", _form_data(world, **over))
    assert r.status_code == 200
    assert field in r.context["form"].errors
    assert not ApiToken.objects.exists()


def test_disabled_account_is_not_offered(world, client):
    disabled = UserFactory(organisation=world.agency, roles=["connection"], is_active=False)
    client.force_login(world.users["dept_admin"])
    r = client.get("/exchange/connections/new/")
    offered = set(r.context["form"].fields["user"].queryset.values_list("pk", flat=True))
    page = r.content.decode()
    for key in COLLECTIONS:
        assert f'name="all_{key}"' in page and f'name="fields_{key}"' in page
    assert offered == {world.users["connection"].pk}
    r = client.post("/exchange/connections/new/", _form_data(world, user=disabled.pk))
    assert r.status_code == 200 and "user" in r.context["form"].errors
    assert not ApiToken.objects.exists()


def test_service_refusal_lands_on_the_form(world, client, monkeypatch):
    """Errors the service raises (its names) are shown on the form's fields, never a 500."""
    def refuse(**kwargs):
        raise ValidationError({"expires_at": ["late"], "grants": ["none"]})

    monkeypatch.setattr("exchange.connection_views.connection_token_create", refuse)
    client.force_login(world.users["dept_admin"])
    r = client.post("/exchange/connections/new/", _form_data(world))
    assert r.status_code == 200
    assert r.context["form"].errors == {"expires_on": ["late"], "__all__": ["none"]}


def _usage(token, key, days_ago, count):
    day = timezone.localdate() - timedelta(days=days_ago)
    ApiTokenUsage.objects.create(token=token, day=day, key=key, count=count, last_at=timezone.now())


def test_list_shows_usage_per_token_in_bounded_queries(world, client, django_assert_max_num_queries):
    tokens = []
    for i in range(6):
        t, _raw = token_create(actor=None, user=world.users["connection"], name=f"t{i}")
        _usage(t, "facilities", 0, i + 1)
        _usage(t, "zones", 3, 10)
        _usage(t, "zones", 40, 1000)  # outside the 30-day window
        tokens.append(t)
    client.force_login(world.users["dept_admin"])
    client.get("/exchange/connections/")  # warm the session and content types
    with django_assert_max_num_queries(10):
        r = client.get("/exchange/connections/")
    assert r.status_code == 200
    rows = {row["token"].pk: row for row in r.context["rows"]}
    assert set(rows) == {t.pk for t in tokens}
    for i, t in enumerate(tokens):
        assert rows[t.pk]["total"] == i + 1 + 10
        assert {c["key"]: c["requests"] for c in rows[t.pk]["collections"]} == {"facilities": i + 1, "zones": 10}
        assert sum(b.count for b in rows[t.pk]["bars"]) == i + 1 + 10
        assert len(rows[t.pk]["bars"]) == 30


def test_list_filters_by_status(world, client):
    active, _ = token_create(actor=None, user=world.users["connection"], name="active")
    revoked, _ = token_create(actor=None, user=world.users["connection"], name="revoked")
    expired, _ = token_create(actor=None, user=world.users["connection"], name="expired")
    now = timezone.now()
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=now)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(hours=1))
    client.force_login(world.users["dept_admin"])
    for status, expected in (("active", active), ("revoked", revoked), ("expired", expired)):
        r = client.get(f"/exchange/connections/?status={status}")
        assert [row["token"].pk for row in r.context["rows"]] == [expected.pk]
    assert len(client.get("/exchange/connections/").context["rows"]) == 3


def test_detail_shows_grants_and_usage(world, client, conn_token):
    _usage(conn_token, "zones", 0, 4)
    _usage(conn_token, "zones", 1, 2)
    _usage(conn_token, "me", 1, 1)
    _usage(conn_token, "zones", 100, 50)
    client.force_login(world.users["dept_admin"])
    r = client.get(f"/exchange/connections/{conn_token.pk}/")
    ctx = r.context
    assert ctx["total"] == 7 and ctx["all_time"] == 57
    assert [(c["key"], c["requests"]) for c in ctx["collections"]] == [("zones", 6), ("me", 1)]
    assert [(b.day, b.count) for b in ctx["daily"]] == [
        (timezone.localdate(), 4), (timezone.localdate() - timedelta(days=1), 3)]
    assert ctx["grants"] == [{"key": "zones", "label": str(COLLECTIONS["zones"].label), "all": True, "fields": []}]
    assert 'data-testid="grant-table"' in r.content.decode()
