"""Enumerations of the register (labels in English; Vietnamese in the .po catalogue)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalStatus(models.TextChoices):
    """Article 7 of the Hai Phong regulation: a commune's entries count once approved."""

    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    CONSTRUCTION = "construction", _("Under construction")
    TRIAL = "trial", _("Trial operation")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class ProjectGroup(models.TextChoices):
    """Project groups I–IV by environmental risk, Law on Environmental Protection 2020 Art. 28."""

    I = "I", _("Group I")  # noqa: E741
    II = "II", _("Group II")
    III = "III", _("Group III")
    IV = "IV", _("Group IV")


class PermitClass(models.TextChoices):
    """Which annual report form the facility files (Circular 02/2022 Art. 66(1))."""

    GPMT = "gpmt", _("Environmental permit (GPMT) – form 05.A")
    DKMT = "dkmt", _("Environmental registration (ĐKMT) – form 05.B")
    EXEMPT = "exempt", _("Exempt (Art. 32 Decree 08/2022)")


class OperatingFrequency(models.TextChoices):
    REGULAR = "regular", _("Regular")
    SEASONAL = "seasonal", _("Seasonal")


class ZoneKind(models.TextChoices):
    KCN = "kcn", _("Industrial zone (KCN)")
    CCN = "ccn", _("Industrial cluster (CCN)")
    KKT = "kkt", _("Economic zone (KKT)")
    KCX = "kcx", _("Export-processing zone (KCX)")


class ProtectedAreaCategory(models.TextChoices):
    NATIONAL_PARK = "national_park", _("National park")
    NATURE_RESERVE = "nature_reserve", _("Nature reserve")
    HABITAT = "habitat", _("Species and habitat conservation area")
    LANDSCAPE = "landscape", _("Landscape protection area")
    MARINE = "marine", _("Marine protected area")
    BIOSPHERE = "biosphere", _("Biosphere reserve")
    WETLAND = "wetland", _("Wetland")
    BIODIVERSITY_SITE = "biodiversity_site", _("Biodiversity site")
    OTHER = "other", _("Other")


class DegradedAreaKind(models.TextChoices):
    POLLUTED = "polluted", _("Polluted area")
    SENSITIVE = "sensitive", _("Environmentally sensitive area")
    DEGRADED = "degraded", _("Degraded area")


class WasteFacilityKind(models.TextChoices):
    LANDFILL = "landfill", _("Landfill")
    INCINERATOR = "incinerator", _("Incinerator")
    COMPOSTING = "composting", _("Composting")
    HAZARDOUS = "hazardous", _("Hazardous waste treatment")
    WASTEWATER = "wastewater", _("Wastewater treatment plant")
    RECYCLING = "recycling", _("Recycling")
    OTHER = "other", _("Other")


class WaterAreaKind(models.TextChoices):
    RIVER_BASIN = "river_basin", _("River basin")
    COASTAL = "coastal", _("Coastal area")
    MARINE = "marine", _("Marine management area")


class PermitKind(models.TextChoices):
    NEW = "new", _("New")
    ADJUSTED = "adjusted", _("Adjusted")
    REISSUED = "reissued", _("Re-issued")


class PermitStatus(models.TextChoices):
    """Computed, never stored (layers/domain/permits.py)."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring (12 months or less)")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")
    UNDETERMINED = "undetermined", _("Undetermined (missing date or term)")


class DischargeKind(models.TextChoices):
    WASTEWATER = "wastewater", _("Wastewater")
    EMISSIONS = "emissions", _("Emissions")
    NOISE = "noise", _("Noise and vibration")


class RemedyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    UNSCHEDULED = "unscheduled", _("Unscheduled")
    POST_AUDIT = "post_audit", _("Post-licensing check")


class DocumentKind(models.TextChoices):
    PERMIT = "permit", _("Permit or decision")
    REPORT = "report", _("Report")
    MINUTES = "minutes", _("Inspection minutes")
    MAP = "map", _("Map or drawing")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class UpdateFrequency(models.TextChoices):
    """DCAT accrualPeriodicity values (EU vocabulary), for the layer catalogue."""

    CONTINUOUS = "continuous", _("Continuous")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    IRREGULAR = "irregular", _("Irregular")
