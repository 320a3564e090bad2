"""User accounts, account handovers and API tokens."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.accounts.querysets import ApiTokenQuerySet, PortalUserManager


class User(AbstractUser):
    """A person's account. It belongs to one organisation and holds roles."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    roles = ArrayField(
        models.CharField(max_length=32, choices=Role.choices), verbose_name=_("roles"),
        default=list, blank=True,
    )
    # Extra administrative units this account covers, beyond its organisation's own.
    scope_units = models.ManyToManyField(
        "organisations.AdministrativeUnit", verbose_name=_("additional units in scope"),
        blank=True, related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        "self", verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # "<iss>|<sub>" of the central authentication identity bound at the first OpenID Connect
    # sign-in: later sign-ins must be that identity, so a mailbox given to someone else after a
    # staff change does not open the old account.
    oidc_subject = models.CharField(_("central authentication identity"), max_length=400, blank=True,
                                    default="", editable=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(fields=["oidc_subject"], condition=~models.Q(oidc_subject=""),
                                    name="user_unique_oidc_subject"),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def get_roles_display(self) -> str:
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(r, r)) for r in self.roles)

    @property
    def review_due(self) -> bool:
        if self.last_reviewed_at is None:
            return True
        age = timezone.now() - self.last_reviewed_at
        return age.days >= settings.ACCOUNT_REVIEW_INTERVAL_DAYS


class AccountHandover(models.Model):
    """The transfer of an organisation's account to a new person (staff change)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="handovers",
        verbose_name=_("organisation"),
    )
    from_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("previous holder"),
    )
    to_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("new holder")
    )
    performed_by = models.ForeignKey(
        User, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("performed by")
    )
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500)
    previous_deactivated = models.BooleanField(_("previous holder deactivated"), default=True)

    class Meta:
        verbose_name = _("account handover")
        verbose_name_plural = _("account handovers")
        ordering = ["-performed_at"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.to_user} ({self.performed_at:%Y-%m-%d})"


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # What a connection account's agreement grants (issue 7): {collection: ["field", …] or "*"}.
    # Empty means no restriction by collection (the account's own scope still applies), which
    # keeps the tokens of officers and scripts working as before.
    grants = models.JSONField(_("granted collections and fields"), default=dict, blank=True)
    # Requests per minute for this token; None falls back to the "user" throttle rate.
    rate_limit_per_minute = models.PositiveIntegerField(_("rate limit (requests per minute)"),
                                                        null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_restricted(self) -> bool:
        return bool(self.grants)

    def granted_fields(self, collection: str) -> frozenset[str] | None:
        """The fields of `collection` this token may read: None when the collection is not
        granted, the `ALL_FIELDS` marker set when every field is."""
        if not self.grants:
            return ALL_FIELDS
        granted = self.grants.get(collection)
        if granted is None:
            return None
        if granted == "*":
            return ALL_FIELDS
        return frozenset(granted)


# Marker for "every field of the collection" (compare with `is ALL_FIELDS`).
ALL_FIELDS: frozenset[str] = frozenset({"*"})


class ApiTokenUsage(models.Model):
    """Requests made with one API token, counted per local day and per collection or endpoint."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="usage", verbose_name=_("token"))
    # The portal's local day (TIME_ZONE, UTC+7), the day officers read on the statistics.
    day = models.DateField(_("day"))
    # An exchanged collection's key when the URL names one, else the route name (e.g. "me").
    key = models.CharField(_("collection or endpoint"), max_length=100)
    count = models.PositiveBigIntegerField(_("requests"), default=0)
    last_at = models.DateTimeField(_("last request"))

    class Meta:
        verbose_name = _("API token usage")
        verbose_name_plural = _("API token usage")
        ordering = ["-day", "key"]
        constraints = [
            # The target of usage.record_usage()'s INSERT … ON CONFLICT: one counter per cell.
            models.UniqueConstraint(fields=["token", "day", "key"], name="accounts_tokenusage_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.day} {self.key}: {self.count}"
