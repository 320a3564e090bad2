"""Where Vietnamese certificates carry the enterprise tax code (MST)."""
from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reports.signing.verify import certificate_tax_code

KEY = ec.generate_private_key(ec.SECP256R1())


def cert(*attrs) -> asn1_x509.Certificate:
    name = x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs])
    now = dt.datetime.now(dt.UTC)
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(KEY.public_key())
             .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
             .sign(KEY, hashes.SHA256()))
    return asn1_x509.Certificate.load(built.public_bytes(serialization.Encoding.DER))


@pytest.mark.parametrize("attrs,expected", [
    ([(NameOID.USER_ID, "MST:0200000001"), (NameOID.COMMON_NAME, "Công ty A")], "0200000001"),
    ([(NameOID.USER_ID, "0200000001-001")], "0200000001-001"),
    ([(NameOID.SERIAL_NUMBER, "MST:0800000004")], "0800000004"),
    ([(NameOID.COMMON_NAME, "CÔNG TY B MST:0200000002")], "0200000002"),
    # a legal representative's personal certificate: citizen ID in UID, the company in O
    ([(NameOID.USER_ID, "CCCD:031090001234"), (NameOID.ORGANIZATION_NAME, "CÔNG TY C - MST:0200000003")],
     "0200000003"),
    ([(NameOID.ORGANIZATIONAL_UNIT_NAME, "MST:0200000005"), (NameOID.COMMON_NAME, "Nguyễn Văn D")], "0200000005"),
    ([(NameOID.USER_ID, "CCCD:031090001234"), (NameOID.COMMON_NAME, "Nguyễn Văn E")], ""),
    ([(NameOID.ORGANIZATION_NAME, "0200000006")], ""),  # a bare number in O is not read as a tax code
])
def test_certificate_tax_code(attrs, expected):
    assert certificate_tax_code(cert(*attrs)) == expected
