"""The register: spatial features (map layers) and the records attached to them.

Geometries are stored in EPSG:4326 (the web and OGC API's CRS84); `source_srid`
records the CRS the data came in (VN-2000 TM-3 zones EPSG:9210/9209, UTM 48N
EPSG:3405 or 32648, WGS84). Metric questions use geography casts, never degrees.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.organisations.models import tax_code_validator
from layers.choices import (
    ApprovalStatus,
    DegradedAreaKind,
    DischargeKind,
    DocumentKind,
    FacilityStatus,
    InspectionKind,
    OperatingFrequency,
    PermitClass,
    PermitKind,
    ProjectGroup,
    ProtectedAreaCategory,
    RemedyStatus,
    UpdateFrequency,
    WasteFacilityKind,
    WaterAreaKind,
    ZoneKind,
)
from layers.querysets import (
    FacilityQuerySet,
    FeatureQuerySet,
    PermitQuerySet,
    RecordQuerySet,
    ZoneQuerySet,
)

ORG = "organisations.Organisation"
UNIT = "organisations.AdministrativeUnit"


class Approvable(models.Model):
    """Article 7 workflow fields; only layers/services/approval.py changes them."""

    approval_status = models.CharField(_("approval status"), max_length=12, choices=ApprovalStatus.choices,
                                       default=ApprovalStatus.DRAFT, db_index=True)
    entered_by = models.ForeignKey(ORG, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=1000, blank=True)
    needs_review = models.BooleanField(
        _("needs review"), default=False,
        help_text=_("Set by imports when a value was uncertain; an officer clears it."))
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Feature(Approvable):
    """Common fields of every map layer."""

    name = models.CharField(_("name"), max_length=255)
    admin_unit = models.ForeignKey(UNIT, verbose_name=_("administrative unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    source_srid = models.PositiveIntegerField(_("source SRID"), default=4326)
    description = models.TextField(_("description"), blank=True)
    documents = GenericRelation("layers.Document")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class IndustrialZone(Feature):
    """KCN, CCN, KKT or KCX. Its infrastructure investor files form 06."""

    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    kind = models.CharField(_("kind"), max_length=8, choices=ZoneKind.choices)
    code = models.CharField(_("code"), max_length=32, blank=True)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True)
    investor_organisation = models.ForeignKey(ORG, verbose_name=_("infrastructure investor"), null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="invested_zones")
    managing_board = models.ForeignKey(ORG, verbose_name=_("managing board"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="managed_zones")
    occupancy_pct = models.DecimalField(_("occupancy (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0), MaxValueValidator(100)])
    established_by = models.CharField(_("established by (decision)"), max_length=255, blank=True)
    cwwtp_capacity_m3_day = models.DecimalField(_("central WWTP capacity (m³/day)"), max_digits=10,
                                                decimal_places=1, null=True, blank=True)
    cwwtp_status = models.CharField(_("central WWTP status"), max_length=255, blank=True)
    cwwtp_location = models.PointField(_("central WWTP location"), srid=4326, null=True, blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial zone or cluster")
        verbose_name_plural = _("industrial zones and clusters")
        ordering = ["name"]


class Facility(Feature):
    """A production, business or service facility (cơ sở SXKDDV)."""

    geom = models.PointField(_("location"), srid=4326)
    owner_organisation = models.ForeignKey(ORG, verbose_name=_("owner"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="facilities")
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True, validators=[tax_code_validator])
    business_registration = models.CharField(_("business registration"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    # Derived from the point in PostGIS unless an officer fixed it by hand.
    admin_unit_manual = models.BooleanField(_("administrative unit set by hand"), default=False)
    zone = models.ForeignKey(IndustrialZone, verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="facilities")
    sector = models.ForeignKey("catalogues.CatalogueEntry", verbose_name=_("sector"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(_("activity"), max_length=500, blank=True)
    capacity = models.CharField(_("scale / capacity"), max_length=255, blank=True)
    operating_frequency = models.CharField(_("operating frequency"), max_length=10,
                                           choices=OperatingFrequency.choices, default=OperatingFrequency.REGULAR)
    season_note = models.CharField(_("season (if seasonal)"), max_length=255, blank=True)
    project_group = models.CharField(_("project group"), max_length=3, choices=ProjectGroup.choices, blank=True)
    permit_class = models.CharField(_("permit class"), max_length=8, choices=PermitClass.choices,
                                    default=PermitClass.GPMT)
    iso14001 = models.BooleanField(_("ISO 14001 certified"), default=False)
    iso14001_certificate = models.CharField(_("ISO 14001 certificate"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=FacilityStatus.choices,
                              default=FacilityStatus.OPERATING)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        indexes = [models.Index(fields=["tax_code"], name="facility_tax_code_idx")]

    @property
    def report_form(self) -> str | None:
        """The annual report form this facility files, or None when exempt."""
        return {PermitClass.GPMT: "05.A", PermitClass.DKMT: "05.B"}.get(self.permit_class)


class ProtectedArea(Feature):
    """A protected area or biodiversity site, with its species list."""

    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    category = models.CharField(_("category"), max_length=20, choices=ProtectedAreaCategory.choices)
    designation = models.CharField(_("designation"), max_length=255, blank=True,
                                   help_text=_("e.g. UNESCO biosphere reserve, Ramsar site, national"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=2, null=True, blank=True)
    management_body = models.CharField(_("management body"), max_length=255, blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("protected area")
        verbose_name_plural = _("protected areas")
        ordering = ["name"]


class Species(models.Model):
    """A species, with the status flags the biodiversity reports use."""

    scientific_name = models.CharField(_("scientific name"), max_length=200, unique=True)
    vietnamese_name = models.CharField(_("Vietnamese name"), max_length=200, blank=True)
    taxon_group = models.CharField(_("group"), max_length=80, blank=True)
    red_book = models.CharField(_("Vietnam Red Book category"), max_length=8, blank=True)
    endangered = models.BooleanField(_("endangered, precious and rare (priority list)"), default=False)
    endemic = models.BooleanField(_("endemic"), default=False)
    migratory = models.BooleanField(_("migratory"), default=False)
    invasive_alien = models.BooleanField(_("invasive alien"), default=False)

    class Meta:
        verbose_name = _("species")
        verbose_name_plural = _("species")
        ordering = ["scientific_name"]

    def __str__(self) -> str:
        return f"{self.scientific_name} ({self.vietnamese_name})" if self.vietnamese_name else self.scientific_name


class SpeciesRecord(models.Model):
    """A species on a protected area's list."""

    protected_area = models.ForeignKey(ProtectedArea, on_delete=models.CASCADE, related_name="species_records",
                                       verbose_name=_("protected area"))
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="records", verbose_name=_("species"))
    abundance = models.CharField(_("abundance"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("species record")
        verbose_name_plural = _("species records")
        constraints = [models.UniqueConstraint(fields=["protected_area", "species"], name="speciesrecord_unique")]


class DegradedArea(Feature):
    """A polluted, environmentally sensitive or degraded area."""

    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    kind = models.CharField(_("kind"), max_length=10, choices=DegradedAreaKind.choices)
    media = models.CharField(_("affected media"), max_length=120, blank=True, help_text=_("soil, water, air, ..."))
    pollutants = models.CharField(_("pollutants"), max_length=255, blank=True)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("polluted, sensitive or degraded area")
        verbose_name_plural = _("polluted, sensitive or degraded areas")
        ordering = ["name"]


class Incident(Feature):
    """An environmental incident (sự cố môi trường)."""

    geom = models.PointField(_("location"), srid=4326)
    occurred_on = models.DateField(_("date"))
    cause = models.TextField(_("cause"), blank=True)
    response = models.TextField(_("response"), blank=True)
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="incidents")
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("environmental incident")
        verbose_name_plural = _("environmental incidents")
        ordering = ["-occurred_on"]


class CraftVillage(Feature):
    geom = models.PointField(_("location"), srid=4326)
    products = models.CharField(_("products"), max_length=255, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    recognised_by = models.CharField(_("recognised by (decision)"), max_length=255, blank=True)
    pollution_note = models.TextField(_("environmental situation"), blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["name"]


class WasteFacility(Feature):
    geom = models.PointField(_("location"), srid=4326)
    kind = models.CharField(_("kind"), max_length=12, choices=WasteFacilityKind.choices)
    operator = models.ForeignKey(ORG, verbose_name=_("operator"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    capacity_t_day = models.DecimalField(_("capacity (t/day)"), max_digits=10, decimal_places=2, null=True, blank=True)
    technology = models.CharField(_("technology"), max_length=255, blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("waste treatment facility")
        verbose_name_plural = _("waste treatment facilities")
        ordering = ["name"]


class WaterArea(Feature):
    """A river basin, coastal or marine management area."""

    geom = models.MultiPolygonField(_("boundary"), srid=4326)
    kind = models.CharField(_("kind"), max_length=12, choices=WaterAreaKind.choices)
    water_bodies = models.CharField(_("water bodies"), max_length=500, blank=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("river basin, coastal or marine area")
        verbose_name_plural = _("river basins, coastal and marine areas")
        ordering = ["name"]


# --- Records attached to features ------------------------------------------------------

class FeatureRecord(Approvable):
    """A record about a facility or a zone (exactly one of the two)."""

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(IndustrialZone, verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    documents = GenericRelation("layers.Document")

    class Meta:
        abstract = True


def one_parent(name: str):
    return models.CheckConstraint(
        condition=(Q(facility__isnull=False) & Q(zone__isnull=True)) | (Q(facility__isnull=True) & Q(zone__isnull=False)),
        name=f"{name}_one_parent",
    )


class Permit(FeatureRecord):
    """An environmental permit (giấy phép môi trường, GPMT). Its status is computed."""

    number = models.CharField(_("number"), max_length=60)
    symbol = models.CharField(_("symbol"), max_length=60, blank=True, help_text=_("e.g. GPMT-UBND"))
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    issuer = models.ForeignKey("catalogues.CatalogueEntry", verbose_name=_("issuing authority"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(20)])
    expires_on = models.DateField(_("expiry date"), null=True, blank=True,
                                  help_text=_("As written on the permit; otherwise computed from the term."))
    kind = models.CharField(_("kind"), max_length=10, choices=PermitKind.choices, default=PermitKind.NEW)
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=500, blank=True)
    # Annual waste quantities permitted (kg/year).
    hazardous_waste_kg_year = models.DecimalField(_("hazardous waste (kg/year)"), max_digits=14, decimal_places=2,
                                                  null=True, blank=True)
    industrial_solid_waste_kg_year = models.DecimalField(_("ordinary industrial solid waste (kg/year)"),
                                                         max_digits=14, decimal_places=2, null=True, blank=True)
    domestic_solid_waste_kg_year = models.DecimalField(_("domestic solid waste (kg/year)"), max_digits=14,
                                                       decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = PermitQuerySet.as_manager()

    class Meta:
        verbose_name = _("environmental permit")
        verbose_name_plural = _("environmental permits")
        ordering = ["-signed_on", "number"]
        constraints = [one_parent("permit")]

    def __str__(self) -> str:
        return self.full_number

    @property
    def full_number(self) -> str:
        return f"{self.number}/{self.symbol}" if self.symbol and "/" not in self.number else self.number

    def state(self, today=None):
        """Computed status (layers.domain.permits). Use PermitQuerySet.with_successor()
        in lists so that the successor's number needs no extra query."""
        from django.utils import timezone

        from layers.domain.permits import permit_status

        successor = getattr(self, "successor_number", None)
        if successor is None and not hasattr(self, "successor_number"):
            nxt = Permit.objects.filter(supersedes=self).only("number", "symbol").first()
            successor = nxt.full_number if nxt else None
        return permit_status(today=today or timezone.localdate(), signed_on=self.signed_on,
                             term_years=self.term_years, expires_on=self.expires_on,
                             revoked_on=self.revoked_on, superseded_by=successor)


class DischargeStream(models.Model):
    """One discharge stream of a permit: flow, limits regulation and outfall."""

    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="discharge_streams",
                               verbose_name=_("permit"))
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("e.g. NT1, KT2"))
    kind = models.CharField(_("kind"), max_length=12, choices=DischargeKind.choices)
    max_flow = models.DecimalField(_("maximum flow"), max_digits=12, decimal_places=2, null=True, blank=True)
    flow_unit = models.CharField(_("flow unit"), max_length=20, blank=True, help_text=_("m³/day, m³/h"))
    regulation = models.CharField(_("applicable QCVN"), max_length=80, blank=True)
    regulation_column = models.CharField(_("column"), max_length=8, blank=True)
    # Multipliers of the superseded QCVN 40:2011 (Kq, Kf) and QCVN 19:2009 (Kp, Kv).
    factor_kq = models.DecimalField("Kq", max_digits=4, decimal_places=2, null=True, blank=True)
    factor_kf = models.DecimalField("Kf", max_digits=4, decimal_places=2, null=True, blank=True)
    factor_kp = models.DecimalField("Kp", max_digits=4, decimal_places=2, null=True, blank=True)
    factor_kv = models.DecimalField("Kv", max_digits=4, decimal_places=2, null=True, blank=True)
    receiving_body = models.CharField(_("receiving body"), max_length=255, blank=True)
    outfall = models.PointField(_("outfall"), srid=4326, null=True, blank=True)
    # The outfall as written on the permit (VN-2000 X = northing, Y = easting).
    outfall_source_srid = models.PositiveIntegerField(_("outfall source SRID"), null=True, blank=True)
    outfall_source_x = models.DecimalField(_("outfall X (northing)"), max_digits=12, decimal_places=3, null=True, blank=True)
    outfall_source_y = models.DecimalField(_("outfall Y (easting)"), max_digits=12, decimal_places=3, null=True, blank=True)
    treatment_works = models.TextField(_("treatment works"), blank=True)

    class Meta:
        verbose_name = _("discharge stream")
        verbose_name_plural = _("discharge streams")
        ordering = ["permit", "code"]

    def __str__(self) -> str:
        return f"{self.code or self.get_kind_display()} ({self.permit})"


class TrialOperation(models.Model):
    """A trial-operation (vận hành thử nghiệm, VHTN) period of a permit's works."""

    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="trial_operations",
                               verbose_name=_("permit"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    works = models.CharField(_("works"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("trial operation")
        verbose_name_plural = _("trial operations")
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="trialoperation_dates")]


class EnvironmentalRegistration(FeatureRecord):
    """Environmental registration (đăng ký môi trường, ĐKMT)."""

    number = models.CharField(_("number"), max_length=60, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    received_by = models.ForeignKey("catalogues.CatalogueEntry", verbose_name=_("received by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    related_permit = models.ForeignKey(Permit, verbose_name=_("permit of the same project"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("environmental registration")
        verbose_name_plural = _("environmental registrations")
        constraints = [one_parent("registration")]

    def __str__(self) -> str:
        return self.number or f"ĐKMT #{self.pk}"


class EIADecision(FeatureRecord):
    """Decision approving an EIA report (quyết định phê duyệt ĐTM)."""

    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    authority = models.ForeignKey("catalogues.CatalogueEntry", verbose_name=_("approving authority"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    project_name = models.CharField(_("project"), max_length=500, blank=True)
    related_permit = models.ForeignKey(Permit, verbose_name=_("permit of the same project"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("EIA approval decision")
        verbose_name_plural = _("EIA approval decisions")
        ordering = ["-decided_on"]
        constraints = [one_parent("eia")]

    def __str__(self) -> str:
        return self.number


class SEAReport(Approvable):
    """A strategic environmental assessment (ĐMC) of a plan or programme."""

    title = models.CharField(_("plan or programme"), max_length=500)
    appraised_on = models.DateField(_("appraisal date"), null=True, blank=True)
    authority = models.ForeignKey("catalogues.CatalogueEntry", verbose_name=_("appraising authority"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    result_document = models.CharField(_("appraisal result (document no.)"), max_length=120, blank=True)
    zone = models.ForeignKey(IndustrialZone, verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    admin_unit = models.ForeignKey(UNIT, verbose_name=_("administrative unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    documents = GenericRelation("layers.Document")

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic environmental assessment")
        verbose_name_plural = _("strategic environmental assessments")
        ordering = ["-appraised_on"]

    def __str__(self) -> str:
        return self.title


class Inspection(FeatureRecord):
    """An inspection or check, with the remedies it ordered."""

    inspected_on = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices, default=InspectionKind.PERIODIC)
    decision_number = models.CharField(_("decision / minutes number"), max_length=120, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    penalty_vnd = models.DecimalField(_("penalty (VND)"), max_digits=16, decimal_places=0, null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on"]
        constraints = [one_parent("inspection")]

    def __str__(self) -> str:
        return f"{self.authority} {self.inspected_on:%d/%m/%Y}"


class Remedy(models.Model):
    """A remedy an inspection required, and its follow-up."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="remedies",
                                   verbose_name=_("inspection"))
    description = models.TextField(_("required remedy"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RemedyStatus.choices, default=RemedyStatus.OPEN,
                              db_index=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


def document_upload_to(instance: "Document", filename: str) -> str:
    # Never the client's name on disk: a random name under the date (path traversal, R-D).
    import uuid

    from django.utils import timezone

    ext = instance.extension
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Document(models.Model):
    """A file attached to any feature or record, kept through Django's storage API."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    media_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_target_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        import os

        return os.path.splitext(self.original_name or "")[1].lower()[:10]


class MonthlyUpdate(models.Model):
    """A unit's update for a month (due before the 30th): created when the unit saves
    data in the month, or when it declares that nothing changed."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="monthly_updates",
                                     verbose_name=_("organisation"))
    period = models.DateField(_("month"), help_text=_("first day of the month"))
    changes = models.PositiveIntegerField(_("entries changed"), default=0)
    declared_no_change = models.BooleanField(_("declared no change"), default=False)
    first_at = models.DateTimeField(_("first update"), auto_now_add=True)
    last_at = models.DateTimeField(_("last update"), auto_now=True)

    class Meta:
        verbose_name = _("monthly update")
        verbose_name_plural = _("monthly updates")
        constraints = [models.UniqueConstraint(fields=["organisation", "period"], name="monthlyupdate_unique")]
        ordering = ["-period"]


class ImportBatch(models.Model):
    """An uploaded file being imported: previewed by a dry run, then imported (or not)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed (dry run)")
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    layer = models.CharField(_("layer"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=16)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    review_count = models.PositiveIntegerField(_("needs review"), default=0)
    organisation = models.ForeignKey(ORG, null=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.layer} ({self.get_status_display()})"


class LayerPublication(models.Model):
    """Whether a layer is open data, which of its fields are public, under which licence.
    The Department decides; only approved entries of a public layer are published."""

    layer = models.CharField(_("layer"), max_length=40, unique=True)
    is_public = models.BooleanField(_("public"), default=False)
    public_fields = ArrayField(models.CharField(max_length=64), verbose_name=_("public fields"), default=list,
                               blank=True, help_text=_("Field names published with each feature."))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = ArrayField(models.CharField(max_length=64), verbose_name=_("keywords"), default=list, blank=True)
    licence = models.CharField(_("licence"), max_length=64, default="CC-BY-4.0")
    licence_url = models.URLField(_("licence URL"), default="https://creativecommons.org/licenses/by/4.0/")
    attribution = models.CharField(_("attribution"), max_length=255,
                                   default="Sở Nông nghiệp và Môi trường thành phố Hải Phòng")
    update_frequency = models.CharField(_("update frequency"), max_length=12, choices=UpdateFrequency.choices,
                                        default=UpdateFrequency.MONTHLY)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("layer publication")
        verbose_name_plural = _("layer publications")
        ordering = ["layer"]

    def __str__(self) -> str:
        return self.layer

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "vi").startswith("en") and self.title_en else self.title_vi

    @property
    def description(self) -> str:
        from django.utils.translation import get_language

        en = (get_language() or "vi").startswith("en")
        return self.description_en if en and self.description_en else self.description_vi


class ExportJob(models.Model):
    """A large export running in the background (django.tasks), with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    collection = models.CharField(_("layer"), max_length=40)
    file_format = models.CharField(_("format"), max_length=10)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.collection}.{self.file_format} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0


# Every layer, in catalogue order: slug -> model. Used by views, imports and (later) publishing.
LAYER_MODELS = {
    "facilities": Facility,
    "zones": IndustrialZone,
    "protected-areas": ProtectedArea,
    "degraded-areas": DegradedArea,
    "incidents": Incident,
    "craft-villages": CraftVillage,
    "waste-facilities": WasteFacility,
    "water-areas": WaterArea,
}
