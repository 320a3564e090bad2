"""The report workflow end to end, through the pages: draft → submitted → returned →
resubmitted → accepted, with real PDFs, real signatures (demo CA) and sealed receipts."""
from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from geoportal.audit.models import AuditEvent
from reports.choices import ReportStatus
from reports.models import Report, ReportSubmission
from reports.services import workflow
from reports.tests.factories import build_report_world

PASSWORD = "HaiPhong@2025"


def p12(name: str) -> bytes:
    return (settings.DEMO_PKI_DIR / name).read_bytes()


def sign(pdf: bytes, name: str = "enterprise-0200000001.p12") -> bytes:
    from reports.signing.signers import Pkcs12Signer

    return Pkcs12Signer(p12(name), PASSWORD.encode()).sign(pdf, field_name="Sig", reason="test", location="HP")


def complete(report: Report) -> dict:
    """The report's prefilled data plus what an enterprise types in."""
    data = {"fields": dict(report.data.get("fields", {})), "tables": dict(report.data.get("tables", {}))}
    data["fields"].update({
        "facility_name": "Nhà máy thử", "address_phone": "KCN Đình Vũ, 0225 3 000 000", "representative": "Nguyễn Văn A",
        "activity_scale_frequency": "Sản xuất thép, 100.000 tấn/năm, thường xuyên", "tax_code": "0200000001",
        "permit": "GPMT số 1/GPMT-UBND ngày 01/01/2024", "hazardous_waste_total_kg": ""})
    data["tables"]["hazardous_waste"] = [
        {"waste_name": "Bụi lò", "ctnh_code": "05 01 02", "quantity_kg": "1.200,5", "receiver": "Công ty xử lý X"},
        {"waste_name": "Dầu thải", "ctnh_code": "17 02 03", "quantity_kg": "300", "receiver": "Công ty xử lý X"}]
    data["tables"]["wastewater_monitoring"] = [
        {"sampling_date": "15/06/2025", "point": "NT1", "parameter": "COD", "unit": "mg/L", "result": "160",
         "limit": "≤ 150", "explanation": "Sự cố bơm hóa chất ngày 14/06, đã khắc phục"}]
    return data


@pytest.fixture
def forms_loaded(db):
    from reports.formdefs import load_form_definitions

    return load_form_definitions()


@pytest.fixture
def rw(world, forms_loaded):
    return build_report_world(world)


def _open(client, world, rw) -> Report:
    client.force_login(world.users["enterprise_user"])
    r = client.post("/portal/reports/open/", {"facility": rw.facility_a.pk, "year": 2024})
    assert r.status_code == 302
    report = Report.objects.get(facility=rw.facility_a, year=2024)
    assert r["Location"] == f"/reports/{report.pk}/edit/"
    assert report.form.code == "05.A" and report.status == ReportStatus.DRAFT
    return report


def _fill_render_sign(client, report: Report, *, cert: str = "enterprise-0200000001.p12"):
    saved = workflow.report_save_data(user=report.created_by, report=report, raw=complete(report))
    assert saved.result.errors == {}, saved.result.errors
    assert saved.report.data["fields"]["hazardous_waste_total_kg"] == "1500.5"  # totals filled in
    assert client.post(f"/reports/{report.pk}/render/").status_code == 302
    report.refresh_from_db()
    assert report.rendered_sha256
    rendered = client.get(f"/reports/{report.pk}/rendered.pdf")
    assert rendered.status_code == 200 and rendered["Content-Type"] == "application/pdf"
    pdf = b"".join(rendered.streaming_content)
    return sign(pdf, cert)


def test_draft_submit_return_resubmit_accept(world, rw, client):
    report = _open(client, world, rw)
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 200
    signed = _fill_render_sign(client, report)

    r = client.post(f"/reports/{report.pk}/sign/", {"path": "upload",
                                                     "signed_pdf": SimpleUploadedFile("bc.pdf", signed)})
    assert r.status_code == 302, r.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.revision == 1
    first = report.submissions.get()
    assert first.verification["ok"] and first.signer_tax_code == "0200000001"
    assert [x.kind for x in first.recipients.all()][0:1] and first.receipt_sha256
    with default_storage.open(first.signed_pdf.name, "rb") as fh:
        assert fh.read() == signed  # the copy of record is byte-identical to what was received

    # the enterprise can no longer edit; the officer sees it and returns it
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 302
    client.force_login(world.users["dept_officer"])
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200 and b'data-testid="review"' in page.content
    assert client.post(f"/reports/{report.pk}/review/return/", {"reason": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # a return needs a reason
    client.post(f"/reports/{report.pk}/review/return/", {"reason": "Bổ sung kết quả quan trắc quý IV"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.revision == 2
    assert report.return_reason == "Bổ sung kết quả quan trắc quý IV"

    # a second revision, signed in the portal this time
    client.force_login(world.users["enterprise_user"])
    assert "Bổ sung kết quả quan trắc" in client.get(f"/reports/{report.pk}/edit/").content.decode()
    _fill_render_sign(client, report)
    r = client.post(f"/reports/{report.pk}/sign/", {
        "path": "portal", "password": PASSWORD,
        "certificate": SimpleUploadedFile("dn.p12", p12("enterprise-0200000001.p12"))})
    assert r.status_code == 302, r.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.revision == 2

    client.force_login(world.users["dept_officer"])
    client.post(f"/reports/{report.pk}/review/accept/", {"reason": "Đạt"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    subs = list(report.submissions.order_by("revision"))
    assert [(s.revision, s.outcome) for s in subs] == [(1, "returned"), (2, "accepted")]
    assert subs[1].signing_path == "portal"
    actions = list(AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="report.")
                   .order_by("pk").values_list("action", flat=True))
    for expected in ("report.open", "report.render", "report.submit", "report.return", "report.accept"):
        assert expected in actions
    assert actions.count("report.submit") == 2

    # the receipt and the signed PDF download for the officer; receipts are sealed
    receipt = client.get(f"/reports/{report.pk}/r1/receipt.pdf")
    assert receipt.status_code == 200
    from reports.signing.verify import verify_receipt_pdf

    assert verify_receipt_pdf(b"".join(receipt.streaming_content)).ok


def test_copy_of_record_cannot_be_changed_or_deleted(world, rw):
    from django.db.utils import DatabaseError

    submission = ReportSubmission.objects.get(report=rw.report_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSubmission.objects.filter(pk=submission.pk).update(sha256="f" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSubmission.objects.filter(pk=submission.pk).delete()
    # the review outcome is written once
    ReportSubmission.objects.filter(pk=submission.pk).update(outcome="accepted")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSubmission.objects.filter(pk=submission.pk).update(outcome="returned")


def test_signature_by_another_enterprise_is_rejected_with_its_reason(world, rw, client):
    report = _open(client, world, rw)
    signed = _fill_render_sign(client, report, cert="enterprise-0200000002.p12")
    r = client.post(f"/reports/{report.pk}/sign/", {"path": "upload",
                                                     "signed_pdf": SimpleUploadedFile("bc.pdf", signed)})
    assert r.status_code == 400
    assert b'data-code="wrong_signer"' in r.content
    assert "không phải của doanh nghiệp" in r.content.decode()  # the reason, in the user's language
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.submissions.exists()
    assert AuditEvent.objects.filter(action="report.signature_rejected", object_id=str(report.pk)).exists()


def test_not_a_pdf_and_wrong_password_are_form_errors(world, rw, client):
    report = _open(client, world, rw)
    _fill_render_sign(client, report)
    r = client.post(f"/reports/{report.pk}/sign/", {"path": "upload",
                                                     "signed_pdf": SimpleUploadedFile("x.pdf", b"hello")})
    assert r.status_code == 400 and "PDF".encode() in r.content
    r = client.post(f"/reports/{report.pk}/sign/", {
        "path": "portal", "password": "wrong",
        "certificate": SimpleUploadedFile("dn.p12", p12("enterprise-0200000001.p12"))})
    assert r.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_incomplete_report_cannot_be_rendered(world, rw, client):
    report = _open(client, world, rw)
    data = complete(report)
    data["fields"]["tax_code"] = "12ab"
    data["tables"]["wastewater_monitoring"][0]["explanation"] = ""  # an unexplained exceedance
    workflow.report_save_data(user=report.created_by, report=report, raw=data)
    r = client.post(f"/reports/{report.pk}/render/")
    assert r.status_code == 302 and r["Location"] == f"/reports/{report.pk}/edit/"
    report.refresh_from_db()
    assert not report.rendered_pdf
    page = client.get(f"/reports/{report.pk}/edit/?section=wastewater").content.decode()
    assert "exceeds" in page


def test_same_file_uploaded_twice_gives_one_submission(world, rw, client):
    report = _open(client, world, rw)
    signed = _fill_render_sign(client, report)
    user = world.users["enterprise_user"]
    one = workflow.report_submit_signed(user=user, report=report, signed=signed)
    two = workflow.report_submit_signed(user=user, report=report, signed=signed)
    assert one.pk == two.pk and report.submissions.count() == 1
    # another file for the same revision is refused: the report is under review
    with pytest.raises(workflow.TransitionError):
        workflow.report_submit_signed(user=user, report=report, signed=sign(workflow.rendered_bytes(report)))


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_give_one_copy_of_record(world, client):
    from reports.formdefs import load_form_definitions

    load_form_definitions()
    rw = build_report_world(world)
    report = _open(client, world, rw)
    signed = _fill_render_sign(client, report)
    user = world.users["enterprise_user"]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            results.append(workflow.report_submit_signed(user=user, report=report, signed=signed).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == 2 and len(set(results)) == 1
    assert ReportSubmission.objects.filter(report=report).count() == 1
