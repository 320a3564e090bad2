"""Authentication events go to the audit log (login, logout, failed login)."""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from geoportal.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept; the password never reaches the log.
    with transaction.atomic():
        audit_record(action="auth.login_failed", changes={"username": str(credentials.get("username", ""))[:150]})
