"""The agency's e-seal: it signs the receipts the portal issues (settings.REPORT_ESEAL_P12)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reports.signing.signers import Pkcs12Signer

ESEAL_FIELD = "AgencyESeal"
ESEAL_REASON = "Biên nhận báo cáo điện tử"  # the receipt's purpose, shown by PDF readers (Vietnamese document)
ESEAL_LOCATION = "Hải Phòng"


def eseal_signer() -> Pkcs12Signer:
    """The agency's e-seal from settings (PAdES B-T when settings.REPORT_TSA_URL is set)."""
    path = Path(settings.REPORT_ESEAL_P12)
    if not path.is_file():
        raise ImproperlyConfigured(f"REPORT_ESEAL_P12 does not name a file: {path}")
    return Pkcs12Signer(path.read_bytes(), settings.REPORT_ESEAL_PASSWORD.encode())


def seal_pdf(pdf: bytes) -> bytes:
    """`pdf` sealed with the agency's e-seal (an incremental update: `pdf` stays a prefix)."""
    return eseal_signer().sign(pdf, field_name=ESEAL_FIELD, reason=ESEAL_REASON, location=ESEAL_LOCATION)
