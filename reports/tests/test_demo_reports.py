"""The demo reporting season (reports/demo.py, fixtures/demo/reports.json): loaded through
the real services on top of load_demo_data, in the states the scenario names, every
submission a verifiable copy of record, dates moved only on the Report, idempotent, and
numbers the officers' queries can total.

The demo data and the season are loaded once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint inside it."""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from geoportal.accounts.choices import Role
from geoportal.audit.models import AuditEvent
from geoportal.scopes import Action
from layers.models import Facility
from reports import analytics
from reports.choices import ReportStatus
from reports.demo import DEMO_USER_MARK, load_demo_reports, read_scenario, report_fixture_files
from reports.domain.forms import clean_data
from reports.models import Report, ReportSubmission
from reports.services.workflow import expected_tax_code
from reports.signing.verify import revision_before_first_signature, verify_receipt_pdf, verify_report_pdf

STEEL, TEXTILE, ELECTRONICS, CEMENT, SEAFOOD = "0200000001", "0200000002", "0200000003", "0800000004", "0200000005"
SCENARIO = read_scenario()
BULK = {b["facility"]: b for b in SCENARIO["bulk"]}


@pytest.fixture(scope="module")
def season(django_db_setup, django_db_blocker):
    """load_demo_data, then the demo reports (a no-op if load_demo_data already ran them); rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_data", stdout=StringIO(), stderr=StringIO())
            out = StringIO()
            loaded_at = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            counts = load_demo_reports(stdout=out)
            seconds = time.perf_counter() - started
            print(f"\nload_demo_reports: {seconds:.1f} s; {out.getvalue().strip()}")  # measured, not asserted
            yield {"counts": counts, "out": out.getvalue(), "loaded_at": loaded_at}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def report(tax_code: str, year: int = 2025) -> Report:
    return Report.objects.select_related("facility", "form", "organisation").get(
        facility__is_demo=True, facility__tax_code=tax_code, year=year)


def officer():
    return get_user_model().objects.get(username=SCENARIO["officer"])


def local_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_named_enterprises_are_in_the_scenario_states(season):
    """Steel: 2024 accepted, 2025 returned once then accepted (two copies of record);
    textile submitted with an explained exceedance; electronics returned; cement a draft;
    the exempt seafood plant has no report at all."""
    steel_2024 = report(STEEL, 2024)
    assert steel_2024.status == ReportStatus.ACCEPTED and steel_2024.submissions.count() == 1

    steel = report(STEEL)
    assert steel.status == ReportStatus.ACCEPTED and steel.revision == 2
    first, second = steel.submissions.order_by("revision")
    assert (first.revision, first.outcome, second.revision, second.outcome) == (1, "returned", 2, "accepted")
    assert "05 01 02" in first.outcome_reason
    assert first.outcome_by.username == second.outcome_by.username == "canbo.so"
    def codes(submission: ReportSubmission) -> list[str]:
        return [row["ctnh_code"] for row in submission.data["tables"]["hazardous_waste"]]

    assert "05 01 02" not in codes(first) and "05 01 02" in codes(second)  # the correction the officer asked for
    assert Decimal(second.data["fields"]["hazardous_waste_total_kg"]) > Decimal(first.data["fields"]
                                                                                ["hazardous_waste_total_kg"])
    # Prefilled from last year's report: its products are this year's "previous year".
    last_year = {r["item"]: r["reporting_year"] for r in steel_2024.data["tables"]["products"]}
    this_year = {r["item"]: r["previous_year"] for r in steel.data["tables"]["products"]}
    assert this_year == last_year and len(this_year) == 2

    textile = report(TEXTILE)
    assert textile.status == ReportStatus.SUBMITTED and textile.submissions.get().outcome == ""
    exceeding = [r for r in textile.data["tables"]["wastewater_monitoring"] if r["exceeds"]]
    assert [r["parameter"] for r in exceeding] == ["COD"]
    assert Decimal(exceeding[0]["result"]) > Decimal("150") and exceeding[0]["explanation"].startswith("Quý III")

    electronics = report(ELECTRONICS)
    assert electronics.status == ReportStatus.RETURNED and electronics.revision == 2
    assert electronics.return_reason.startswith("Mục 1.3") and electronics.is_editable
    assert electronics.submissions.get().outcome == "returned"
    assert len({r["sampling_date"] for r in electronics.data["tables"]["wastewater_monitoring"]}) == 2

    cement = report(CEMENT)
    assert cement.status == ReportStatus.DRAFT and cement.first_submitted_at is None
    assert not cement.submissions.exists() and not cement.rendered_pdf
    assert cement.data["fields"]["permit"].startswith("số 17/GPMT-UBND")  # prefilled from the permit
    assert cement.data["tables"]["products"]  # work in progress
    # Missing for the officers: they do not see the draft, and it is late.
    assert not Report.objects.for_user(officer(), Action.VIEW).filter(pk=cement.pk).exists()
    assert cement.is_late(dt.date(2026, 1, 15))

    seafood = Facility.objects.get(is_demo=True, tax_code=SEAFOOD)
    assert seafood.permit_class == "exempt" and not Report.objects.filter(facility=seafood).exists()


def test_bulk_facilities_spread_over_communes_zones_and_forms(season):
    """About twenty invented enterprises' reports, submitted or accepted as the scenario says,
    from several communes and zones, on both facility forms, a few late, a few exceeding."""
    reports = {r.facility.tax_code: r for r in Report.objects.filter(facility__tax_code__in=BULK)
               .select_related("facility", "form")}
    assert set(reports) == set(BULK) and len(reports) == 20
    for tax_code, r in reports.items():
        assert r.year == 2025 and r.status == BULK[tax_code]["outcome"], tax_code
        assert r.submissions.count() == 1 and r.form.code == {"gpmt": "05.A", "dkmt": "05.B"}[
            r.facility.permit_class]
    assert len({r.admin_unit_id for r in reports.values()}) >= 15
    assert len({r.in_zone_id for r in reports.values() if r.in_zone_id}) >= 8
    assert Counter(r.form.code for r in reports.values()) == {"05.A": 15, "05.B": 5}
    late = {t for t, r in reports.items() if r.is_late(dt.date(2026, 11, 21))}
    assert late == {t for t, b in BULK.items() if dt.datetime.fromisoformat(b["submitted"]).date()
                    >= dt.date(2026, 1, 15)}
    assert 2 <= len(late) <= 5
    codes = {row["ctnh_code"] for r in reports.values() for row in r.data["tables"]["hazardous_waste"]}
    assert len(codes) >= 12
    exceeding = {t for t, r in reports.items() for key in ("wastewater_monitoring", "emission_monitoring")
                 for row in r.data["tables"].get(key, []) if row.get("exceeds")}
    assert exceeding == {t for t, b in BULK.items() if b.get("exceedances")}
    # Small reports (fast to render): a few rows per table.
    assert max(len(rows) for r in reports.values() for rows in r.data["tables"].values()) <= 12


def test_report_dates_follow_the_scenario_but_copies_of_record_keep_the_real_time(season):
    """Only the Report's summary dates are moved; received_at, outcome_at and the audit stay true."""
    steel = report(STEEL)
    assert steel.first_submitted_at == dt.datetime.fromisoformat("2026-01-07T10:02:00+07:00")
    assert steel.submitted_at == dt.datetime.fromisoformat("2026-01-13T08:47:00+07:00")
    assert steel.reviewed_at == dt.datetime.fromisoformat("2026-01-16T09:20:00+07:00")
    assert steel.created_at == dt.datetime.fromisoformat("2025-12-22T08:00:00+07:00")
    assert steel.report_date == dt.date(2026, 1, 12) and steel.number == "03/BC-TĐV"
    late = report("0809558180")
    assert local_date(late.first_submitted_at) == dt.date(2026, 2, 3) and late.is_late(dt.date(2026, 11, 21))
    submissions = ReportSubmission.objects.filter(report__facility__is_demo=True)
    assert submissions.count() == 25
    assert not submissions.filter(received_at__lt=season["loaded_at"] - dt.timedelta(minutes=5)).exists()
    assert not submissions.filter(outcome_at__lt=season["loaded_at"] - dt.timedelta(minutes=5)).exists()


def test_every_submission_is_a_verifiable_copy_of_record(season):
    """Each signed PDF is the rendered PDF plus a signature by the filer's certificate (demo CA),
    verifies with verify_report_pdf, and its sealed receipt verifies; its data passes submission
    validation."""
    paths = Counter()
    for submission in ReportSubmission.objects.filter(report__facility__is_demo=True).select_related(
            "report__facility", "report__organisation", "form"):
        with default_storage.open(submission.signed_pdf.name, "rb") as fh:
            signed = fh.read()
        assert hashlib.sha256(signed).hexdigest() == submission.sha256
        rendered = revision_before_first_signature(signed)
        assert rendered is not None and hashlib.sha256(rendered).hexdigest() == submission.rendered_sha256
        tax_code = expected_tax_code(submission.report)
        verdict = verify_report_pdf(signed, rendered=rendered, expected_tax_code=tax_code)
        assert verdict.ok and verdict.code == "ok", (submission, verdict.message)
        assert submission.signer_tax_code == tax_code and submission.verification["code"] == "ok"
        with default_storage.open(submission.receipt_pdf.name, "rb") as fh:
            assert verify_receipt_pdf(fh.read()).ok, submission
        result = clean_data(submission.form.definition, submission.data, for_submission=True)
        assert result.errors == {}, (submission, result.errors)
        paths[submission.signing_path] += 1
    assert sum(paths.values()) == 25 and paths["upload"] >= 5 and paths["portal"] >= 10


def test_invented_enterprises_get_accounts_nobody_can_log_in_with(season):
    """One active enterprise account dn.<tax code> per invented enterprise, with an unusable
    password; the named demo accounts keep theirs."""
    User = get_user_model()
    created = User.objects.filter(first_name=DEMO_USER_MARK)
    owners = {Facility.objects.get(tax_code=t).owner_organisation for t in BULK}
    assert {u.organisation for u in created} == owners and created.count() == len(owners)
    for user in created:
        assert user.is_active and not user.has_usable_password() and user.roles == [Role.ENTERPRISE_USER]
        assert user.username == f"dn.{user.organisation.tax_code}"
    assert User.objects.get(username=f"dn.{STEEL}").check_password("HaiPhong@2025")
    assert report("0212498095-004").submissions.get().submitted_by.username == "dn.0212498095"


def test_second_load_creates_nothing(season):
    """Idempotent: every scenario report exists, so nothing is written (no row, no audit event)."""
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    before = (Report.objects.count(), ReportSubmission.objects.count(), get_user_model().objects.count())
    out = StringIO()

    counts = load_demo_reports(stdout=out)

    assert counts["reports"] == counts["submissions"] == counts["users"] == 0 and counts["kept"] == 25
    assert "nothing to do" in out.getvalue()
    assert (Report.objects.count(), ReportSubmission.objects.count(), get_user_model().objects.count()) == before
    assert not AuditEvent.objects.filter(pk__gt=last_event).exists()


def test_officer_queries_total_the_submitted_data(season):
    """Hazardous waste by commune over the demo equals the sum of the latest copies of record of
    the received 2025 reports; the wastewater exceedances name the scenario's facilities."""
    user = officer()
    expected, received = Decimal(0), 0
    for r in Report.objects.filter(year=2025).received():
        latest = r.submissions.order_by("-revision").first()
        expected += sum(Decimal(row["quantity_kg"]) for row in latest.data["tables"].get("hazardous_waste", []))
        received += 1
    assert received == 23 and expected > Decimal(100_000)

    result = analytics.query_table(user=user, measure="hazardous_waste_kg", dimension="commune", year=2025)
    assert result.total["value"] == expected and result.total["reports"] == received
    assert result.total["ignored"] == 0
    assert sum(row["value"] for row in analytics.aggregate(user=user, measure="hazardous_waste_kg",
                                                           dimension="commune", year=2025)) == expected
    assert len(result.rows) >= 15

    named = {row["name"] for row in analytics.exceedance_facilities(user=user, year=2025)}
    wanted = {TEXTILE} | {t for t, b in BULK.items()
                          if any(e["table"] == "wastewater_monitoring" for e in b.get("exceedances", ()))}
    assert named == set(Facility.objects.filter(tax_code__in=wanted).values_list("name", flat=True))


def test_fixture_files_are_named_for_the_digest(season):
    """load_demo_data's digest must cover what the season is made from."""
    names = {p.name for p in report_fixture_files()}
    assert {"reports.json", "05A-2022.json", "demo-root-ca.pem", "demo-root-ca.key.pem",
            f"enterprise-{STEEL}.p12"} <= names
    assert all(p.is_file() for p in report_fixture_files())


def test_demo_reports_need_the_demo_ca_among_the_trusted_roots(season, settings):
    """With production roots (here: another certificate) no demo signature would verify, so the
    loader skips the season instead of failing half-way."""
    from reports.demo import _Loader

    assert _Loader(SCENARIO).root_is_trusted()
    settings.REPORT_TRUST_ROOTS = [str(settings.DEMO_PKI_DIR / "agency-eseal.pem")]
    assert not _Loader(SCENARIO).root_is_trusted()
