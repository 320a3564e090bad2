"""Organisations (đơn vị) and the commune-level administrative units of Hai Phong."""
from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.organisations.choices import OrganisationKind, UnitKind
from geoportal.organisations.querysets import AdministrativeUnitQuerySet, OrganisationQuerySet

tax_code_validator = RegexValidator(
    r"^\d{10}(-\d{3})?$",
    _("A tax code (mã số thuế) has 10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
)


class AdministrativeUnit(models.Model):
    """A commune-level unit (phường, xã or đặc khu) of Hai Phong after 1 July 2025
    (Resolution 1669/NQ-UBTVQH15: 45 wards, 67 communes, 2 special zones)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    province_code = models.CharField(_("province code"), max_length=4, default="31")
    former_district = models.CharField(
        _("former district"), max_length=120, blank=True,
        help_text=_("District-level unit it mostly came from (abolished 1 July 2025), kept for history."),
    )
    former_province = models.CharField(_("former province"), max_length=60, blank=True)
    # Stored in EPSG:4326; source_srid records the CRS the boundary came in.
    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    source_srid = models.PositiveIntegerField(_("source SRID"), default=4326)
    is_approximate = models.BooleanField(
        _("approximate boundary"), default=False,
        help_text=_("Demo boundaries are approximate; import official ones with import_admin_units."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="adminunit_unique_kind_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Organisation(models.Model):
    """A unit that holds accounts: the Department, the EZ board, a commune People's
    Committee, an enterprise or a connection agency."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, db_index=True)
    admin_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("administrative unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organisations",
    )
    tax_code = models.CharField(
        _("tax code"), max_length=14, blank=True, validators=[tax_code_validator]
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The regulation gives each unit one account; the holder is the person who uses it.
    account_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account holder"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="held_organisations",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["admin_unit"], condition=Q(kind="commune"),
                name="organisation_one_committee_per_unit",
            ),
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="organisation_unique_tax_code",
            ),
            models.CheckConstraint(
                condition=~Q(kind="commune") | Q(admin_unit__isnull=False),
                name="organisation_commune_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name
