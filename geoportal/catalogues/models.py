"""Catalogues (danh mục): managed reference lists such as sectors or issuing authorities."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geoportal.catalogues.choices import RevisionAction
from geoportal.catalogues.querysets import CatalogueEntryQuerySet, CatalogueQuerySet


class Catalogue(models.Model):
    """A named reference list. Its entries carry validity dates instead of being deleted."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi


class CatalogueEntry(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="entries",
                                  verbose_name=_("catalogue"))
    code = models.CharField(_("code"), max_length=64)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["catalogue", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogueentry_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="catalogueentry_valid_range",
                violation_error_message=_("The end date comes before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi


class FixtureLoad(models.Model):
    """Which version (SHA-256 of the files) of a data set from fixtures/ is loaded, so that
    loading commands are idempotent and a changed fixture is reloaded."""

    name = models.CharField(_("data set"), max_length=100, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("fixture load")
        verbose_name_plural = _("fixture loads")

    def __str__(self) -> str:
        return f"{self.name} ({self.digest[:12]})"


class Revision(models.Model):
    """One version of a managed catalogue row: what it held after the change, what changed, who, when, why.

    Written by the services in geoportal/catalogues/services.py in the same transaction as the change and
    its audit event; append-only (a database trigger refuses UPDATE and DELETE)."""

    catalogue = models.CharField(_("catalogue"), max_length=64, db_index=True,
                                 help_text=_("the key of the managed catalogue"))
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=RevisionAction.choices)
    data = models.JSONField(_("values"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("{field: [old, new]}"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_username = models.CharField(_("changed by"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    audit_event = models.OneToOneField("audit.AuditEvent", verbose_name=_("audit event"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("catalogue revision")
        verbose_name_plural = _("catalogue revisions")
        ordering = ["content_type", "object_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "version"], name="revision_unique_version"),
        ]  # its index also serves the history of one object (content_type, object_id)

    def __str__(self) -> str:
        return f"{self.object_repr} v{self.version}"
