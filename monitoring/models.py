"""The monitoring network: stations (a map layer), parameters and units, limit sets,
readings (a table range-partitioned by month), exceedance events and station tokens.

Readings are stored in the parameter's canonical unit (converted on ingest), with the
instrument status the datalogger reported (Circular 10/2021 Art. 39). The readings table
is created by SQL in the migrations (PostgreSQL declarative partitioning); the model is
unmanaged and maps it for reads.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from layers.models import Feature
from monitoring.choices import Averaging, Medium, ReadingStatus, StationKind, StationMode
from monitoring.querysets import ExceedanceQuerySet, ReadingQuerySet, StationQuerySet


class Unit(models.Model):
    """A measurement unit, with the spellings dataloggers use for it."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. µg/Nm³, mg/L, °C"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    aliases = ArrayField(models.CharField(max_length=30), verbose_name=_("aliases"), default=list, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Parameter(models.Model):
    """A measured parameter (PM2.5, COD, SO2, flow, ...), stored in its canonical unit."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("canonical unit"), on_delete=models.PROTECT, related_name="+")
    # For ppm ↔ µg/m³ at 25 °C and 1 atm (24.45 L/mol).
    molar_mass = models.DecimalField(_("molar mass (g/mol)"), max_digits=8, decimal_places=4, null=True, blank=True)
    aliases = ArrayField(models.CharField(max_length=40), verbose_name=_("aliases"), default=list, blank=True)
    aqi_code = models.CharField(_("VN_AQI parameter"), max_length=10, blank=True,
                                help_text=_("SO2, CO, NO2, O3, PM10 or PM2.5 (Decision 1459/QĐ-TCMT)"))

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["medium", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        en = (get_language() or "vi").startswith("en")
        return self.name_en if en and self.name_en else self.name_vi


class Station(Feature):
    """A monitoring station or sampling point: the city network's or a facility's."""

    geom = models.PointField(_("location"), srid=4326)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=StationKind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=StationMode.choices, default=StationMode.AUTOMATIC)
    facility = models.ForeignKey("layers.Facility", verbose_name=_("facility"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="stations",
                                 help_text=_("Empty for a station of the city network."))
    operator = models.ForeignKey("organisations.Organisation", verbose_name=_("operator"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    discharge_stream = models.ForeignKey("layers.DischargeStream", verbose_name=_("discharge stream watched"),
                                         null=True, blank=True, on_delete=models.SET_NULL, related_name="stations")
    parameters = models.ManyToManyField(Parameter, through="StationParameter", related_name="stations",
                                        verbose_name=_("parameters"))
    datalogger_code = models.CharField(_("datalogger identity"), max_length=80, blank=True,
                                       help_text=_("<province>_<facility>_<station> as in the file names"))
    transmits_since = models.DateField(_("transmitting since"), null=True, blank=True)
    last_reading_at = models.DateTimeField(_("last reading"), null=True, blank=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring station")
        verbose_name_plural = _("monitoring stations")
        ordering = ["code"]
        indexes = [models.Index(fields=["datalogger_code"], name="station_datalogger_idx")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_city_network(self) -> bool:
        return self.facility_id is None


class StationParameter(models.Model):
    """A parameter a station measures, and how often (the design count of values)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="station_parameters")
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="+")
    interval_minutes = models.PositiveSmallIntegerField(_("interval (minutes)"), default=5,
                                                        help_text=_("5 for automatic stations (Circular 10/2021)"))

    class Meta:
        verbose_name = _("station parameter")
        verbose_name_plural = _("station parameters")
        constraints = [models.UniqueConstraint(fields=["station", "parameter"], name="stationparameter_unique")]


class StationToken(models.Model):
    """A station datalogger's push credential: only its SHA-256 is stored."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField("SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("station token")
        verbose_name_plural = _("station tokens")

    def __str__(self) -> str:
        return f"{self.station.code} {self.prefix}…"


class LimitSet(models.Model):
    """A regulation's limits (a QCVN and column), versioned by effective dates."""

    code = models.CharField(_("regulation"), max_length=60, help_text=_("e.g. QCVN 40:2011/BTNMT"))
    column = models.CharField(_("column"), max_length=8, blank=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    certainty = models.CharField(_("certainty"), max_length=12, default="confirmed",
                                 help_text=_("confirmed, secondary or unconfirmed (DOMAIN.md tags)"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    factors = models.JSONField(_("factor tables"), default=dict, blank=True,
                               help_text=_("Kq/Kf (QCVN 40:2011) or Kp/Kv (QCVN 19:2009)"))
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("limit set")
        verbose_name_plural = _("limit sets")
        ordering = ["code", "column"]
        constraints = [models.UniqueConstraint(fields=["code", "column"], name="limitset_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.column}".strip()


class LimitValue(models.Model):
    """One limit of a set: parameter, averaging window, bounds, validity."""

    limit_set = models.ForeignKey(LimitSet, on_delete=models.CASCADE, related_name="values")
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="+")
    averaging = models.CharField(_("averaging"), max_length=8, choices=Averaging.choices)
    lower = models.FloatField(_("lower bound"), null=True, blank=True)
    upper = models.FloatField(_("upper bound"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    multiplied = models.BooleanField(_("multiplied by the factors"), default=True,
                                     help_text=_("pH, temperature and coliform are not (QCVN 40:2011)"))
    certainty = models.CharField(_("certainty"), max_length=12, default="confirmed")

    class Meta:
        verbose_name = _("limit value")
        verbose_name_plural = _("limit values")
        ordering = ["limit_set", "parameter", "averaging", "valid_from"]


class PermitLimit(models.Model):
    """A limit written in a permit for one discharge stream: it takes precedence."""

    discharge_stream = models.ForeignKey("layers.DischargeStream", on_delete=models.CASCADE,
                                         related_name="limits", verbose_name=_("discharge stream"))
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="+")
    averaging = models.CharField(_("averaging"), max_length=8, choices=Averaging.choices, default=Averaging.HOUR)
    lower = models.FloatField(_("lower bound"), null=True, blank=True)
    upper = models.FloatField(_("upper bound"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("permit limit")
        verbose_name_plural = _("permit limits")
        constraints = [models.UniqueConstraint(fields=["discharge_stream", "parameter", "averaging"],
                                               name="permitlimit_unique")]


class Reading(models.Model):
    """One value from a station (unmanaged: the partitioned table is created by SQL)."""

    pk = models.CompositePrimaryKey("station", "parameter", "observed_at")
    station = models.ForeignKey(Station, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    parameter = models.ForeignKey(Parameter, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    observed_at = models.DateTimeField(_("observed at"))
    value = models.FloatField(_("value"))
    status = models.SmallIntegerField(_("status"), choices=ReadingStatus.choices, default=ReadingStatus.MEASURING)
    received_at = models.DateTimeField(_("received"))
    campaign_id = models.BigIntegerField(null=True, blank=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "monitoring_reading"
        verbose_name = _("reading")
        verbose_name_plural = _("readings")


class SamplingCampaign(models.Model):
    """A periodic sampling campaign (đợt quan trắc định kỳ) whose results were imported."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", null=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    sampled_from = models.DateField(_("sampled from"), null=True, blank=True)
    sampled_to = models.DateField(_("sampled to"), null=True, blank=True)
    original_name = models.CharField(_("file"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sampling campaign")
        verbose_name_plural = _("sampling campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ExceedanceEvent(models.Model):
    """A period in which a parameter's average broke its limit: one event, one notice."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="exceedances")
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="+")
    averaging = models.CharField(_("averaging"), max_length=8, choices=Averaging.choices)
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("empty while it lasts"))
    peak_value = models.FloatField(_("peak"))
    peak_at = models.DateTimeField(_("peak at"))
    limit_lower = models.FloatField(_("limit (lower)"), null=True, blank=True)
    limit_upper = models.FloatField(_("limit (upper)"), null=True, blank=True)
    limit_source = models.CharField(_("limit"), max_length=200, help_text=_("regulation and column, or the permit"))
    windows = models.PositiveIntegerField(_("averaging windows over the limit"), default=1)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    objects = ExceedanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("exceedance event")
        verbose_name_plural = _("exceedance events")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["station", "parameter", "averaging", "started_at"],
                                    name="exceedance_unique_start"),
            # At most one open event per station, parameter and window: new windows extend it.
            models.UniqueConstraint(fields=["station", "parameter", "averaging"], condition=Q(ended_at__isnull=True),
                                    name="exceedance_one_open"),
        ]


class StoredDailyAqi(models.Model):
    """A station's AQI^d of a finished local day, stored so that a year reads without the raw
    readings (monitoring.services.aqi.store_daily_aqi writes it; days_of_aqi reads it).

    `components` holds every sub-index of the day, in the order computed, as [parameter,
    averaging, concentration, exact, value, counts] (Decimals as their exact strings; counts:
    the one that counts for its parameter), from which the AqiResult is rebuilt exactly. `method` fingerprints what the day was computed
    with (AQI table version, the catalogue's AQI parameters, coverage): a row of another method
    is not read. Days from yesterday on are never stored (data still arrive); late readings
    delete the days they touch (services.ingest.write_readings).
    """

    # The unique (station, day) index serves every read; no separate index on station.
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+", db_index=False,
                                verbose_name=_("station"))
    day = models.DateField(_("day"))
    aqi = models.PositiveSmallIntegerField(_("AQI"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    dominant = models.CharField(_("dominant parameter"), max_length=10, blank=True)
    components = models.JSONField(_("sub-indices"), default=list, blank=True)
    method = models.CharField(_("method"), max_length=64)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("stored daily AQI")
        verbose_name_plural = _("stored daily AQI")
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="storeddailyaqi_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}: {self.aqi}"
