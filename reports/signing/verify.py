"""Verification of signed report PDFs (on upload) and of the agency's sealed receipts.

`verify_report_pdf` runs pyHanko's validator and turns its findings into one verdict,
checked in this order (the first failure wins):

==========================  ==============================================================
``not_pdf``                 not a PDF, or unreadable
``unsigned``                no signature
``broken``                  the signed bytes do not match the signature (digest, CMS, or a
                            non-standard /ByteRange); an unreadable signature
``different_document``      the signed revision is not the PDF the portal rendered: the
                            rendered bytes must be an exact prefix of the upload AND the
                            signature must cover exactly the revision that follows them
``modified_after_signing``  anything appended after the signature other than signature
                            maintenance: coverage must be ENTIRE_FILE, or ENTIRE_REVISION
                            with only LTA updates (DSS, document timestamps) after it. This
                            is stricter than pyHanko's diff policy on purpose: a copy of record
                            the portal produced itself needs no later edits (RELIABILITY.md 1.3,
                            shadow and incremental-saving attacks)
``cert_expired``            the certificate was outside its validity at the validation time
``untrusted``               no chain to a configured root (settings.REPORT_TRUST_ROOTS), a
                            revoked certificate, a key usage that does not allow signing, or
                            an untrusted timestamp. Nothing is fetched: revocation is
                            soft-fail offline
``wrong_signer``            the tax code in the certificate (UID=MST:…, serialNumber or CN)
                            is not the filer's
``ok``
==========================  ==============================================================

Only the first signature (the one over the rendered revision) is judged; a second signature
appended later is "modified_after_signing" under the rule above.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.version import __version__ as PYHANKO_VERSION
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

CODES = ("not_pdf", "unsigned", "broken", "different_document", "modified_after_signing", "cert_expired",
         "untrusted", "wrong_signer", "ok")
UID_OID = "0.9.2342.19200300.100.1.1"  # userID: Vietnamese CAs write "MST:<tax code>" here
SERIAL_NUMBER_OID = "2.5.4.5"
COMMON_NAME_OID = "2.5.4.3"
ORGANISATION_OID = "2.5.4.10"
# A tax code: 10 digits, a branch 10 + "-" + 3 digits (Circular 105/2020/TT-BTC, Art. 5).
MST_RE = re.compile(r"MST\s*[:.]?\s*(\d{10}(?:-\d{3})?)\b", re.IGNORECASE)
BARE_TAX_CODE_RE = re.compile(r"^\s*(\d{10}(?:-\d{3})?)\s*$")
EXPIRY_INDICATIONS = {AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
                      AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID}


@dataclasses.dataclass(frozen=True)
class Verification:
    """The verdict on a signed PDF: `code` is one of CODES, `message` is for the enterprise user."""

    ok: bool
    code: str
    message: str
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (what ReportSubmission.verification stores)."""
        return {"ok": self.ok, "code": self.code, "message": self.message, "details": self.details}

    def to_json(self) -> str:
        """The verdict as a JSON document."""
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)


def load_trust_roots(paths: Iterable[str | Path]) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (one or more per file) or DER files."""
    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def settings_trust_roots() -> list[asn1_x509.Certificate]:
    """The trusted roots of report signatures: settings.REPORT_TRUST_ROOTS (PEM paths)."""
    return load_trust_roots(settings.REPORT_TRUST_ROOTS)


def certificate_tax_code(cert: asn1_x509.Certificate) -> str:
    """The enterprise tax code (MST) in a certificate subject, or "".

    Vietnamese CAs put it in UID as "MST:0101234567"; some use serialNumber, or append
    "MST: …" to the CN. UID wins over serialNumber, which wins over CN.
    """
    values: dict[str, list[str]] = {}
    for rdn in cert.subject.chosen:
        for attr in rdn:
            value = attr["value"].native
            if isinstance(value, str):
                values.setdefault(attr["type"].dotted, []).append(value)
    for oid, bare_ok in ((UID_OID, True), (SERIAL_NUMBER_OID, True), (COMMON_NAME_OID, False)):
        for value in values.get(oid, []):
            if match := MST_RE.search(value):
                return match.group(1)
            if bare_ok and (match := BARE_TAX_CODE_RE.match(value)):
                return match.group(1)
    return ""


def verify_report_pdf(signed: bytes, *, rendered: bytes | None, expected_tax_code: str,
                      trust_roots: list | None = None, when: dt.datetime | None = None) -> Verification:
    """Verify an enterprise's signed report against the PDF the portal rendered and the filer's tax code."""
    return verify_signed_pdf(signed, rendered=rendered, expected_tax_code=expected_tax_code,
                             trust_roots=trust_roots, when=when)


def verify_receipt_pdf(signed: bytes, *, rendered: bytes | None = None, trust_roots: list | None = None,
                       when: dt.datetime | None = None) -> Verification:
    """Verify a receipt sealed by the agency (any trusted signer; no tax code check)."""
    return verify_signed_pdf(signed, rendered=rendered, expected_tax_code=None, trust_roots=trust_roots, when=when)


def verify_signed_pdf(signed: bytes, *, rendered: bytes | None = None, expected_tax_code: str | None = None,
                      trust_roots: list | None = None, when: dt.datetime | None = None) -> Verification:
    """The common checks; `expected_tax_code=None` skips the signer check, `rendered=None` the document check."""
    when = when or timezone.now()
    details: dict[str, Any] = {"sha256": hashlib.sha256(signed).hexdigest(), "size": len(signed),
                               "validation_time": when.isoformat(), "pyhanko_version": PYHANKO_VERSION}
    if rendered is not None:
        details["rendered_sha256"] = hashlib.sha256(rendered).hexdigest()
    if expected_tax_code is not None:
        details["expected_tax_code"] = expected_tax_code

    def verdict(code: str, message: str) -> Verification:
        return Verification(ok=code == "ok", code=code, message=message, details=details)

    # 1. A PDF at all. The header must open the file: the portal's own PDFs do, and a prefix
    # comparison with the rendered bytes needs it anyway.
    if not signed.startswith(b"%PDF-"):
        return verdict("not_pdf", _("The file is not a PDF document. Upload the signed PDF of the report."))
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        details["revisions"] = reader.xrefs.total_revisions
        filled_fields = list(enumerate_sig_fields(reader, filled_status=True))
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.info("Unreadable PDF uploaded: %s", exc)
        return verdict("not_pdf", _("The PDF file is damaged and cannot be read. Upload the signed PDF again."))

    # 2. Signed at all.
    if not filled_fields:
        return verdict("unsigned", _("The PDF has no digital signature. Sign the report PDF downloaded from the "
                                     "portal with your enterprise's digital certificate, then upload the signed "
                                     "file."))
    try:
        signatures = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("Unreadable signature: %s", exc)
        return verdict("broken", _("The signature in the PDF is damaged and cannot be read. Sign the report "
                                   "PDF again."))
    details["signatures"] = len(signatures)
    if not signatures:
        return verdict("broken", _("The signature in the PDF uses a format the portal does not accept. Sign "
                                   "with a PAdES (ETSI.CAdES.detached) or adbe.pkcs7.detached signature."))
    sig = signatures[0]
    details.update(_signature_facts(sig))

    # 3. Integrity (and the rest of pyHanko's validation, judged below in our order).
    roots = settings_trust_roots() if trust_roots is None else trust_roots
    context = ValidationContext(trust_roots=roots, moment=when, allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("Signature validation error: %s", exc)
        details["error"] = str(exc)
        return verdict("broken", _("The signature is damaged: its data cannot be checked. Sign the report "
                                   "PDF again."))
    details.update(_status_facts(status))
    pades = details["subfilter"] == "/ETSI.CAdES.detached"
    details["level"] = ("PAdES " if pades else "CMS ") + ("B-T" if status.timestamp_validity else "B-B")
    # What ReportSubmission keeps in columns: the signer, the tax code, and the signing time
    # (the timestamp's when there is one, else the time the signer's software claims).
    certificate = details.get("certificate", {})
    details["signer_name"] = certificate.get("common_name") or certificate.get("subject", "")
    details["tax_code"] = certificate.get("tax_code", "")
    details["signed_at"] = (details["timestamp"] or {}).get("time") or details["signing_time"]
    if not (status.intact and status.valid):
        return verdict("broken", _("The signature is broken: the signed content does not match the signature, "
                                   "so the document was changed after signing or the signature is damaged. "
                                   "Sign the report PDF again."))
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return verdict("broken", _("The signature does not cover the document as a whole (non-standard signed "
                                   "byte range). Sign the report PDF again with a standard tool."))
    tst = status.timestamp_validity
    if tst is not None and not (tst.intact and tst.valid):
        return verdict("broken", _("The timestamp of the signature is broken. Sign the report PDF again."))

    # 4. The signed revision is the PDF the portal rendered, and nothing else.
    if rendered is not None:
        same_prefix = len(signed) > len(rendered) and signed.startswith(rendered)
        rendered_revisions = _revisions(rendered)
        details["rendered_revisions"] = rendered_revisions
        if not same_prefix or sig.signed_revision != rendered_revisions:
            return verdict("different_document", _(
                "The signed document is not the report the portal prepared for this revision. Download the "
                "report PDF again, sign it without editing or saving it as a new file, and upload the signed "
                "file."))

    # 5. Nothing but signature maintenance after the signature.
    untouched = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    lta_only = (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                and status.modification_level == ModificationLevel.LTA_UPDATES and bool(status.docmdp_ok))
    if not (untouched or lta_only):
        return verdict("modified_after_signing", _(
            "The PDF was changed after it was signed (content, annotations or another signature were added). "
            "Upload the file exactly as your signing tool produced it, from the report PDF downloaded from the "
            "portal."))

    # 6–7. The certificate: validity, then trust.
    cert = status.signing_cert
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if status.trust_problem_indic in EXPIRY_INDICATIONS or not (not_before <= when <= not_after):
        return verdict("cert_expired", _(
            "The signing certificate (serial %(serial)s) was not valid at the time of checking: it is valid from "
            "%(start)s to %(end)s. Sign again with a valid certificate.") % {
                "serial": details["certificate"]["serial"], "start": _local(not_before), "end": _local(not_after)})
    if not status.trusted:
        return verdict("untrusted", _untrusted_message(status, details))
    if tst is not None and not tst.trusted:
        return verdict("untrusted", _("The timestamp of the signature is not issued by a trusted time-stamping "
                                      "authority."))

    # 8. The signer is the filer.
    found = details["tax_code"]
    signer = details["signer_name"]
    if expected_tax_code is not None:
        if not found:
            return verdict("wrong_signer", _(
                "The signing certificate of %(signer)s carries no tax code (MST), so it cannot be matched to "
                "the enterprise that files this report (tax code %(expected)s). Sign with your enterprise's "
                "certificate.") % {"signer": signer, "expected": expected_tax_code})
        if _normalise_tax_code(found) != _normalise_tax_code(expected_tax_code):
            return verdict("wrong_signer", _(
                "The signature belongs to %(signer)s (tax code %(found)s), not to the enterprise that files this "
                "report (tax code %(expected)s). Sign with your enterprise's certificate.") % {
                    "signer": signer, "found": found, "expected": expected_tax_code})

    signed_at = tst.timestamp if tst is not None else status.signer_reported_dt
    if expected_tax_code is not None:
        message = _("Valid signature by %(signer)s (tax code %(found)s), signed on %(time)s.") % {
            "signer": signer, "found": found, "time": _local(signed_at) if signed_at else "?"}
    else:
        message = _("Valid signature by %(signer)s, signed on %(time)s.") % {
            "signer": signer, "time": _local(signed_at) if signed_at else "?"}
    return verdict("ok", message)


def _untrusted_message(status: PdfSignatureStatus, details: dict) -> str:
    indic = status.trust_problem_indic
    cert = status.signing_cert
    issuer = details["certificate"]["issuer"]
    if indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        return _("The signing certificate has been revoked by its certification authority.")
    key_usage = cert.key_usage_value.native if cert.key_usage_value else set()
    if cert.self_signed == "no" and indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE \
            and "non_repudiation" not in key_usage:
        return _("The signing certificate may not be used for signatures (its key usage lacks "
                 "non-repudiation). Sign with a signing certificate.")
    return _("The signing certificate is not issued by a certification authority the portal trusts (issuer: "
             "%(issuer)s). Sign with a certificate from a licensed Vietnamese certification authority.") % {
                 "issuer": issuer}


def _signature_facts(sig: EmbeddedPdfSignature) -> dict[str, Any]:
    facts: dict[str, Any] = {"field_name": sig.field_name, "signed_revision": sig.signed_revision,
                             "byte_range": [int(x) for x in sig.byte_range],
                             "subfilter": str(sig.sig_object.get("/SubFilter", ""))}
    try:
        facts["certificate"] = certificate_facts(sig.signer_cert)
    except (ValueError, KeyError, TypeError) as exc:  # a CMS without the signer's certificate
        facts["certificate"] = {"error": str(exc)}
    return facts


def certificate_facts(cert: asn1_x509.Certificate) -> dict[str, Any]:
    """What a reviewer needs to know about a signer certificate, JSON-ready."""
    validity = cert["tbs_certificate"]["validity"]
    subject = cert.subject.native
    return {
        "subject": cert.subject.human_friendly,
        "common_name": subject.get("common_name", ""),
        "organisation": subject.get("organization_name", ""),
        "tax_code": certificate_tax_code(cert),
        "serial": format(cert.serial_number, "X"),
        "issuer": cert.issuer.human_friendly,
        "not_before": validity["not_before"].native.isoformat(),
        "not_after": validity["not_after"].native.isoformat(),
        "sha256": cert.sha256.hex(),
    }


def _status_facts(status: PdfSignatureStatus) -> dict[str, Any]:
    tst = status.timestamp_validity
    return {
        "intact": status.intact,
        "valid": status.valid,
        "trusted": status.trusted,
        "trust_problem": status.trust_problem_indic.name if status.trust_problem_indic else None,
        "coverage": status.coverage.name if status.coverage else None,
        "modification_level": status.modification_level.name if status.modification_level else None,
        "docmdp_ok": status.docmdp_ok,
        "signing_time": status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        "timestamp": None if tst is None else {
            "time": tst.timestamp.isoformat(), "tsa": tst.signing_cert.subject.human_friendly,
            "intact": tst.intact, "valid": tst.valid, "trusted": tst.trusted},
        "md_algorithm": status.md_algorithm,
        "summary": status.summary(),
    }


def _revisions(pdf: bytes) -> int:
    return PdfFileReader(io.BytesIO(pdf), strict=False).xrefs.total_revisions


def _normalise_tax_code(value: str) -> str:
    return re.sub(r"\s+", "", value).upper().removeprefix("MST:")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
