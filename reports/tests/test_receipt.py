"""The receipt: an official acknowledgement with the report's SHA-256, the time received and the
recipients, sealed with the agency's e-seal; pyHanko's validator and poppler's pdfsig both
confirm the seal."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from reports.pdf import ReceiptFacts, render_receipt_pdf
from reports.signing import demo_pki
from reports.signing.eseal import ESEAL_FIELD, seal_pdf
from reports.signing.verify import verify_receipt_pdf


@pytest.fixture(autouse=True)
def _english_messages():
    """The messages are asserted in their English source; Vietnamese is checked in test_i18n-style tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


SHA = "9f2c" * 16
FACTS = ReceiptFacts(
    receipt_number="BN-2026-000123",
    report_title="Báo cáo công tác bảo vệ môi trường năm 2025 – Nhà máy thép Đình Vũ (demo)",
    form_code="05.A", year=2025, revision=2,
    subject_name="Nhà máy thép Đình Vũ (demo)",
    organisation_name="Công ty TNHH Thép Đình Vũ (demo)", organisation_tax_code="0200000001",
    signed_sha256=SHA, signed_size=1234567,
    received_at=dt.datetime(2026, 1, 10, 2, 30, 5, tzinfo=dt.UTC),
    signer_name="Công ty TNHH Thép Đình Vũ (demo)", signer_tax_code="0200000001",
    verification_summary="Chữ ký số hợp lệ (PAdES B-B), chứng thư số do DEMO CA cấp",
    recipients=("Sở Nông nghiệp và Môi trường thành phố Hải Phòng", "Ban Quản lý Khu kinh tế Hải Phòng",
                "Công ty CP Đầu tư Hạ tầng KCN Đình Vũ (demo)"),
)
DEMO_ROOT = Path(settings.DEMO_PKI_DIR) / demo_pki.ROOT_FILE


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


@pytest.fixture(scope="module")
def receipt() -> bytes:
    return render_receipt_pdf(facts=FACTS)


@pytest.fixture(scope="module")
def sealed(receipt) -> bytes:
    return seal_pdf(receipt)


def test_receipt_says_what_was_received_when_and_to_whom(receipt):
    """Title, the signed file's SHA-256 and size, the time in Vietnam time, signer, recipients."""
    text = " ".join(pdf_text(receipt).split())
    for expected in ("GIẤY BIÊN NHẬN BÁO CÁO ĐIỆN TỬ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: BN-2026-000123",
                     "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG THÀNH PHỐ HẢI PHÒNG", "Hải Phòng, ngày 10 tháng 01 năm 2026",
                     "Mẫu số 05.A", "Lần nộp 2", "MST: 0200000001", "1.234.567 byte",
                     "09:30:05 ngày 10/01/2026 (giờ Việt Nam, UTC+7)", "Ban Quản lý Khu kinh tế Hải Phòng",
                     "Công ty CP Đầu tư Hạ tầng KCN Đình Vũ (demo)", "(Dấu điện tử)"):
        assert expected in text, expected
    assert SHA in "".join(text.split())  # the hash may wrap
    info = subprocess.run(["pdfinfo", "-"], input=receipt, capture_output=True, check=True).stdout.decode()
    assert " 1\n" in info.split("Pages:")[1][:20]  # one page


def test_receipt_is_deterministic(receipt):
    """Same facts, same bytes (the creation date is the time received)."""
    assert render_receipt_pdf(facts=FACTS) == receipt


def test_sealed_receipt_verifies_with_the_portal(receipt, sealed):
    """The seal is an incremental update over the rendered receipt and verifies as ok."""
    assert sealed.startswith(receipt)
    v = verify_receipt_pdf(sealed, rendered=receipt)
    assert v.ok and v.code == "ok", v.message
    assert v.details["certificate"]["organisation"] == demo_pki.ESEAL_NAME
    assert v.details["field_name"] == ESEAL_FIELD
    assert "Valid signature by Sở NN&MT thành phố Hải Phòng (demo e-seal)" in v.message


def test_sealed_receipt_validates_with_pyhanko(sealed):
    """pyHanko's own validator, with the demo root as the only trust anchor: intact, valid, trusted, whole file."""
    root = asn1_x509.Certificate.load(pem.unarmor(DEMO_ROOT.read_bytes())[2])
    reader = PdfFileReader(io.BytesIO(sealed))
    [sig] = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line


def test_sealed_receipt_validates_with_pdfsig(sealed, tmp_path):
    """poppler's pdfsig (NSS) confirms the signature. It trusts the demo root only through an NSS
    database, which needs certutil (Debian package libnss3-tools); without it the signature is still
    checked and the certificate line says the issuer is not trusted."""
    path = tmp_path / "receipt.pdf"
    path.write_bytes(sealed)
    certutil = shutil.which("certutil")
    # No "-no-ocsp": poppler 22.12 then reports a generic certificate error even for a trusted
    # chain; the demo certificates carry no OCSP or AIA address, so nothing is fetched anyway.
    args = ["pdfsig"]
    if certutil:
        nss = f"sql:{tmp_path / 'nss'}"
        (tmp_path / "nss").mkdir()
        subprocess.run([certutil, "-N", "-d", nss, "--empty-password"], check=True, capture_output=True)
        subprocess.run([certutil, "-A", "-d", nss, "-n", "demo-root", "-t", "CT,C,C", "-i", str(DEMO_ROOT)],
                       check=True, capture_output=True)
        args += ["-nssdir", nss]
    out = subprocess.run([*args, str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Total document signed" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    if certutil:
        assert "Certificate Validation: Certificate is Trusted." in out, out
    else:
        assert "Certificate Validation: Certificate issuer isn't Trusted." in out, out


def test_tampered_receipt_is_rejected(sealed):
    """A byte changed in the signed receipt: the seal no longer verifies."""
    at = sealed.index(b"stream\n", 1000) + 30
    tampered = sealed[:at] + bytes([sealed[at] ^ 0x20]) + sealed[at + 1:]
    v = verify_receipt_pdf(tampered)
    assert not v.ok and v.code == "broken", v.message
