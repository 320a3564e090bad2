"""Station tokens: shown once, stored as SHA-256, audited, refused once revoked or expired."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from geoportal.audit.models import AuditEvent
from monitoring.models import StationToken
from monitoring.services.tokens import resolve_token, station_token_create, station_token_revoke
from monitoring.tests.factories import StationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_returns_the_text_once_and_stores_only_its_digest():
    """The plaintext is st_<prefix>_<secret>; the row holds the prefix and the SHA-256, and an audit event."""
    station, actor = StationFactory(), UserFactory()
    token, raw = station_token_create(station=station, actor=actor)
    assert raw.startswith(f"st_{token.prefix}_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = StationToken.objects.get(pk=token.pk)
    assert raw not in {stored.prefix, stored.digest} and stored.created_by == actor
    event = AuditEvent.objects.get(action="station_token.create")
    assert event.actor == actor and event.changes["station"] == station.code and raw not in str(event.changes)


def test_resolve_finds_the_station_and_marks_use_at_most_once_a_minute():
    token, raw = station_token_create(station=StationFactory(), actor=None)
    found = resolve_token(raw)
    assert found.pk == token.pk and found.station == token.station
    first_use = StationToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    resolve_token(raw)
    assert StationToken.objects.get(pk=token.pk).last_used_at == first_use  # not rewritten within the minute
    StationToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    resolve_token(raw)
    assert StationToken.objects.get(pk=token.pk).last_used_at > first_use - dt.timedelta(minutes=2)


@pytest.mark.parametrize("raw", ["", "st_", "hpg_abc", "st_deadbeef_wrong", "x" * 500, None])
def test_unknown_or_malformed_text_resolves_to_none(raw):
    station_token_create(station=StationFactory(), actor=None)
    assert resolve_token(raw) is None


def test_revoked_token_is_refused_and_audited():
    token, raw = station_token_create(station=StationFactory(), actor=None)
    station_token_revoke(token=token, actor=None)
    station_token_revoke(token=token, actor=None)  # idempotent: one event
    assert resolve_token(raw) is None
    assert AuditEvent.objects.filter(action="station_token.revoke").count() == 1


def test_expired_token_is_refused_and_past_expiry_cannot_be_issued():
    token, raw = station_token_create(station=StationFactory(), actor=None,
                                      expires_at=timezone.now() + dt.timedelta(days=1))
    assert resolve_token(raw) is not None
    StationToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert resolve_token(raw) is None
    with pytest.raises(ValidationError):
        station_token_create(station=token.station, actor=None, expires_at=timezone.now() - dt.timedelta(days=1))


def test_command_prints_the_token_once_and_revokes_by_prefix():
    station = StationFactory(code="TR-CMD")
    out, err = io.StringIO(), io.StringIO()
    call_command("station_token", "TR-CMD", "--expires-days", "30", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = resolve_token(raw)
    assert token.station == station and token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert raw not in err.getvalue()
    listing = io.StringIO()
    call_command("station_token", "TR-CMD", "--list", stdout=listing)
    assert token.prefix in listing.getvalue() and raw not in listing.getvalue()
    call_command("station_token", "TR-CMD", "--revoke", token.prefix, stdout=io.StringIO(), stderr=io.StringIO())
    assert resolve_token(raw) is None
    with pytest.raises(CommandError):
        call_command("station_token", "NO-SUCH-STATION", stdout=io.StringIO(), stderr=io.StringIO())
