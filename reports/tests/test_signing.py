"""Signing in the portal (PAdES with a PKCS#12) and verification of uploaded signed reports:
each case of the issue gets its verdict code and a clear message. The demo PKI is
fixtures/demo/pki (reports/signing/demo_pki.py); one more certificate, self-signed, is
minted here for the "untrusted" case."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.db import transaction
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper

from reports.pdf.samples import sample_data
from reports.signing import demo_pki
from reports.signing.signers import Pkcs12Signer, SigningError, load_pkcs12_signer, pades_sign, settings_timestamper
from reports.signing.verify import CODES, certificate_tax_code, verify_report_pdf, verify_signed_pdf


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are asserted in their English source; Vietnamese is checked in test_i18n-style tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


# The module fixtures write (and roll back) rows: the mark makes pytest-django set up the test database.
pytestmark = pytest.mark.django_db
PKI = Path(settings.DEMO_PKI_DIR)
PASSWORD = demo_pki.DEMO_PASSWORD.encode()
TAX_CODE = "0200000001"
SIGN = {"field_name": "ChuKyDoanhNghiep", "reason": "Ký báo cáo công tác BVMT năm 2025", "location": "Hải Phòng"}


def p12(name: str) -> bytes:
    return (PKI / name).read_bytes()


def sign_with(pdf: bytes, name: str, **kwargs) -> bytes:
    return Pkcs12Signer(p12(name), PASSWORD, use_settings_tsa=False, **kwargs).sign(pdf, **SIGN)


def dummy_tsa() -> DummyTimeStamper:
    """The demo TSA as an in-process RFC 3161 server (offline B-T)."""
    key, cert, _chain = pkcs12.load_key_and_certificates(p12(demo_pki.TSA_FILE), PASSWORD)
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))


def draw_over_first_page(writer: IncrementalPdfFileWriter, text: bytes = b"0 0 1 rg 50 50 300 300 re f") -> None:
    """Add a content stream to page 1 in the writer's pending update."""
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=text)
    contents = page["/Contents"]
    existing = list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
    page["/Contents"] = generic.ArrayObject([*existing, writer.add_object(stream)])
    writer.update_container(page)


def append_page_content(pdf: bytes, text: bytes = b"0 0 1 rg 50 50 300 300 re f") -> bytes:
    """An incremental update that draws over page 1 (the incremental-saving / shadow attack)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    draw_over_first_page(writer, text)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """The report as the portal rendered it, and the same report rendered a day later (another PDF)."""
    from reports.pdf import render_report_pdf
    from reports.tests.test_pdf import CREATED, make_report

    with django_db_blocker.unblock(), transaction.atomic():
        report = make_report(data=sample_data(hazardous_rows=5, monitoring_rows=5), version="test-signing")
        pdfs = {"report": render_report_pdf(report=report, created=CREATED),
                "other": render_report_pdf(report=report, created=CREATED + dt.timedelta(days=1))}
        transaction.set_rollback(True)
    return pdfs


@pytest.fixture(scope="module")
def signed(rendered) -> bytes:
    """Signed in the portal with the demo certificate of enterprise 0200000001 (PAdES B-B)."""
    return sign_with(rendered["report"], f"enterprise-{TAX_CODE}.p12")


def check(verification, code: str, *phrases: str) -> None:
    assert verification.code == code, (verification.code, verification.message)
    assert verification.ok is (code == "ok")
    for phrase in phrases:
        assert phrase in verification.message, verification.message
    json.loads(verification.to_json())  # details stay JSON-serialisable


# --- the verdicts, in the order they are checked ----------------------------------------------------
def test_signed_with_the_demo_ca_is_accepted(rendered, signed):
    """The enterprise's own certificate from the demo CA, over the rendered PDF: ok, with the facts recorded."""
    assert signed.startswith(rendered["report"])  # an incremental update: the rendered bytes stay a prefix
    v = verify_report_pdf(signed, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "ok", "Valid signature by Công ty TNHH Thép Đình Vũ (demo)", "tax code 0200000001")
    d = v.details
    assert d["certificate"]["tax_code"] == TAX_CODE
    assert d["certificate"]["issuer"].startswith("Common Name: DEMO CA - KHÔNG DÙNG THẬT")
    assert d["coverage"] == "ENTIRE_FILE" and d["modification_level"] == "NONE"
    assert d["level"] == "PAdES B-B" and d["timestamp"] is None
    assert d["subfilter"] == "/ETSI.CAdES.detached"
    assert d["signed_revision"] == 1 and d["rendered_revisions"] == 1
    assert d["signing_time"] and d["pyhanko_version"]
    assert d["signer_name"] == "Công ty TNHH Thép Đình Vũ (demo)" and d["tax_code"] == TAX_CODE
    assert d["signed_at"] == d["signing_time"]
    [entry] = d["signatures"]
    assert entry["field"] == SIGN["field_name"] and entry["tax_code"] == TAX_CODE and entry["visible"] is False
    assert (entry["coverage"], entry["modification_level"], entry["signed_at"]) == ("ENTIRE_FILE", "NONE",
                                                                                   d["signed_at"])


def test_tampered_after_signing_is_broken(rendered, signed):
    """One byte flipped inside the signed range (in a content stream): the digest no longer matches."""
    start = signed.index(b"stream\n", 2000) + 20
    assert start < signed.index(b"/ByteRange")  # inside the first signed range
    tampered = signed[:start] + bytes([signed[start] ^ 0x01]) + signed[start + 1:]
    v = verify_report_pdf(tampered, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "broken", "signature is broken")
    assert v.details["intact"] is False


def test_signed_by_another_enterprise_is_wrong_signer(rendered):
    """A valid, trusted signature by enterprise 0200000002 on the report of 0200000001."""
    other = sign_with(rendered["report"], "enterprise-0200000002.p12")
    v = verify_report_pdf(other, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "wrong_signer", "tax code 0200000002", "(tax code 0200000001)")


def test_signed_over_a_different_pdf_is_different_document(rendered):
    """A signature over another rendering (same report, another day) is not the PDF the portal prepared."""
    over_other = sign_with(rendered["other"], f"enterprise-{TAX_CODE}.p12")
    v = verify_report_pdf(over_other, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "different_document", "not the report the portal prepared")


def test_signed_after_an_extra_revision_is_different_document(rendered):
    """The rendered bytes are a prefix, but the enterprise's tool added a revision before signing:
    the signature does not cover the revision right after the rendered one."""
    edited = append_page_content(rendered["report"])
    v = verify_report_pdf(sign_with(edited, f"enterprise-{TAX_CODE}.p12"), rendered=rendered["report"],
                          expected_tax_code=TAX_CODE)
    check(v, "different_document")
    assert v.details["signed_revision"] == 2


def test_page_changed_after_signing_is_modified(rendered, signed):
    """Shadow / incremental-saving attack: an update after the signature draws over the page."""
    attacked = append_page_content(signed)
    v = verify_report_pdf(attacked, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "modified_after_signing", "changed after it was signed")
    assert v.details["coverage"] == "ENTIRE_REVISION"
    assert v.details["modification_level"] == "OTHER"


def test_second_signature_by_the_same_enterprise_is_accepted(rendered, signed):
    """This test used to expect modified_after_signing: the portal accepted one signature only. Art. 65
    Circular 02/2022 wants the competent person's e-signature AND the unit's e-seal on an electronic
    report, so a later revision that only adds a signature of the same enterprise is now accepted
    (pyHanko rates it FORM_FILLING for the first signature). test_signing_multi.py has the other cases."""
    twice = Pkcs12Signer(p12(f"enterprise-{TAX_CODE}.p12"), PASSWORD, use_settings_tsa=False).sign(
        signed, field_name="ChuKyThuHai", reason="x", location="Hải Phòng")
    v = verify_report_pdf(twice, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "ok", "2 valid signatures")
    assert [s["field"] for s in v.details["signatures"]] == [SIGN["field_name"], "ChuKyThuHai"]
    assert v.details["modification_level"] == "FORM_FILLING"  # the top level is the first (primary) signature
    assert v.details["signatures"][1]["coverage"] == "ENTIRE_FILE"


def test_signing_revision_that_also_changes_the_page_is_different_document(rendered):
    """The signature covers the revision right after the rendered one, but that same update also draws
    over page 1: what was signed is not what the portal rendered."""
    writer = IncrementalPdfFileWriter(io.BytesIO(rendered["report"]), strict=False)
    draw_over_first_page(writer)
    signer = load_pkcs12_signer(p12(f"enterprise-{TAX_CODE}.p12"), PASSWORD)
    meta = signers.PdfSignatureMetadata(field_name="ChuKy", subfilter=SigSeedSubFilter.PADES)
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=io.BytesIO()).getvalue()
    v = verify_report_pdf(out, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "different_document")
    assert v.details["signed_revision"] == 1 and v.details["coverage"] == "ENTIRE_FILE"


def test_document_timestamp_after_signing_is_still_ok(rendered, signed):
    """Signature maintenance (a document timestamp and DSS, as B-LTA adds) is harmless: LTA_UPDATES is accepted."""
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko_certvalidator import ValidationContext

    from reports.signing.verify import settings_trust_roots

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    out = PdfTimeStamper(dummy_tsa()).timestamp_pdf(
        writer, md_algorithm="sha256", validation_context=ValidationContext(trust_roots=settings_trust_roots()),
        output=io.BytesIO())
    v = verify_report_pdf(out.getvalue(), rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "ok")
    assert v.details["coverage"] == "ENTIRE_REVISION" and v.details["modification_level"] == "LTA_UPDATES"


def test_expired_certificate_is_rejected(rendered):
    """The demo's expired certificate of 0200000001: the portal's signer refuses it, and a file signed
    with it elsewhere is rejected as cert_expired."""
    with pytest.raises(SigningError, match="expired"):
        sign_with(rendered["report"], f"enterprise-{TAX_CODE}-expired.p12")
    signer = load_pkcs12_signer(p12(f"enterprise-{TAX_CODE}-expired.p12"), PASSWORD)
    expired = pades_sign(rendered["report"], signer=signer, **SIGN)
    v = verify_report_pdf(expired, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "cert_expired", "was not valid at the time of checking")
    assert v.details["trust_problem"] == "OUT_OF_BOUNDS_NO_POE"


def test_unsigned_is_rejected(rendered):
    """The rendered PDF uploaded as is."""
    v = verify_report_pdf(rendered["report"], rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "unsigned", "has no digital signature")


@pytest.mark.parametrize("data", [b"", b"hello", b"\x89PNG\r\n\x1a\n" + b"0" * 100, b"%PDF-1.7\n garbage"])
def test_not_a_pdf_is_rejected(data, rendered):
    """Not a PDF, or a PDF header over garbage."""
    v = verify_report_pdf(data, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "not_pdf", "PDF")


def test_self_signed_certificate_is_untrusted(rendered):
    """A certificate with the right tax code, but self-signed (not from a configured root)."""
    now = dt.datetime.now(dt.UTC)
    rogue = demo_pki.mint(subject=demo_pki.enterprise_subject("Công ty TNHH Thép Đình Vũ (giả)", TAX_CODE),
                          not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365))
    data = demo_pki.pkcs12_bytes(rogue, chain=[])
    v = verify_report_pdf(sign_with_bytes(rendered["report"], data), rendered=rendered["report"],
                          expected_tax_code=TAX_CODE)
    check(v, "untrusted", "not issued by a certification authority the portal trusts", "(giả)")
    assert v.details["trust_problem"] == "CHAIN_CONSTRAINTS_FAILURE"  # pyHanko: "self-signed"


def sign_with_bytes(pdf: bytes, data: bytes) -> bytes:
    return Pkcs12Signer(data, PASSWORD, use_settings_tsa=False).sign(pdf, **SIGN)


def test_trust_roots_are_configuration(rendered, signed):
    """With another root configured, the demo CA's signature is untrusted."""
    now = dt.datetime.now(dt.UTC)
    other_root = demo_pki.mint(subject=demo_pki.simple_subject("Another root"), ca=True,
                               not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365))
    v = verify_report_pdf(signed, rendered=rendered["report"], expected_tax_code=TAX_CODE,
                          trust_roots=[asn1_x509.Certificate.load(
                              other_root.cert.public_bytes(serialization.Encoding.DER))])
    check(v, "untrusted")


def test_b_t_with_a_timestamp_is_ok(rendered):
    """PAdES B-T: the demo TSA's token is embedded, validated and reported."""
    stamped = sign_with(rendered["report"], f"enterprise-{TAX_CODE}.p12", timestamper=dummy_tsa())
    v = verify_report_pdf(stamped, rendered=rendered["report"], expected_tax_code=TAX_CODE)
    check(v, "ok")
    ts = v.details["timestamp"]
    assert v.details["level"] == "PAdES B-T"
    assert ts["trusted"] and ts["intact"] and ts["valid"]
    assert "DEMO TSA" in ts["tsa"]
    assert v.details["signed_at"] == ts["time"]
    assert abs(dt.datetime.fromisoformat(ts["time"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_codes_are_in_checking_order():
    """The verdict codes the lead's UI and API map, in the order they are checked."""
    assert CODES == ("not_pdf", "unsigned", "broken", "different_document", "modified_after_signing",
                     "cert_expired", "untrusted", "wrong_signer", "ok")


def test_generic_verification_skips_the_signer_check(rendered):
    """Without an expected tax code (the receipt case) another enterprise's signature is fine."""
    other = sign_with(rendered["report"], "enterprise-0200000002.p12")
    check(verify_signed_pdf(other, rendered=rendered["report"]), "ok", "Valid signature by")


# --- the signer -----------------------------------------------------------------------------------
def test_wrong_password_and_bad_file_give_clear_errors(rendered):
    """A user message for each, never a traceback."""
    with pytest.raises(SigningError) as wrong:
        Pkcs12Signer(p12(f"enterprise-{TAX_CODE}.p12"), b"not-the-password")
    assert "password" in wrong.value.user_message
    with pytest.raises(SigningError) as bad:
        Pkcs12Signer(b"this is not a p12 file", PASSWORD)
    assert "not a PKCS#12" in bad.value.user_message
    with pytest.raises(SigningError, match="could not be signed"):
        Pkcs12Signer(p12(f"enterprise-{TAX_CODE}.p12"), PASSWORD, use_settings_tsa=False).sign(b"%PDF-1.7 no", **SIGN)


def test_tsa_url_from_settings(settings):
    """B-T when REPORT_TSA_URL is set (no request is made here), B-B otherwise."""
    settings.REPORT_TSA_URL = ""
    assert settings_timestamper() is None
    settings.REPORT_TSA_URL = "http://tsa.example.invalid/tsr"
    stamper = settings_timestamper()
    assert isinstance(stamper, HTTPTimeStamper) and stamper.url == "http://tsa.example.invalid/tsr"


@pytest.mark.parametrize(("attrs", "expected"), [
    ({"user_id": "MST:0101234567"}, "0101234567"),
    ({"user_id": "MST:0101234567-001"}, "0101234567-001"),
    ({"serial_number": "MST:0312345678"}, "0312345678"),
    ({"serial_number": "0312345678"}, "0312345678"),
    ({"cn": "CÔNG TY ABC - MST: 0200000009"}, "0200000009"),
    ({"user_id": "CMND:012345678"}, ""),
    ({}, ""),
])
def test_tax_code_in_the_certificate_subject(attrs, expected):
    """UID=MST:… (most Vietnamese CAs), serialNumber, or "MST: …" in the CN."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    names = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.COMMON_NAME, attrs.get("cn", "CÔNG TY ABC"))]
    if "user_id" in attrs:
        names.append(x509.NameAttribute(NameOID.USER_ID, attrs["user_id"]))
    if "serial_number" in attrs:
        names.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, attrs["serial_number"]))
    now = dt.datetime.now(dt.UTC)
    issued = demo_pki.mint(subject=x509.Name(names), not_before=now, not_after=now + dt.timedelta(days=1))
    cert = asn1_x509.Certificate.load(issued.cert.public_bytes(serialization.Encoding.DER))
    assert certificate_tax_code(cert) == expected


def test_demo_pki_is_complete_and_labelled():
    """The committed demo files: root, five enterprises, the expired one, the e-seal and the TSA."""
    root = demo_pki.load_root(PKI)
    assert "DEMO CA - KHÔNG DÙNG THẬT" in root.cert.subject.rfc4514_string()
    for tax_code in ("0200000001", "0200000002", "0200000003", "0800000004", "0200000005"):
        signer = load_pkcs12_signer(p12(f"enterprise-{tax_code}.p12"), PASSWORD)
        assert certificate_tax_code(signer.signing_cert) == tax_code
        assert signer.signing_cert.issuer == asn1_x509.Certificate.load(
            root.cert.public_bytes(serialization.Encoding.DER)).subject
    expired = load_pkcs12_signer(p12(f"enterprise-{TAX_CODE}-expired.p12"), PASSWORD).signing_cert
    assert expired["tbs_certificate"]["validity"]["not_after"].native < dt.datetime.now(dt.UTC)
    tsa = load_pkcs12_signer(p12(demo_pki.TSA_FILE), PASSWORD).signing_cert
    assert tsa.extended_key_usage_value.native == ["time_stamping"]
    eseal = load_pkcs12_signer(p12(demo_pki.ESEAL_FILE), PASSWORD).signing_cert
    assert eseal.subject.native["organization_name"] == demo_pki.ESEAL_NAME
    assert "DEMO ONLY" in (PKI / "README.md").read_text()


def test_make_demo_pki_command_writes_a_fresh_set(tmp_path):
    """`manage.py make_demo_pki --out DIR` regenerates every file."""
    from django.core.management import call_command

    call_command("make_demo_pki", out=tmp_path, stdout=io.StringIO())
    names = {p.name for p in tmp_path.iterdir()}
    assert {"demo-root-ca.pem", "demo-root-ca.key.pem", "enterprise-0200000001.p12", "enterprise-0800000004.p12",
            "enterprise-0200000001-expired.p12", "agency-eseal.p12", "demo-tsa.p12", "README.md"} <= names
    signer = signers.SimpleSigner.load_pkcs12_data((tmp_path / "agency-eseal.p12").read_bytes(), [], PASSWORD)
    assert signer.signing_cert.subject.native["organization_name"] == demo_pki.ESEAL_NAME
