"""Authentication of station dataloggers: a station token, and nothing else.

The push endpoint takes ``Authorization: Bearer st_…`` only. Sessions and users' API tokens
are not authentication classes of that view, so a logged-in browser is anonymous there
(401), and no CSRF check applies (no cookie is ever trusted). The throttle counts per
station, not per address: many facility stations share one NAT address.
"""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from monitoring.models import StationToken
from monitoring.services.tokens import resolve_token

# Used when settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no "station" entry: a
# datalogger pushes every 5 minutes; a backlog re-send is split into many batches.
DEFAULT_STATION_RATE = "120/minute"


class StationTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer st_…`: the request acts for the token's station (``request.auth``).

    The user stays anonymous: a station is not a person and holds no scope anywhere else.
    """

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode("latin-1").lower() != self.keyword or len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Use the header “Authorization: Bearer <station token>”."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        token = resolve_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked station token."))
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="stations"'


class HasStationToken(permissions.BasePermission):
    """The request carries a valid station token (else 401, as no authenticator succeeded)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, StationToken)


class StationRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle ("station" scope) counted per station."""

    def get_rate(self):
        # Read at call time (DRF binds THROTTLE_RATES at import, which tests' settings overrides miss).
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates[self.scope] if self.scope in rates else DEFAULT_STATION_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        ident = f"station-{token.station_id}" if isinstance(token, StationToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class StationTokenScheme(OpenApiAuthenticationExtension):
    """The station token in the OpenAPI schema (a bearer scheme of its own)."""

    target_class = StationTokenAuthentication
    name = "stationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A station's push token, st_<prefix>_<secret> (manage.py station_token)."}
