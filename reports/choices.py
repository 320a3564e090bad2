"""Enumerations of the annual BVMT reports (labels in English; Vietnamese in the .po catalogue)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """The report workflow (DESIGN.md section 5); only reports/services/workflow.py changes it."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class FormAppliesTo(models.TextChoices):
    """Who files which form (Circular 02/2022 Art. 66(1))."""

    GPMT = "gpmt", _("Facilities holding an environmental permit (form 05.A)")
    DKMT = "dkmt", _("Facilities with environmental registration (form 05.B)")
    ZONE_INVESTOR = "zone_investor", _("Investors in industrial zone or cluster infrastructure (form 06)")


class SigningPath(models.TextChoices):
    UPLOAD = "upload", _("Signed with the enterprise's own tool and uploaded")
    PORTAL = "portal", _("Signed in the portal")


class RecipientKind(models.TextChoices):
    """Art. 66(5) Circular 02/2022; which kinds apply is configuration (REPORT_RECIPIENT_RULES)."""

    PERMIT_ISSUER = "permit_issuer", _("Authority that issued the permit or received the registration")
    DEPARTMENT = "department", _("Department of Agriculture and Environment")
    ZONE_BOARD = "zone_board", _("Economic zone management board")
    ZONE_INVESTOR = "zone_investor", _("Zone infrastructure investor")


class ReminderKind(models.TextChoices):
    """Reminder e-mails, by days before the deadline (negative: after it)."""

    D30 = "d30", _("30 days before the deadline")
    D7 = "d7", _("7 days before the deadline")
    D1 = "d1", _("1 day before the deadline")
    LATE = "late", _("The day after the deadline")
