"""Enumerations of the monitoring network (labels in English; Vietnamese in the .po catalogue)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    AMBIENT_AIR = "ambient_air", _("Ambient air")
    SURFACE_WATER = "surface_water", _("Surface water")
    GROUNDWATER = "groundwater", _("Groundwater")
    SEAWATER = "seawater", _("Seawater")
    WASTEWATER = "wastewater", _("Wastewater outfall")
    STACK = "stack", _("Stack emissions")


class StationMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic, continuous")
    PERIODIC = "periodic", _("Periodic sampling")


class ReadingStatus(models.IntegerChoices):
    """Instrument status a datalogger reports with each value (Circular 10/2021 Art. 39)."""

    MEASURING = 0, _("Measuring")
    CALIBRATING = 1, _("Calibrating")
    ERROR = 2, _("Instrument error")


class Averaging(models.TextChoices):
    INSTANT = "instant", _("Single value")
    HOUR = "1h", _("1 hour")
    EIGHT_HOURS = "8h", _("8 hours")
    DAY = "24h", _("24 hours")
    YEAR = "year", _("Year")


class Medium(models.TextChoices):
    AMBIENT_AIR = "ambient_air", _("Ambient air")
    WATER = "water", _("Surface, ground or sea water")
    WASTEWATER = "wastewater", _("Wastewater")
    EMISSION = "emission", _("Stack emissions")
