"""Station tokens: the push credential of one station's datalogger.

A token reads ``st_<prefix>_<secret>``: the prefix (8 hex digits) is stored to recognise a
token in lists and logs, the secret never is; only the SHA-256 of the whole text is kept,
so a leaked database does not let anyone push (same scheme as the users' API tokens,
geoportal.accounts.services). Issuing and revoking are audited in their transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from monitoring.models import Station, StationToken

TOKEN_PREFIX = "st_"
MAX_TOKEN_LENGTH = 200
# last_used_at is written at most this often per token: a datalogger pushes every few
# minutes, and a write on every request would cost a row update per push.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    """The SHA-256 stored for a token's text."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def station_token_create(*, station: Station, actor, expires_at: dt.datetime | None = None,
                         ) -> tuple[StationToken, str]:
    """Issue a push token for `station`; returns the token and its text, shown only this once."""
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = StationToken(station=station, prefix=prefix, digest=token_digest(raw), expires_at=expires_at,
                         created_by=actor if getattr(actor, "is_authenticated", False) else None)
    # created_by is empty for a token issued from the command line without --actor (the
    # model field lacks blank=True; null is what the column allows).
    token.full_clean(exclude=["created_by"])
    token.save()
    audit_record(actor=actor, action="station_token.create", obj=token,
                 changes={"station": station.code, "prefix": prefix, "expires_at": expires_at})
    return token, raw


@transaction.atomic
def station_token_revoke(*, token: StationToken, actor) -> StationToken:
    """Revoke at once: the next push with this token is refused (401)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="station_token.revoke", obj=token,
                     changes={"station": token.station.code, "prefix": token.prefix,
                              "revoked_at": token.revoked_at})
    return token


def resolve_token(raw: str | None) -> StationToken | None:
    """The usable token (not revoked, not expired) with its station for a token's text, or None."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    # digest is unique: at most one row, no ORDER BY needed.
    found = list(StationToken.objects.select_related("station")
                 .filter(digest=token_digest(raw), revoked_at__isnull=True)
                 .exclude(expires_at__lte=now).order_by()[:1])
    if not found:
        return None
    token = found[0]
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        StationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
