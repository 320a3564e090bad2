"""Several signatures over one report (Art. 65 Circular 02/2022: the competent person's e-signature
AND the unit's e-seal): each later revision may only add a signature of the same enterprise, the
last signature covers the file (or only LTA updates follow it), and every signature must pass on
its own. The e-seal and the expired certificate are minted in memory from the demo root."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko_certvalidator import ValidationContext

from reports.pdf.samples import sample_data
from reports.signing import demo_pki
from reports.signing.signers import load_pkcs12_signer
from reports.signing.verify import (
    _pages_unchanged,
    revision_before_first_signature,
    settings_trust_roots,
    verify_report_pdf,
)
from reports.tests.test_signing import (
    PASSWORD,
    PKI,
    SIGN,
    TAX_CODE,
    append_page_content,
    check,
    draw_over_first_page,
    dummy_tsa,
    p12,
)


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are asserted in their English source; Vietnamese is checked in test_i18n-style tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
COMPANY = "Công ty TNHH Thép Đình Vũ (demo)"
NOW = dt.datetime.now(dt.UTC)


def mint_p12(tax_code: str = TAX_CODE, *, unit: str = "", expired: bool = False, name: str = COMPANY) -> bytes:
    """Another certificate of an enterprise, issued by the committed demo root (keyUsage
    digitalSignature + nonRepudiation)."""
    days = dt.timedelta(days=1)
    not_before, not_after = (NOW - 400 * days, NOW - 30 * days) if expired else (NOW - days, NOW + 365 * days)
    return demo_pki.issue_enterprise_pkcs12(PKI, name=name, tax_code=tax_code, unit=unit,
                                            not_before=not_before, not_after=not_after)


def add_signature(pdf: bytes, p12_bytes: bytes, field: str, *, before_signing=None, timestamper=None) -> bytes:
    """`pdf` with one more PAdES signature (no validity check on the certificate: the portal's signer
    would refuse an expired one); `before_signing(writer)` edits the same update first."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if before_signing is not None:
        before_signing(writer)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES, reason="test",
                                        location="Hải Phòng")
    signer = load_pkcs12_signer(p12_bytes, PASSWORD)
    return signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(
        writer, output=io.BytesIO()).getvalue()


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> bytes:
    """The report as the portal rendered it."""
    from reports.pdf import render_report_pdf
    from reports.tests.test_pdf import CREATED, make_report

    with django_db_blocker.unblock(), transaction.atomic():
        report = make_report(data=sample_data(hazardous_rows=3, monitoring_rows=3), version="test-signing-multi")
        pdf = render_report_pdf(report=report, created=CREATED)
        transaction.set_rollback(True)
    return pdf


@pytest.fixture(scope="module")
def eseal_p12() -> bytes:
    """The enterprise's e-seal: a second certificate with the same tax code, another key."""
    return mint_p12(unit="Dấu điện tử")


@pytest.fixture(scope="module")
def signed(rendered) -> bytes:
    """Signed by the legal representative's certificate (the committed demo certificate)."""
    return add_signature(rendered, p12(f"enterprise-{TAX_CODE}.p12"), SIGN["field_name"])


@pytest.fixture(scope="module")
def sealed(signed, eseal_p12) -> bytes:
    """Then sealed with the enterprise's e-seal in a later revision."""
    return add_signature(signed, eseal_p12, "DauDienTu")


def test_signature_and_eseal_of_the_same_enterprise_are_accepted(rendered, sealed):
    """Two certificates of enterprise 0200000001, one revision each: ok, with one entry per signature."""
    v = verify_report_pdf(sealed, rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "ok", "2 valid signatures", COMPANY, "Dấu điện tử", "(tax code 0200000001)")
    first, second = v.details["signatures"]
    assert (first["field"], first["signed_revision"], first["coverage"], first["modification_level"]) == (
        SIGN["field_name"], 1, "ENTIRE_REVISION", "FORM_FILLING")
    assert first["changed_fields"] == ["DauDienTu"] and first["docmdp_ok"] is True
    assert (second["field"], second["signed_revision"], second["coverage"], second["modification_level"]) == (
        "DauDienTu", 2, "ENTIRE_FILE", "NONE")
    assert first["tax_code"] == second["tax_code"] == TAX_CODE and first["serial"] != second["serial"]
    assert second["signer_name"].endswith("Dấu điện tử") and second["organisation"] == COMPANY
    # the top-level keys callers read are the first signature's (it carries the expected tax code)
    assert (v.details["signer_name"], v.details["tax_code"], v.details["signed_at"]) == (
        COMPANY, TAX_CODE, first["signed_at"])
    assert v.details["field_name"] == SIGN["field_name"] and v.details["revisions"] == 3


def test_the_first_signed_revision_is_the_rendered_pdf(rendered, signed, sealed):
    """What a copy-of-record check hashes: the bytes before the first signature's revision."""
    assert revision_before_first_signature(signed) == rendered
    assert revision_before_first_signature(sealed) == rendered
    assert revision_before_first_signature(rendered) is None


def test_second_signature_of_another_enterprise_is_wrong_signer(rendered, signed):
    """Enterprise 0200000002 adds its signature to 0200000001's report."""
    v = verify_report_pdf(add_signature(signed, p12("enterprise-0200000002.p12"), "Khac"), rendered=rendered,
                          expected_tax_code=TAX_CODE)
    check(v, "wrong_signer", "tax code 0200000002", "(tax code 0200000001)")
    assert v.details["tax_code"] == TAX_CODE  # the top level stays the filer's signature


def test_first_signature_of_another_enterprise_is_wrong_signer_too(rendered, eseal_p12):
    """Order does not matter: another enterprise signs first, then the filer's e-seal."""
    other_first = add_signature(add_signature(rendered, p12("enterprise-0200000002.p12"), "Khac"), eseal_p12, "Dau")
    v = verify_report_pdf(other_first, rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "wrong_signer", "tax code 0200000002")
    assert v.details["tax_code"] == TAX_CODE and v.details["field_name"] == "Dau"  # the primary signature


def test_branch_certificate_belongs_to_the_enterprise(rendered):
    """A branch's e-seal (0200000001-001) first, then the parent's signature: same enterprise (equal
    10-digit main part), and the parent carries the expected code, so it is the primary signature."""
    branch = mint_p12(f"{TAX_CODE}-001", unit="Chi nhánh Hải Phòng")
    pdf = add_signature(add_signature(rendered, branch, "ChiNhanh"), p12(f"enterprise-{TAX_CODE}.p12"), "ChuKy")
    v = verify_report_pdf(pdf, rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "ok", "2 valid signatures")
    assert [s["tax_code"] for s in v.details["signatures"]] == [f"{TAX_CODE}-001", TAX_CODE]
    assert v.details["tax_code"] == TAX_CODE and v.details["field_name"] == "ChuKy"


def test_only_branch_certificates_are_wrong_signer(rendered):
    """Nobody carries the filer's exact tax code: a branch alone does not sign for its parent."""
    branch = mint_p12(f"{TAX_CODE}-001", unit="Chi nhánh Hải Phòng")
    v = verify_report_pdf(add_signature(rendered, branch, "ChiNhanh"), rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "wrong_signer", f"tax code {TAX_CODE}-001")


def test_page_change_in_the_second_signatures_update_is_modified(rendered, signed, eseal_p12):
    """The e-seal's update also draws over page 1: the first signature sees more than a new signature."""
    attacked = add_signature(signed, eseal_p12, "DauDienTu", before_signing=draw_over_first_page)
    v = verify_report_pdf(attacked, rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "modified_after_signing", "changed after it was signed")
    first, second = v.details["signatures"]
    assert first["modification_level"] == "OTHER" and second["coverage"] == "ENTIRE_FILE"


def test_page_change_after_the_last_signature_is_modified(rendered, sealed):
    """Both signatures are intact, but an update after the e-seal draws over page 1."""
    v = verify_report_pdf(append_page_content(sealed), rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "modified_after_signing")
    assert [s["modification_level"] for s in v.details["signatures"]] == ["OTHER", "OTHER"]


def test_page_change_between_the_signatures_is_modified(rendered, signed, eseal_p12):
    """Draw over the page in its own update, then seal: the e-seal is fine, the first signature is not."""
    v = verify_report_pdf(add_signature(append_page_content(signed), eseal_p12, "DauDienTu"), rendered=rendered,
                          expected_tax_code=TAX_CODE)
    check(v, "modified_after_signing")
    first, second = v.details["signatures"]
    assert first["modification_level"] == "OTHER" and second["coverage"] == "ENTIRE_FILE"


def test_second_signature_by_an_expired_certificate_is_cert_expired(rendered, signed):
    """The enterprise's second certificate had expired: cert_expired, naming that certificate's serial."""
    expired = mint_p12(unit="Dấu điện tử", expired=True)
    v = verify_report_pdf(add_signature(signed, expired, "DauDienTu"), rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "cert_expired", "was not valid at the time of checking", v.details["signatures"][1]["serial"])
    assert v.details["signatures"][0]["serial"] not in v.message


def test_document_timestamp_after_both_signatures_is_ok(rendered, sealed):
    """B-LTA maintenance after the last signature (document timestamp): LTA_UPDATES, still ok."""
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed), strict=False)
    out = PdfTimeStamper(dummy_tsa()).timestamp_pdf(
        writer, md_algorithm="sha256", validation_context=ValidationContext(trust_roots=settings_trust_roots()),
        output=io.BytesIO()).getvalue()
    v = verify_report_pdf(out, rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "ok", "2 valid signatures")
    assert [(s["coverage"], s["modification_level"]) for s in v.details["signatures"]] == [
        ("ENTIRE_REVISION", "FORM_FILLING"), ("ENTIRE_REVISION", "LTA_UPDATES")]


def test_timestamped_e_seal_reports_its_timestamp(rendered, signed, eseal_p12):
    """PAdES B-T on the e-seal: its entry carries the timestamp and the signing time from it."""
    v = verify_report_pdf(add_signature(signed, eseal_p12, "DauDienTu", timestamper=dummy_tsa()),
                          rendered=rendered, expected_tax_code=TAX_CODE)
    check(v, "ok")
    first, second = v.details["signatures"]
    assert first["timestamp"] is None and first["level"] == "PAdES B-B"
    assert second["level"] == "PAdES B-T" and second["signed_at"] == second["timestamp"]["time"]
    assert second["timestamp"]["trusted"]


def test_page_fingerprint_ignores_signature_widgets_only(signed, sealed):
    """The independent page check: a signature's widget on the page is not a change, a drawing is."""
    reader = PdfFileReader(io.BytesIO(sealed), strict=False)
    assert _pages_unchanged(reader, 0, [1, 2])
    drawn = PdfFileReader(io.BytesIO(append_page_content(signed)), strict=False)
    assert _pages_unchanged(drawn, 0, [1]) and not _pages_unchanged(drawn, 1, [2])
