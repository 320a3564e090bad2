"""Factories and a small world of reports for the report tests."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
from django.utils import timezone

from reports.choices import ReportStatus
from reports.models import FormDefinition, Report, ReportSubmission

MINIMAL_DEFINITION = {
    "code": "05.A", "version": "test", "applies_to": "gpmt",
    "title": {"vi": "Mẫu thử", "en": "Test form"}, "legal_basis": "test",
    "effective_from": "2022-01-10", "effective_to": None,
    "deadline": {"month": 1, "day": 15, "basis": "test"},
    "sections": [{
        "key": "general", "number": "", "title": {"vi": "THÔNG TIN CHUNG", "en": "General information"},
        "status": "confirmed",
        "items": [
            {"kind": "field", "key": "facility_name", "number": "1", "label": {"vi": "Tên cơ sở", "en": "Name"},
             "type": "text", "required": True},
            {"kind": "table", "key": "hazardous_waste", "number": "2", "label": {"vi": "CTNH", "en": "HW"},
             "columns": [
                 {"key": "waste_name", "label": {"vi": "Tên", "en": "Name"}, "type": "text", "required": True},
                 {"key": "ctnh_code", "label": {"vi": "Mã CTNH", "en": "Code"}, "type": "text"},
                 {"key": "quantity_kg", "label": {"vi": "Khối lượng", "en": "Quantity"}, "type": "decimal",
                  "unit": "kg", "min": 0}],
             "min_rows": 0, "max_rows": 5000},
        ]}],
}


class FormDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormDefinition
        django_get_or_create = ("code", "version")

    code = "05.A"
    version = "test"
    applies_to = "gpmt"
    title_vi = "Mẫu thử"
    legal_basis = "test"
    effective_from = dt.date(2022, 1, 1)  # older than the shipped versions, so form_for() picks those
    deadline_month = 1
    deadline_day = 15
    definition = factory.LazyFunction(lambda: MINIMAL_DEFINITION)
    sha256 = "0" * 64


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    form = factory.SubFactory(FormDefinitionFactory)
    year = 2025
    organisation = factory.LazyAttribute(lambda o: o.facility.owner_organisation if o.facility else
                                         o.zone.investor_organisation)
    due_before = dt.date(2026, 1, 15)
    data = factory.LazyFunction(lambda: {"fields": {"facility_name": "Cơ sở thử"}, "tables": {}})
    admin_unit = factory.LazyAttribute(lambda o: o.facility.admin_unit if o.facility else None)
    in_zone = factory.LazyAttribute(lambda o: o.facility.zone if o.facility else o.zone)


def received(report: Report, *, when: dt.datetime | None = None) -> Report:
    """Mark `report` submitted with a copy-of-record row (file names only: for scope tests)."""
    when = when or timezone.now()
    ReportSubmission.objects.create(
        report=report, revision=report.revision, form=report.form, data=report.data, rendered_sha256="r" * 64,
        signed_pdf="reports/signed/test.pdf", sha256=f"{report.pk:064d}", size=1, signing_path="upload",
        verification={"ok": True, "code": "ok", "message": "ok"}, received_at=when,
        receipt_pdf="reports/receipts/test.pdf", receipt_sha256="c" * 64)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED, submitted_at=when,
                                               first_submitted_at=when)
    report.refresh_from_db()
    return report


@dataclass
class ReportWorld:
    facility_a: object  # enterprise A's facility, in commune A, in the EZ board's zone
    facility_b: object  # enterprise B's facility, in commune B
    draft_facility_a: object
    zone: object
    report_a: Report  # submitted
    report_b: Report  # submitted
    draft_a: Report  # enterprise A's draft


def build_report_world(world) -> ReportWorld:
    from tests.layer_factories import FacilityFactory, ZoneFactory

    zone = ZoneFactory(managing_board=world.ez_board, admin_unit=world.unit_a)
    facility_a = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a, zone=zone,
                                 tax_code="0200000001")
    facility_b = FacilityFactory(owner_organisation=world.enterprise_b, admin_unit=world.unit_b,
                                 tax_code="0200000002")
    draft_facility_a = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    report_a = received(ReportFactory(facility=facility_a))
    report_b = received(ReportFactory(facility=facility_b))
    draft_a = ReportFactory(facility=draft_facility_a)
    return ReportWorld(facility_a, facility_b, draft_facility_a, zone, report_a, report_b, draft_a)
