"""Token services: grants checked against the exchange schema, connection-token rules, revocation
and the reasons a key is refused."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchange.schema import COLLECTIONS
from geoportal.accounts.models import ALL_FIELDS, ApiToken
from geoportal.accounts.services import (
    CONNECTION_TOKEN_MAX_DAYS,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_REVOKED,
    TOKEN_USER_DISABLED,
    TokenRefused,
    connection_token_create,
    token_check,
    token_create,
    token_revoke,
    token_validate_grants,
)
from geoportal.audit.models import AuditEvent


def _in(days: float):
    return timezone.now() + timedelta(days=days)


def _two_fields(key: str) -> list[str]:
    return list(COLLECTIONS[key].fields[:2])


def test_grants_are_normalised_to_schema_order(db):
    """Fields come back in the schema's order, duplicates dropped; "*" stays "*"."""
    fields = COLLECTIONS["facilities"].fields
    got = token_validate_grants({"facilities": [fields[2], fields[0], fields[2]], "zones": "*"})
    assert got == {"facilities": [fields[0], fields[2]], "zones": "*"}


@pytest.mark.parametrize("grants", [
    {"no_such_collection": "*"},
    {"facilities": ["name", "no_such_field"]},
    {"facilities": []},
    {"facilities": "name"},
    ["facilities"],
])
def test_bad_grants_are_refused(db, grants):
    with pytest.raises(ValidationError) as exc:
        token_validate_grants(grants)
    assert "grants" in exc.value.message_dict


def test_connection_token_carries_grants_rate_and_expiry(world):
    admin, account = world.users["dept_admin"], world.users["connection"]
    token, raw = connection_token_create(actor=admin, user=account, name="Cục MT", expires_at=_in(30),
                                         grants={"facilities": _two_fields("facilities"), "zones": "*"},
                                         rate_limit_per_minute=5)
    token.refresh_from_db()
    assert token.rate_limit_per_minute == 5
    assert token.granted_fields("facilities") == frozenset(_two_fields("facilities"))
    assert token.granted_fields("zones") is ALL_FIELDS
    assert token.granted_fields("permits") is None
    assert token_check(raw).pk == token.pk
    event = AuditEvent.objects.get(action="token.create", object_id=str(token.pk))
    assert event.actor_id == admin.pk
    assert event.changes["grants"] == {"facilities": _two_fields("facilities"), "zones": "*"}
    assert event.changes["rate_limit_per_minute"] == 5


@pytest.mark.parametrize("change,field", [
    ({"user": "enterprise_user"}, "user"),
    ({"expires_at": None}, "expires_at"),
    ({"expires_at": "too_late"}, "expires_at"),
    ({"expires_at": "past"}, "expires_at"),
    ({"grants": {}}, "grants"),
    ({"rate_limit_per_minute": None}, "rate_limit_per_minute"),
    ({"rate_limit_per_minute": 0}, "rate_limit_per_minute"),
])
def test_connection_token_rules(world, change, field):
    """Only connection accounts, an expiry within the maximum, at least one grant, a stated rate."""
    kwargs = {"actor": world.users["dept_admin"], "user": world.users["connection"], "name": "t",
              "expires_at": _in(30), "grants": {"zones": "*"}, "rate_limit_per_minute": 10}
    for key, value in change.items():
        if key == "user":
            value = world.users[value]
        elif value == "too_late":
            value = _in(CONNECTION_TOKEN_MAX_DAYS + 2)
        elif value == "past":
            value = _in(-1)
        kwargs[key] = value
    with pytest.raises(ValidationError) as exc:
        connection_token_create(**kwargs)
    assert field in exc.value.message_dict
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="token.create").exists()


def test_the_maximum_expiry_itself_is_accepted(world):
    token, _raw = connection_token_create(
        actor=world.users["dept_admin"], user=world.users["connection"], name="t",
        expires_at=_in(CONNECTION_TOKEN_MAX_DAYS), grants={"zones": "*"}, rate_limit_per_minute=10)
    assert token.pk


def test_revoke_is_audited_once_and_refuses_at_once(world):
    admin = world.users["dept_admin"]
    token, raw = token_create(actor=admin, user=world.users["connection"], name="t")
    token_revoke(actor=admin, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    token_revoke(actor=admin, token=token)  # idempotent: the first revocation stands
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).count() == 1
    with pytest.raises(TokenRefused) as exc:
        token_check(raw)
    assert exc.value.code == TOKEN_REVOKED


def test_refusal_reasons(world):
    user = world.users["connection"]
    with pytest.raises(TokenRefused) as exc:
        token_check("hpg_not-a-key")
    assert exc.value.code == TOKEN_INVALID
    token, raw = token_create(actor=None, user=user, name="t", expires_at=_in(1))
    with pytest.raises(TokenRefused) as exc:
        token_check(raw, now=_in(2))
    assert exc.value.code == TOKEN_EXPIRED
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(TokenRefused) as exc:
        token_check(raw)
    assert exc.value.code == TOKEN_USER_DISABLED
