"""Release an account from the central authentication identity bound at its first OpenID
Connect sign-in (the person's central identity changed); the next sign-in binds again."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from geoportal.accounts.models import User
from geoportal.accounts.services import user_oidc_unbind


class Command(BaseCommand):
    help = "Release an account from its bound OpenID Connect identity (audited)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why (kept in the audit log)")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no account {opts['username']!r}")
        user_oidc_unbind(actor=None, user=user, reason=opts["reason"])
        self.stdout.write(self.style.SUCCESS(f"{user.username}: released from its central identity"))
