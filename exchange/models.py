"""Data packages: the versioned bundles sent to the national environmental database and the ministry."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exchange.querysets import DataPackageQuerySet


class PackageStatus(models.TextChoices):
    READY = "ready", _("Ready")
    # Kept for the record (its version number is never reused) but no longer offered.
    WITHDRAWN = "withdrawn", _("Withdrawn")


def package_upload_to(instance: "DataPackage", filename: str) -> str:
    return f"exchange/packages/{filename}"


class DataPackage(models.Model):
    """One built bundle (ZIP of JSON/GeoJSON files, a GeoPackage, manifest.json and SHA256SUMS)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    schema_version = models.CharField(_("schema version"), max_length=10)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("empty when built by the scheduler or a command"))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=package_upload_to, max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    manifest = models.JSONField(_("manifest"))
    counts = models.JSONField(_("row counts"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=PackageStatus.choices,
                              default=PackageStatus.READY)

    objects = DataPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("data package")
        verbose_name_plural = _("data packages")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else f"v{self.version}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
