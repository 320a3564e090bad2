"""Authentication backends: API tokens for the REST API, and a session backend that
loads the user's organisation with the user (one query, used by every scope check)."""
from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from geoportal.accounts.choices import Role
from geoportal.accounts.services import TOKEN_EXPIRED, TokenRefused, token_check
from geoportal.accounts.usage import record_usage, usage_key

# Machine-readable `code` of the 401 problem body. Expiry is the one refusal a client can act
# on by itself (ask for a renewal under its agreement), so it has its own code; unknown,
# revoked and disabled-account keys share the generic one.
CODE_TOKEN_EXPIRED = "token_expired"
CODE_FAILED = "authentication_failed"


CODE_RESTRICTED = "token_restricted"


def _accepts_restricted(request) -> bool:
    """Whether the view being served applies token grants (``accepts_restricted_tokens``)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    return bool(getattr(view, "accepts_restricted_tokens", False))


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`). A bad key is a 401, not anonymous."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        now = timezone.now()
        try:
            token = token_check(raw, now=now)
        except TokenRefused as refused:
            if refused.code == TOKEN_EXPIRED:
                raise exceptions.AuthenticationFailed(_("This token has expired."), code=CODE_TOKEN_EXPIRED) from None
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."), code=CODE_FAILED) from None
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        # Counted here, once per authenticated request, whatever the view's throttle classes;
        # requests later refused by a permission or the rate limit count too (what was sent).
        record_usage(token=token, key=usage_key(request), at=now)
        if (token.is_restricted or token.user.roles == [Role.CONNECTION]) and not _accepts_restricted(request):
            # A grant states which collections and fields an agency reads; only the views
            # that apply grants (the exchange API) may serve such a token, so no other API
            # (register, OGC API, EDR…) can hand out fields outside it.
            raise exceptions.PermissionDenied(_("This token only opens the data-exchange API (/api/v1/exchange/)."),
                                              code=CODE_RESTRICTED)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class SessionUserMixin:
    """get_user of the session backends (password and OpenID Connect): the organisation comes
    with the user (every scope check reads it), disabled accounts are out."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class PortalModelBackend(SessionUserMixin, ModelBackend):
    pass
