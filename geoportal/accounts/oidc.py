"""Sign-in through the central authentication service (OpenID Connect), when OIDC_ENABLED is set.

The provider proves who the person is; the portal decides what they may do. A verified identity is
mapped to an existing local account (by e-mail, or by a username claim named in OIDC_USERNAME_CLAIM);
roles and data scope stay with the local account. Unknown identities are refused unless
OIDC_CREATE_USER is set, and then the new account gets no role until the department admin grants one.
Every sign-in and every refusal is audited.
"""
from __future__ import annotations

import logging

import jwt
import requests
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from geoportal.accounts.authentication import SessionUserMixin
from geoportal.audit.services import audit_record

logger = logging.getLogger(__name__)

# Why a sign-in was refused, as recorded in the audit log (auth.oidc_refused).
REFUSED_INVALID_RESPONSE = "invalid_response"  # token or userinfo failed verification, provider error
REFUSED_SUBJECT_MISMATCH = "subject_mismatch"
REFUSED_MISSING_CLAIM = "missing_claim"
REFUSED_EMAIL_NOT_VERIFIED = "email_not_verified"
REFUSED_AMBIGUOUS = "ambiguous"
REFUSED_UNKNOWN_ACCOUNT = "unknown_account"
REFUSED_DISABLED = "account_disabled"
REFUSED_CREATE_FAILED = "create_failed"
REFUSED_SUBJECT_CHANGED = "subject_changed"  # the account is bound to another central identity

# Claims checked on every id_token: a token without them is refused (OIDC Core 3.1.3.7).
REQUIRED_ID_TOKEN_CLAIMS = ["iss", "sub", "aud", "exp", "iat"]
CLOCK_SKEW_SECONDS = 60


class Refused(Exception):
    """A verified response that still does not sign anyone in."""

    def __init__(self, code: str, claims: dict | None = None):
        super().__init__(code)
        self.code = code
        self.claims = claims or {}


class PortalOIDCBackend(SessionUserMixin, OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, mapped onto the portal's existing accounts."""

    def authenticate(self, request, **kwargs):
        """Sign in from the callback's code; None (refused, audited) for anything unexpected."""
        if request is None or not request.GET.get("code") or not request.GET.get("state"):
            return None  # not an OIDC callback (e.g. the password form): the other backends decide
        try:
            return super().authenticate(request, **kwargs)
        except Refused as exc:
            self._refuse(request, exc.code, exc.claims)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError, KeyError) as exc:
            # A forged, tampered, expired or mis-addressed token, or a provider that failed: never a 500.
            logger.warning("OIDC sign-in refused: %s", type(exc).__name__)
            self._refuse(request, REFUSED_INVALID_RESPONSE, {"error": type(exc).__name__})
        return None

    def _verify_jws(self, payload, key):
        """Verify signature, algorithm, audience, issuer and lifetime of a token from the provider.

        The library checks the signature only; audience and issuer stop a token issued to another
        client (or by another provider) from signing someone in here.
        """
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Unexpected token algorithm.")
        issuer = self.get_settings("OIDC_OP_ISSUER", "") or None
        return jwt.decode(
            payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID, issuer=issuer,
            leeway=CLOCK_SKEW_SECONDS, options={"require": REQUIRED_ID_TOKEN_CLAIMS},
        )

    def get_or_create_user(self, access_token, id_token, payload):
        """The local account of the verified identity in `payload` (the id_token's claims)."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # Userinfo must describe the person the signed id_token names (OIDC Core 5.3.4).
        if userinfo.get("sub") != payload.get("sub"):
            raise Refused(REFUSED_SUBJECT_MISMATCH, payload)
        claims = {**userinfo, "sub": payload["sub"], "iss": payload.get("iss", "")}
        subject = f"{claims['iss']}|{claims['sub']}"[:400]
        bound = self.UserModel.objects.filter(oidc_subject=subject).select_related("organisation").first()
        if bound is not None:  # the identity bound at its first sign-in: no claim matching needed
            if not bound.is_active:
                raise Refused(REFUSED_DISABLED, claims)
            with transaction.atomic():
                audit_record(actor=bound, action="auth.oidc_login", obj=bound, changes={
                    "sub": claims["sub"], "iss": claims["iss"], "matched_by": "subject"})
            return bound
        claim_name = self.get_settings("OIDC_USERNAME_CLAIM", "") or "email"
        value = str(claims.get(claim_name) or "").strip()
        if not value:
            raise Refused(REFUSED_MISSING_CLAIM, claims)
        # Only an address the provider verified names an account: a missing claim, or the text
        # "false" some providers send, does not (else anyone could claim an officer's address).
        if claim_name == "email" and claims.get("email_verified") is not True:
            raise Refused(REFUSED_EMAIL_NOT_VERIFIED, claims)
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise Refused(REFUSED_AMBIGUOUS, claims)
        if users:
            user = users[0]
            if not user.is_active:
                raise Refused(REFUSED_DISABLED, claims)
            if user.oidc_subject:  # bound to another identity: the e-mail or username moved on
                raise Refused(REFUSED_SUBJECT_CHANGED, claims)
            with transaction.atomic():
                self.UserModel.objects.filter(pk=user.pk).update(oidc_subject=subject)
                audit_record(actor=user, action="auth.oidc_login", obj=user, changes={
                    "sub": claims["sub"], "iss": claims["iss"], "matched_by": claim_name, "bound": True})
            return user
        if not self.get_settings("OIDC_CREATE_USER", False):
            raise Refused(REFUSED_UNKNOWN_ACCOUNT, claims)
        return self.create_user(claims)

    def filter_users_by_claims(self, claims):
        """Accounts whose e-mail (or username, with OIDC_USERNAME_CLAIM) equals the claim."""
        claim_name = self.get_settings("OIDC_USERNAME_CLAIM", "") or "email"
        value = str(claims.get(claim_name) or "").strip()
        if not value:
            return self.UserModel.objects.none()
        lookup = {"email__iexact": value} if claim_name == "email" else {"username": value}
        return self.UserModel.objects.filter(**lookup).select_related("organisation").order_by("pk")

    def create_user(self, claims):
        """A new account without organisation or role: it can sign in, and sees only public data,
        until the department admin grants it access."""
        from geoportal.accounts.services import user_create

        claim_name = self.get_settings("OIDC_USERNAME_CLAIM", "") or "email"
        try:
            with transaction.atomic():
                user = user_create(
                    actor=None, username=str(claims[claim_name])[:150], organisation=None, roles=[],
                    email=str(claims.get("email") or "")[:254], first_name=str(claims.get("given_name") or "")[:150],
                    last_name=str(claims.get("family_name") or "")[:150],
                )
                self.UserModel.objects.filter(pk=user.pk).update(
                    oidc_subject=f"{claims['iss']}|{claims['sub']}"[:400])
                audit_record(actor=user, action="auth.oidc_login", obj=user, changes={
                    "sub": claims["sub"], "iss": claims["iss"], "matched_by": claim_name, "created": True})
        except ValidationError as exc:
            raise Refused(REFUSED_CREATE_FAILED, claims) from exc
        return user

    def _refuse(self, request, code: str, claims: dict) -> None:
        with transaction.atomic():
            audit_record(action="auth.oidc_refused", changes={
                "reason": code, "sub": str(claims.get("sub", ""))[:255], "iss": str(claims.get("iss", ""))[:255],
                "email": str(claims.get("email", ""))[:254], "error": str(claims.get("error", ""))[:100],
            })
        if code in (REFUSED_UNKNOWN_ACCOUNT, REFUSED_DISABLED, REFUSED_AMBIGUOUS, REFUSED_CREATE_FAILED,
                    REFUSED_SUBJECT_CHANGED):
            text = _("The central authentication service recognised you, but no active account of this portal "
                     "matches your identity. Ask the department administrator to link your account.")
        else:
            text = _("Sign-in with the central authentication service failed. Try again, or log in with "
                     "your portal password.")
        messages.error(request, text, fail_silently=True)
