"""Issue, list or revoke a station's push token.

    manage.py station_token STATION_CODE [--expires-days N] [--actor USERNAME]
    manage.py station_token STATION_CODE --list
    manage.py station_token STATION_CODE --revoke PREFIX

The token text is printed once, on standard output alone (so ``TOKEN=$(manage.py
station_token TR01)`` works); only its SHA-256 is stored. Each issue and revocation is
audited, with the actor when given (else the system).
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.models import Station, StationToken
from monitoring.services.tokens import station_token_create, station_token_revoke


class Command(BaseCommand):
    help = "Issue a push token for a monitoring station (printed once), or list / revoke its tokens."

    def add_arguments(self, parser):
        parser.add_argument("station", help="the station's code (Station.code)")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--expires-days", type=int, default=None, help="the token expires after N days")
        action.add_argument("--list", dest="list_tokens", action="store_true", help="list the station's tokens (prefixes only)")
        action.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")
        parser.add_argument("--actor", metavar="USERNAME", help="the user recorded in the audit log")

    def handle(self, *args, station: str, expires_days: int | None = None, list_tokens: bool = False,
               revoke: str | None = None, actor: str | None = None, **options):
        try:
            target = Station.objects.get(code=station)
        except Station.DoesNotExist:
            raise CommandError(f"no station with the code {station!r}") from None
        user = None
        if actor:
            try:
                user = get_user_model().objects.get(username=actor)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {actor!r}") from None
        if list_tokens:
            self._list(target)
            return
        if revoke:
            token = StationToken.objects.filter(station=target, prefix=revoke).first()
            if token is None:
                raise CommandError(f"{target.code} has no token with the prefix {revoke!r}")
            station_token_revoke(token=token, actor=user)
            self.stderr.write(f"revoked {target.code} st_{token.prefix}_…")
            return
        expires_at = None
        if expires_days is not None:
            if expires_days <= 0:
                raise CommandError("--expires-days must be positive")
            expires_at = timezone.now() + dt.timedelta(days=expires_days)
        token, raw = station_token_create(station=target, actor=user, expires_at=expires_at)
        until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(f"token for {target.code} (prefix {token.prefix}{until}); shown only now:")
        self.stdout.write(raw)

    def _list(self, station: Station) -> None:
        now = timezone.now()
        for token in StationToken.objects.filter(station=station).order_by("created_at"):
            if token.revoked_at:
                state = f"revoked {token.revoked_at:%Y-%m-%d}"
            elif token.expires_at and token.expires_at <= now:
                state = f"expired {token.expires_at:%Y-%m-%d}"
            else:
                state = "active" + (f" until {token.expires_at:%Y-%m-%d}" if token.expires_at else "")
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"st_{token.prefix}_…  created {token.created_at:%Y-%m-%d}  {state}  last used {used}")
