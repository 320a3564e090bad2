"""Rate limits of the API: a token's own rate when its agreement states one."""
from __future__ import annotations

from rest_framework.throttling import UserRateThrottle

from geoportal.accounts.models import ApiToken


def _stated_rate(request) -> int | None:
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken) and token.rate_limit_per_minute:
        return token.rate_limit_per_minute
    return None


class ApiTokenRateThrottle(UserRateThrottle):
    """`rate_limit_per_minute` of the request's API token, counted per token (an agency's two
    tokens have two budgets); requests without a stated rate fall back to the "user" rate."""

    def allow_request(self, request, view) -> bool:
        stated = _stated_rate(request)
        if stated is not None:
            self.rate = f"{stated}/min"
            self.num_requests, self.duration = stated, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if _stated_rate(request) is not None:
            return self.cache_format % {"scope": "token", "ident": request.auth.pk}
        return super().get_cache_key(request, view)
