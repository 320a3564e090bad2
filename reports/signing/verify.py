"""Verification of signed report PDFs (on upload) and of the agency's sealed receipts.

An electronic report bears the e-signature of the competent person AND the e-seal of the
unit (Art. 65 Circular 02/2022/TT-BTNMT, DOMAIN.md 1.3), so a report may carry several
signatures, each appended as an incremental update. `verify_report_pdf` runs pyHanko's
validator over every signature (in file order) and turns the findings into one verdict,
checked in this order (the first failing check wins; within a check, the first signature):

==========================  ==============================================================
``not_pdf``                 not a PDF, or unreadable
``unsigned``                no signature
``broken``                  the signed bytes do not match a signature (digest, CMS, or a
                            non-standard /ByteRange); an unreadable signature or timestamp
``different_document``      the first signature's revision is not the PDF the portal
                            rendered: the rendered bytes must be an exact prefix of the upload,
                            the first signature must cover exactly the revision that follows
                            them, and that revision may not change the pages (it may only add
                            the signature's widget)
``modified_after_signing``  after the first signature, each revision may only add signatures
                            and signature maintenance (DSS, document timestamps):
                            - every signature but the last: pyHanko's diff analysis under
                              PORTAL_DIFF_POLICY finds at most FORM_FILLING, DocMDP is
                              respected, and the only form fields changed are those of the
                              later signatures and document timestamps;
                            - the last signature: coverage ENTIRE_FILE, or ENTIRE_REVISION
                              with only LTA updates after it;
                            - independently of pyHanko's diff rules (its docs call them "(very)
                              experimental"): the pages of every later revision (content
                              streams, resources, boxes, annotations other than signature
                              widgets) are those of the first signed revision.
                            This is stricter than pyHanko's default policy on purpose
                            (RELIABILITY.md 1.3, shadow and incremental-saving attacks)
``cert_expired``            a signer's certificate was outside its validity at the validation
                            time (the upload, or the receipt time when a copy of record is
                            re-checked; both come after every signing)
``untrusted``               no chain to a configured root (settings.REPORT_TRUST_ROOTS), a
                            revoked certificate, a key usage that does not allow signing, or
                            an untrusted timestamp. Nothing is fetched: revocation is
                            soft-fail offline
``wrong_signer``            the tax codes in the certificates (UID=MST:…, serialNumber or CN)
                            do not fit the filer (see below)
``ok``
==========================  ==============================================================

Signers and the filer's tax code (`expected_tax_code`): every signer must carry a tax code
and belong to the filer's enterprise, meaning the 10-digit main part of its tax code equals
the expected one's (a branch's code "0101234567-001" belongs to enterprise 0101234567: a
branch is a dependent unit of the same legal person, Circular 105/2020/TT-BTC Art. 5); and
at least one signer must carry exactly the expected tax code, branch suffix included. So a
report of enterprise 0101234567 may be signed by its legal representative's certificate
and sealed with its e-seal certificate (two certificates, same tax code), and a branch
certificate may add its seal next to the parent's signature, but a report filed under a
branch code needs one signer with that branch code.

What the known pyHanko rules let through and this module accepts: a later signature may
be visible, and its appearance is drawn over the page (the "sneaky signature" concern of
RELIABILITY.md 1.3). The pages' own content cannot change, the first signed revision is
byte-identical to the rendered PDF, and ``details["signatures"][i]["visible"]`` tells the
reviewer which signatures have an appearance.

`details` keeps the facts of the *primary* signature at the top level (signer_name,
tax_code, signed_at, certificate, coverage, …): the first signature that carries the
expected tax code, else the first signature. ``details["signatures"]`` lists every
signature (field, signer, tax code, signed_at, timestamp, coverage, modification level …).
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
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DiffResult,
    DocInfoRule,
    DSSCompareRule,
    FormUpdatingRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
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
ORGANISATION_OID = "2.5.4.10"  # a legal representative's personal certificate may carry "MST:…" in O or OU
ORGANISATIONAL_UNIT_OID = "2.5.4.11"
ORGANISATION_OID = "2.5.4.10"
# A tax code: 10 digits, a branch 10 + "-" + 3 digits (Circular 105/2020/TT-BTC, Art. 5).
MST_RE = re.compile(r"MST\s*[:.]?\s*(\d{10}(?:-\d{3})?)\b", re.IGNORECASE)
BARE_TAX_CODE_RE = re.compile(r"^\s*(\d{10}(?:-\d{3})?)\s*$")
EXPIRY_INDICATIONS = {AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
                      AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID}
# pyHanko's DEFAULT_DIFF_POLICY (pyhanko/sign/diff_analysis/policies.py, 0.38) without
# GenericFieldModificationRule: after a signature, only signature fields may be created or
# filled (later signatures, document timestamps). The portal's PDFs have no other form fields,
# so filling one in is not a legitimate change to a signed report.
PORTAL_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        DocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(ModificationLevel.LTA_UPDATES),
    ],
    form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(), SigFieldModificationRule()]),
)
# Page attributes a page inherits from its /Pages ancestors (ISO 32000-1, 7.7.3.4).
INHERITABLE_PAGE_KEYS = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
BACK_LINK_KEYS = {"/Parent", "/P"}  # links back up the page or field tree, not content
MAX_PDF_DEPTH = 64  # nesting beyond this is an attack on the validator, not a report


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
    "MST: …" to the CN; a legal representative's personal certificate (citizen ID in UID)
    may name the company with "MST:…" in O or OU. Order: UID, serialNumber, CN, O, OU; a
    bare 10/13-digit value counts only in UID and serialNumber.
    """
    values: dict[str, list[str]] = {}
    for rdn in cert.subject.chosen:
        for attr in rdn:
            value = attr["value"].native
            if isinstance(value, str):
                values.setdefault(attr["type"].dotted, []).append(value)
    for oid, bare_ok in ((UID_OID, True), (SERIAL_NUMBER_OID, True), (COMMON_NAME_OID, False),
                         (ORGANISATION_OID, False), (ORGANISATIONAL_UNIT_OID, False)):
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
        embedded = list(reader.embedded_signatures)
        # In file order: the first signature is the one over the rendered revision.
        signatures = sorted((s for s in embedded if s.sig_object_type == "/Sig"), key=lambda s: s.signed_revision)
        timestamp_fields = {s.field_name for s in embedded if s.sig_object_type == "/DocTimeStamp"}
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("Unreadable signature: %s", exc)
        return verdict("broken", _("The signature in the PDF is damaged and cannot be read. Sign the report "
                                   "PDF again."))
    details["signatures"] = []
    if not signatures:
        return verdict("broken", _("The signature in the PDF uses a format the portal does not accept. Sign "
                                   "with a PAdES (ETSI.CAdES.detached) or adbe.pkcs7.detached signature."))
    details.update(_signature_facts(signatures[0]))  # until every signature is validated

    # 3. Integrity of every signature (and the rest of pyHanko's validation, judged below in our order).
    roots = settings_trust_roots() if trust_roots is None else trust_roots
    checked: list[_Checked] = []
    for sig in signatures:
        context = ValidationContext(trust_roots=roots, moment=when, allow_fetching=False,
                                    revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context, diff_policy=PORTAL_DIFF_POLICY)
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
            logger.info("Signature validation error in %s: %s", sig.field_name, exc)
            details["error"] = str(exc)
            details["signatures"].append({"field": sig.field_name, "signed_revision": sig.signed_revision,
                                          "error": str(exc)})
            return verdict("broken", _("The signature is damaged: its data cannot be checked. Sign the report "
                                       "PDF again."))
        checked.append(_Checked(sig=sig, status=status, facts=_facts(sig, status)))
        details["signatures"].append(_entry(checked[-1]))
    primary = _primary(checked, expected_tax_code)
    details.update(primary.facts)
    for item in checked:
        status = item.status
        if not (status.intact and status.valid):
            return verdict("broken", _("The signature is broken: the signed content does not match the "
                                       "signature, so the document was changed after signing or the signature is "
                                       "damaged. Sign the report PDF again."))
        if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            return verdict("broken", _("The signature does not cover the document as a whole (non-standard signed "
                                       "byte range). Sign the report PDF again with a standard tool."))
        tst = status.timestamp_validity
        if tst is not None and not (tst.intact and tst.valid):
            return verdict("broken", _("The timestamp of the signature is broken. Sign the report PDF again."))

    # 4. The first signed revision is the PDF the portal rendered, and nothing else: the rendered
    # bytes are a prefix, the first signature covers the very next revision, and that revision
    # only adds the signature (a tool could change the pages in the same update that signs).
    first = checked[0]
    if rendered is not None:
        same_prefix = len(signed) > len(rendered) and signed.startswith(rendered)
        rendered_revisions = _revisions(rendered)
        details["rendered_revisions"] = rendered_revisions
        if (not same_prefix or first.sig.signed_revision != rendered_revisions
                or not _pages_unchanged(reader, rendered_revisions - 1, [first.sig.signed_revision])):
            return verdict("different_document", _(
                "The signed document is not the report the portal prepared for this revision. Download the "
                "report PDF again, sign it without editing or saving it as a new file, and upload the signed "
                "file."))

    # 5. After the first signature, nothing but more signatures and signature maintenance.
    later_fields = [{c.sig.field_name for c in checked[i + 1:]} | timestamp_fields for i in range(len(checked))]
    base = first.sig.signed_revision
    if not (all(_only_signatures_after(item, allowed_fields=later_fields[i], last=i == len(checked) - 1)
                for i, item in enumerate(checked))
            and _pages_unchanged(reader, base, range(base + 1, reader.xrefs.total_revisions))):
        return verdict("modified_after_signing", _(
            "The PDF was changed after it was signed (its pages, annotations or form fields were modified). "
            "Upload the file exactly as your signing tool produced it, from the report PDF downloaded from the "
            "portal."))

    # 6–7. The certificates: validity, then trust. Valid at the validation time (which follows every
    # signing) and, when a trusted timestamp proves when the signature was made, at that time too.
    for item in checked:
        cert = item.status.signing_cert
        validity = cert["tbs_certificate"]["validity"]
        not_before, not_after = validity["not_before"].native, validity["not_after"].native
        tst = item.status.timestamp_validity
        moments = [when] if tst is None else [when, tst.timestamp]
        if (item.status.trust_problem_indic in EXPIRY_INDICATIONS
                or not all(not_before <= moment <= not_after for moment in moments)):
            return verdict("cert_expired", _(
                "The signing certificate (serial %(serial)s) was not valid at the time of checking: it is valid "
                "from %(start)s to %(end)s. Sign again with a valid certificate.") % {
                    "serial": item.facts["certificate"]["serial"], "start": _local(not_before),
                    "end": _local(not_after)})
    for item in checked:
        if not item.status.trusted:
            return verdict("untrusted", _untrusted_message(item.status, item.facts))
        tst = item.status.timestamp_validity
        if tst is not None and not tst.trusted:
            return verdict("untrusted", _("The timestamp of the signature is not issued by a trusted "
                                          "time-stamping authority."))

    # 8. The signers are the filer's enterprise, and one of them is the filer itself.
    if expected_tax_code is not None:
        # Every signer first (belongs to the enterprise: same 10-digit main part), then the primary
        # (the filer's own tax code exactly; it is the first signer when none carries it).
        for item, same in [*((c, _same_enterprise) for c in checked), (primary, _same_tax_code)]:
            found, signer = item.facts["tax_code"], item.facts["signer_name"]
            if not found:
                return verdict("wrong_signer", _(
                    "The signing certificate of %(signer)s carries no tax code (MST), so it cannot be matched to "
                    "the enterprise that files this report (tax code %(expected)s). Sign with your enterprise's "
                    "certificate.") % {"signer": signer, "expected": expected_tax_code})
            if not same(found, expected_tax_code):
                return verdict("wrong_signer", _(
                    "The signature belongs to %(signer)s (tax code %(found)s), not to the enterprise that files "
                    "this report (tax code %(expected)s). Sign with your enterprise's certificate.") % {
                        "signer": signer, "found": found, "expected": expected_tax_code})
    return verdict("ok", _ok_message(checked, with_tax_code=expected_tax_code is not None))


def revision_before_first_signature(signed: bytes) -> bytes | None:
    """The bytes before the first signature's revision (for a report: the PDF the portal rendered), or None.

    The boundary is the ``%%EOF`` marker (and one end-of-line) that closes the revision before
    the one the first signature covers. Re-checking a copy of record compares its SHA-256 with
    the rendered PDF's and verifies the signed file against it.
    """
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        signatures = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
        if not signatures:
            return None
        first = min(signatures, key=lambda s: s.signed_revision)
        if first.signed_revision < 1:
            return None
        previous = reader.xrefs.get_xref_container_info(first.signed_revision - 1)
        signature_start = int(first.byte_range[1])  # where the first signature's /Contents begins
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.info("No signed revision found: %s", exc)
        return None
    eof = signed.find(b"%%EOF", previous.end_location)
    if eof < 0 or eof >= signature_start:
        return None
    end = eof + len(b"%%EOF")
    if signed[end:end + 2] == b"\r\n":
        end += 2
    elif signed[end:end + 1] in (b"\r", b"\n"):
        end += 1
    return signed[:end]


@dataclasses.dataclass(frozen=True)
class _Checked:
    sig: EmbeddedPdfSignature
    status: PdfSignatureStatus
    facts: dict[str, Any]


def _facts(sig: EmbeddedPdfSignature, status: PdfSignatureStatus) -> dict[str, Any]:
    """What `details` says about one signature (the top-level keys, for the primary signature)."""
    facts = {**_signature_facts(sig), **_status_facts(status)}
    pades = facts["subfilter"] == "/ETSI.CAdES.detached"
    facts["level"] = ("PAdES " if pades else "CMS ") + ("B-T" if status.timestamp_validity else "B-B")
    # What ReportSubmission keeps in columns: the signer, the tax code, and the signing time
    # (the timestamp's when there is one, else the time the signer's software claims).
    certificate = facts.get("certificate", {})
    facts["signer_name"] = certificate.get("common_name") or certificate.get("subject", "")
    facts["tax_code"] = certificate.get("tax_code", "")
    facts["signed_at"] = (facts["timestamp"] or {}).get("time") or facts["signing_time"]
    return facts


def _entry(item: _Checked) -> dict[str, Any]:
    """One signature in details["signatures"]."""
    facts, diff = item.facts, item.status.diff_result
    return {
        "field": facts["field_name"], "signer_name": facts["signer_name"], "tax_code": facts["tax_code"],
        "organisation": facts["certificate"].get("organisation", ""), "serial": facts["certificate"].get("serial"),
        "signed_at": facts["signed_at"], "timestamp": facts["timestamp"], "level": facts["level"],
        "signed_revision": facts["signed_revision"], "coverage": facts["coverage"],
        "modification_level": facts["modification_level"], "docmdp_ok": facts["docmdp_ok"],
        "changed_fields": sorted(diff.changed_form_fields) if isinstance(diff, DiffResult) else None,
        "intact": facts["intact"], "valid": facts["valid"], "trusted": facts["trusted"],
        "visible": _visible(item.sig),
    }


def _primary(checked: list[_Checked], expected_tax_code: str | None) -> _Checked:
    """The filer's signature: the first with the expected tax code, else the first."""
    if expected_tax_code is not None:
        for item in checked:
            if _same_tax_code(item.facts["tax_code"], expected_tax_code):
                return item
    return checked[0]


def _only_signatures_after(item: _Checked, *, allowed_fields: set[str], last: bool) -> bool:
    """pyHanko's verdict on what follows a signature, under the portal's rule (module docstring, step 5)."""
    status = item.status
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return last
    level = status.modification_level
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or level is None or not status.docmdp_ok:
        return False
    if last:
        return level == ModificationLevel.LTA_UPDATES
    diff = status.diff_result
    return (level in (ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
            and isinstance(diff, DiffResult) and set(diff.changed_form_fields) <= allowed_fields)


def _ok_message(checked: list[_Checked], *, with_tax_code: bool) -> str:
    def when(item: _Checked) -> str:
        status = item.status
        signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
        return _local(signed_at) if signed_at else "?"

    if len(checked) == 1:
        item = checked[0]
        values = {"signer": item.facts["signer_name"], "found": item.facts["tax_code"], "time": when(item)}
        if with_tax_code:
            return _("Valid signature by %(signer)s (tax code %(found)s), signed on %(time)s.") % values
        return _("Valid signature by %(signer)s, signed on %(time)s.") % values
    parts = []
    for item in checked:
        values = {"signer": item.facts["signer_name"], "found": item.facts["tax_code"], "time": when(item)}
        parts.append(_("%(signer)s (tax code %(found)s), signed on %(time)s") % values if with_tax_code
                     else _("%(signer)s, signed on %(time)s") % values)
    return _("%(count)d valid signatures: %(signers)s.") % {"count": len(checked), "signers": "; ".join(parts)}


def _visible(sig: EmbeddedPdfSignature) -> bool | None:
    """Whether a signature's widget has an area on the page (an appearance a reader draws), None if unknown."""
    try:
        field = sig.sig_field
        widgets = [field] if "/Rect" in field else list(field["/Kids"]) if "/Kids" in field else []
        for widget in widgets:
            x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            if abs(x2 - x1) * abs(y2 - y1) > 0:
                return True
        return False
    except (PdfError, KeyError, TypeError, ValueError):
        return None


# --- The pages of a revision, independently of pyHanko's diff rules ------------------------------

class _Unreadable(Exception):
    """A page tree the fingerprint cannot walk (a loop, too deep, a broken object)."""


def _pages_unchanged(reader: PdfFileReader, base: int, revisions: Iterable[int]) -> bool:
    """Whether every revision in `revisions` shows the pages of revision `base` (signature widgets aside)."""
    try:
        expected = _pages_fingerprint(reader, base)
        return all(_pages_fingerprint(reader, revision) == expected for revision in revisions)
    except _Unreadable as exc:
        logger.info("Page tree not comparable: %s", exc)
        return False


def _pages_fingerprint(reader: PdfFileReader, revision: int) -> list[str]:
    """One digest per page of `revision`, over what the page draws (content streams, resources, boxes,
    rotation, every other page key) and its annotations other than signature widgets, plus the
    catalog's optional-content configuration (which can hide content)."""
    try:
        resolver = reader.get_historical_resolver(revision)
        root = resolver.root
        memo: dict[tuple[int, int], bytes] = {}
        pages: list[str] = []
        _walk_pages(root.raw_get("/Pages"), {}, pages, memo, set(), 0)
        if "/OCProperties" in root:
            pages.append(_digest(root.raw_get("/OCProperties"), memo, set(), 0).hex())
    except (PdfError, KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        raise _Unreadable(str(exc)) from exc
    return pages


def _walk_pages(node_ref, inherited: dict, out: list[str], memo: dict, seen: set, depth: int) -> None:
    if depth > MAX_PDF_DEPTH:
        raise _Unreadable("page tree too deep")
    if isinstance(node_ref, generic.IndirectObject):
        key = (node_ref.idnum, node_ref.generation)
        if key in seen:
            raise _Unreadable("page tree loop")
        seen.add(key)
    node = node_ref.get_object()
    if not isinstance(node, generic.DictionaryObject):
        raise _Unreadable("page tree node is not a dictionary")
    inherited = {**inherited, **{k: node.raw_get(k) for k in INHERITABLE_PAGE_KEYS if k in node}}
    if "/Type" in node and node["/Type"] == "/Pages":
        kids = node["/Kids"]
        for index in range(len(kids)):
            _walk_pages(kids.raw_get(index), inherited, out, memo, seen, depth + 1)
        return
    digest = hashlib.sha256()
    for key in INHERITABLE_PAGE_KEYS:
        digest.update(key.encode() + (_digest(inherited[key], memo, set(), 0) if key in inherited else b"-"))
    for key in sorted(node.keys()):
        if key not in INHERITABLE_PAGE_KEYS and key not in ("/Annots", "/Parent"):
            digest.update(repr(key).encode() + _digest(node.raw_get(key), memo, set(), 0))
    annots = node["/Annots"] if "/Annots" in node else generic.ArrayObject()
    for index in range(len(annots)):
        raw = annots.raw_get(index)
        if not _is_signature_widget(raw.get_object()):
            digest.update(b"annot" + _digest(raw, memo, set(), 0))
    out.append(digest.hexdigest())


def _is_signature_widget(annot) -> bool:
    """A widget of a signature field (/FT is inheritable, so look up the field's parents)."""
    if not isinstance(annot, generic.DictionaryObject) or "/Subtype" not in annot or annot["/Subtype"] != "/Widget":
        return False
    field = annot
    for _level in range(MAX_PDF_DEPTH):
        if "/FT" in field:
            return field["/FT"] == "/Sig"
        if "/Parent" not in field:
            return False
        field = field["/Parent"]
    return False


def _digest(obj, memo: dict, stack: set, depth: int) -> bytes:
    """A content digest of a PDF object, references resolved (in the resolver's revision), back-links
    (/Parent, /P) left out; a reference loop is cut where it closes."""
    if depth > MAX_PDF_DEPTH:
        raise _Unreadable("object nesting too deep")
    if isinstance(obj, generic.IndirectObject):
        key = (obj.idnum, obj.generation)
        if key in memo:
            return memo[key]
        if key in stack:
            return b"loop"
        stack.add(key)
        value = _digest(obj.get_object(), memo, stack, depth + 1)
        stack.discard(key)
        memo[key] = value
        return value
    digest = hashlib.sha256(type(obj).__name__.encode())
    if isinstance(obj, generic.DictionaryObject):  # streams too: their dictionary, then their bytes
        for key in sorted(obj.keys()):
            if key not in BACK_LINK_KEYS:
                digest.update(repr(key).encode() + _digest(obj.raw_get(key), memo, stack, depth + 1))
        if isinstance(obj, generic.StreamObject):
            digest.update(hashlib.sha256(obj.encoded_data).digest())
    elif isinstance(obj, generic.ArrayObject):
        for index in range(len(obj)):
            digest.update(_digest(obj.raw_get(index), memo, stack, depth + 1))
    else:  # a primitive: its PDF serialisation (repr() of some pyHanko primitives is not stable)
        out = io.BytesIO()
        obj.write_to_stream(out)
        digest.update(out.getvalue())
    return digest.digest()


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


def _same_tax_code(found: str, expected: str) -> bool:
    """Exactly the expected tax code (a branch suffix must match too)."""
    return _normalise_tax_code(found) == _normalise_tax_code(expected)


def _same_enterprise(found: str, expected: str) -> bool:
    """The same enterprise: equal 10-digit main parts ("0101234567-001" is a branch of 0101234567)."""
    main = _normalise_tax_code(expected).split("-")[0]
    return bool(main) and _normalise_tax_code(found).split("-")[0] == main


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
