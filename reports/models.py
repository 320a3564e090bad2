"""Annual environmental protection (BVMT) reports: form versions, reports, copies of record.

A report is filed once a year per facility (forms 05.A / 05.B) or per zone (form 06,
by the zone's infrastructure investor). Its structured data follows the form version's
definition (fixtures/reports/forms/*.json). Each submission is a copy of record
(ReportSubmission): the signed PDF as received, its SHA-256, the verification result and
the agency's signed receipt. A PostgreSQL trigger refuses to change or delete it.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reports.choices import FormAppliesTo, RecipientKind, ReminderKind, ReportStatus, SigningPath
from reports.querysets import FormDefinitionQuerySet, ReportQuerySet, SubmissionQuerySet

ORG = "organisations.Organisation"
UNIT = "organisations.AdministrativeUnit"


class FormDefinition(models.Model):
    """One version of a report form, loaded from fixtures/reports/forms/ (data, not code)."""

    code = models.CharField(_("form"), max_length=8, help_text=_("05.A, 05.B or 06"))
    version = models.CharField(_("version"), max_length=20)
    applies_to = models.CharField(_("filed by"), max_length=16, choices=FormAppliesTo.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # "Before 15 January of the following year" (Art. 66(2), Decision 3323/QĐ-BTNMT):
    # a report is on time when received before this day.
    deadline_month = models.PositiveSmallIntegerField(_("deadline month"), default=1)
    deadline_day = models.PositiveSmallIntegerField(_("due before day"))
    definition = models.JSONField(_("definition"))
    sha256 = models.CharField("SHA-256", max_length=64, help_text=_("of the fixture file it was loaded from"))
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    objects = FormDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report form version")
        verbose_name_plural = _("report form versions")
        ordering = ["code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="formdefinition_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.version})"

    @property
    def title(self) -> str:
        en = (get_language() or "vi").startswith("en")
        return self.title_en if en and self.title_en else self.title_vi

    def due_before(self, year: int) -> dt.date:
        """The report for `year` is on time when received before this date."""
        return dt.date(year + 1, self.deadline_month, self.deadline_day)


class Report(models.Model):
    """The annual BVMT report of one facility (05.A/05.B) or one zone (06) for one year."""

    facility = models.ForeignKey("layers.Facility", verbose_name=_("facility"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reports")
    zone = models.ForeignKey("layers.IndustrialZone", verbose_name=_("zone (form 06)"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="investor_reports")
    organisation = models.ForeignKey(ORG, verbose_name=_("filed by"), on_delete=models.PROTECT,
                                     related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    form = models.ForeignKey(FormDefinition, verbose_name=_("form version"), on_delete=models.PROTECT,
                             related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT, db_index=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    data = models.JSONField(_("data"), default=dict, blank=True,
                            help_text=_('{"fields": {key: value}, "tables": {key: [row, ...]}}'))
    number = models.CharField(_("number and symbol"), max_length=60, blank=True, help_text=_("Số: …/BC-…"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    due_before = models.DateField(_("due before"))
    # Kept for history: where the facility was when the report was opened (the commune
    # and the district abolished on 1 July 2025), and the zone it lay in.
    admin_unit = models.ForeignKey(UNIT, verbose_name=_("commune"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    former_district = models.CharField(_("former district"), max_length=120, blank=True)
    in_zone = models.ForeignKey("layers.IndustrialZone", verbose_name=_("in zone"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # The PDF rendered from the current data, to be signed. Reset when the data changes.
    rendered_pdf = models.FileField(_("rendered PDF"), upload_to="reports/rendered/%Y/", max_length=255, blank=True)
    rendered_sha256 = models.CharField(_("rendered PDF SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(facility__isnull=False) & Q(zone__isnull=True))
                | (Q(facility__isnull=True) & Q(zone__isnull=False)),
                name="report_one_parent"),
            models.UniqueConstraint(fields=["facility", "year"], condition=Q(facility__isnull=False),
                                    name="report_unique_facility_year"),
            models.UniqueConstraint(fields=["zone", "year"], condition=Q(zone__isnull=False),
                                    name="report_unique_zone_year"),
            models.CheckConstraint(condition=Q(year__gte=2022) & Q(year__lte=2100), name="report_year_range"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="report_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.form.code} {self.year} – {self.subject_name}"

    @property
    def subject(self):
        return self.facility if self.facility_id else self.zone

    @property
    def subject_name(self) -> str:
        subject = self.subject
        return subject.name if subject is not None else ""

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def is_late(self, today: dt.date) -> bool:
        """Late: received on or after the deadline, or still not received after it."""
        if self.first_submitted_at is not None:
            from django.utils import timezone

            return timezone.localtime(self.first_submitted_at).date() >= self.due_before
        return today >= self.due_before


class ReportSubmission(models.Model):
    """The copy of record of one submitted revision: never changed, never deleted
    (a trigger refuses it). The review outcome is written once, next to it."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT,
                               related_name="submissions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    form = models.ForeignKey(FormDefinition, verbose_name=_("form version"), on_delete=models.PROTECT,
                             related_name="+")
    data = models.JSONField(_("data as submitted"))
    rendered_sha256 = models.CharField(_("rendered PDF SHA-256"), max_length=64)
    signed_pdf = models.FileField(_("signed PDF"), upload_to="reports/signed/%Y/", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    signing_path = models.CharField(_("signed"), max_length=8, choices=SigningPath.choices)
    verification = models.JSONField(_("verification result"))
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signer_tax_code = models.CharField(_("signer's tax code"), max_length=20, blank=True)
    signed_at = models.DateTimeField(_("signing time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    receipt_pdf = models.FileField(_("receipt"), upload_to="reports/receipts/%Y/", max_length=255)
    receipt_sha256 = models.CharField(_("receipt SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    # The review of this revision: empty until an officer decides, then written once.
    outcome = models.CharField(_("outcome"), max_length=10, blank=True,
                               choices=[("accepted", _("Accepted")), ("returned", _("Returned"))])
    outcome_reason = models.TextField(_("reason"), blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    outcome_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission (copy of record)")
        verbose_name_plural = _("submissions (copies of record)")
        ordering = ["report", "revision"]
        constraints = [models.UniqueConstraint(fields=["report", "revision"], name="submission_unique_revision")]

    def __str__(self) -> str:
        return f"{self.report} r{self.revision}"


class ReportRecipient(models.Model):
    """Who a submission was addressed to (Art. 66(5) Circular 02/2022), as computed on receipt."""

    submission = models.ForeignKey(ReportSubmission, on_delete=models.PROTECT, related_name="recipients",
                                   verbose_name=_("submission"))
    kind = models.CharField(_("kind"), max_length=16, choices=RecipientKind.choices)
    organisation = models.ForeignKey(ORG, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.name


class ReminderLog(models.Model):
    """A reminder sent for one filer, year and step: the key that sends each one once."""

    facility = models.ForeignKey("layers.Facility", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    zone = models.ForeignKey("layers.IndustrialZone", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=6, choices=ReminderKind.choices)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["facility", "zone", "year", "kind"], nulls_distinct=False,
                                               name="reminderlog_unique")]
