"""The report workflow, as one explicit state machine (DESIGN.md section 5).

    draft ──submit──> submitted ──accept──> accepted
      ^                   │
      │                 return (reason)
      │                   v
      └──(edit)───── returned ──submit──> submitted (next revision)

"Submit" happens only when a signed PDF passes verification: uploaded by the enterprise
(signed with its own tool) or signed in the portal. It creates the copy of record
(ReportSubmission: signed PDF, SHA-256, verification result, agency-sealed receipt) in
the same transaction as the status change and its audit row. A returned report keeps
its submissions and is edited as the next revision. Only this module changes status.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from geoportal.scopes import Action
from reports.choices import ReportStatus as S
from reports.choices import SigningPath
from reports.models import FormDefinition, Report, ReportRecipient, ReportSubmission

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.RETURNED: {S.SUBMITTED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
    S.ACCEPTED: set(),
}


class ReportError(ValidationError):
    """A refused action on a report, with a machine-readable code (answers 400/409)."""


class TransitionError(ReportError):
    """An illegal move in the workflow (answers 409)."""


class SignatureRejected(ReportError):
    """The uploaded PDF failed verification; `verification` says why."""

    def __init__(self, verification):
        super().__init__(verification.message, code=verification.code)
        self.verification = verification


def _check(report: Report, target: str) -> None:
    if target not in TRANSITIONS.get(report.status, set()):
        raise TransitionError(
            _("A report that is %(from)s cannot become %(to)s.") % {
                "from": S(report.status).label.lower(), "to": S(target).label.lower()},
            code="illegal_transition")


def _locked(report: Report) -> Report:
    """Re-read the report under a row lock: concurrent submissions queue here."""
    return Report.objects.select_for_update(of=("self",)).select_related("form").get(pk=report.pk)


def _require(report: Report, user, action: Action) -> None:
    """The caller fetched `report` through for_user(); re-check the action in the same scope."""
    if not Report.objects.for_user(user, action).filter(pk=report.pk).exists():
        raise ReportError(_("You may not do this with this report."), code="permission_denied")


def _store(prefix: str, content: bytes, suffix: str = ".pdf") -> str:
    """Save bytes through Django's storage API under a name nobody chooses but us."""
    import uuid

    name = f"reports/{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"
    return default_storage.save(name, ContentFile(content))


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- Opening and editing ------------------------------------------------------------------

def report_open(*, user, year: int, facility=None, zone=None) -> Report:
    """The report of `facility` (or `zone`) for `year`: the existing one, or a new draft
    prefilled from the facility, its permit and last year's report."""
    from reports.formdefs import form_for
    from reports.prefill import prefill_data

    subject = facility or zone
    existing = Report.objects.filter(facility=facility, zone=zone, year=year).first()
    if existing is not None:
        return existing
    form = form_for(facility=facility, zone=zone, year=year)
    if form is None:
        raise ReportError(_("This facility is exempt from the annual report (Article 32 of Decree 08/2022)."),
                          code="exempt")
    owner = facility.owner_organisation if facility is not None else zone.investor_organisation
    if owner is None:
        raise ReportError(_("The facility has no owner organisation to file its report."), code="no_owner")
    previous = Report.objects.filter(facility=facility, zone=zone, year=year - 1).first()
    data = prefill_data(definition=form, year=year, facility=facility, zone=zone,
                        previous=previous.data if previous else None)
    unit = subject.admin_unit
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    facility=facility, zone=zone, year=year, form=form, organisation=owner, data=data,
                    due_before=form.due_before(year), admin_unit=unit,
                    former_district=getattr(unit, "former_district", "") or "",
                    in_zone=facility.zone if facility is not None else zone,
                    place="Hải Phòng", created_by=user if getattr(user, "is_authenticated", False) else None)
        except IntegrityError:  # opened at the same moment by a colleague
            return Report.objects.get(facility=facility, zone=zone, year=year)
        audit_record(actor=user, action="report.open", obj=report,
                     changes={"form": str(form), "year": year, "prefilled": sorted(data.get("fields", {}))})
    return report


@dataclass
class SaveResult:
    report: Report
    result: object  # reports.domain.forms.CleanResult


def report_save_data(*, user, report: Report, raw: dict, header: dict | None = None) -> SaveResult:
    """Save the draft's data (whatever its validity: a draft never loses input) and
    return the validation result. The rendered PDF no longer matches: it is dropped."""
    from reports.domain.forms import clean_data

    _require(report, user, Action.CHANGE)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_editable:
            raise TransitionError(_("A submitted report cannot be changed; wait for the review."),
                                  code="not_editable")
        result = clean_data(report.form.definition, raw)
        before = sha256_hex(_canonical(report.data))
        report.data = result.data
        changed = {"data_sha256": [before, sha256_hex(_canonical(result.data))]}
        if header:
            for key in ("number", "place", "report_date"):
                if key in header and getattr(report, key) != header[key]:
                    changed[key] = [getattr(report, key), header[key]]
                    setattr(report, key, header[key])
        _drop_rendered(report)
        report.clean_fields(exclude=[f.name for f in Report._meta.fields
                                     if f.name not in ("number", "place", "report_date")])
        report.save()
        audit_record(actor=user, action="report.save", obj=report, changes=changed)
    return SaveResult(report=report, result=result)


def _canonical(data) -> bytes:
    from geoportal.audit.services import canonical_json

    return canonical_json(data).encode("utf-8")


def _drop_rendered(report: Report) -> None:
    if report.rendered_pdf:
        old = report.rendered_pdf.name
        transaction.on_commit(lambda: default_storage.delete(old))
    report.rendered_pdf = ""
    report.rendered_sha256 = ""
    report.rendered_at = None


def report_render(*, user, report: Report) -> Report:
    """Validate the data for submission and render the PDF to be signed. The report
    must be complete: every error is listed in the ReportError."""
    from reports.domain.forms import clean_data
    from reports.pdf import render_report_pdf

    _require(report, user, Action.CHANGE)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_editable:
            raise TransitionError(_("A submitted report cannot be changed; wait for the review."),
                                  code="not_editable")
        result = clean_data(report.form.definition, report.data, for_submission=True)
        if not result.is_valid:
            raise ReportError({path: messages for path, messages in result.errors.items()}, code="incomplete")
        report.data = result.data
        if report.report_date is None:
            report.report_date = timezone.localdate()
        from reports.services.recipients import recipients_for

        pdf = render_report_pdf(report=report, data=result.data,
                                addressees=[r.name for r in recipients_for(report)])
        _drop_rendered(report)
        report.rendered_pdf = _store("rendered", pdf)
        saved = report.rendered_pdf.name
        report.rendered_sha256 = sha256_hex(pdf)
        report.rendered_at = timezone.now()
        try:
            report.save()
            audit_record(actor=user, action="report.render", obj=report,
                         changes={"rendered_sha256": report.rendered_sha256, "size": len(pdf)})
        except Exception:
            default_storage.delete(saved)
            raise
    return report


def rendered_bytes(report: Report) -> bytes:
    with default_storage.open(report.rendered_pdf.name, "rb") as fh:
        return fh.read()


# --- Submission ------------------------------------------------------------------------

def expected_tax_code(report: Report) -> str:
    """The tax code the signer's certificate must carry (UID=MST:… in the subject)."""
    if report.facility_id and report.facility.tax_code:
        return report.facility.tax_code
    return report.organisation.tax_code or ""


def report_submit_signed(*, user, report: Report, signed: bytes,
                         signing_path: str = SigningPath.UPLOAD) -> ReportSubmission:
    """Verify a signed PDF against the rendered one and, when it passes, create the copy
    of record, issue the sealed receipt and mark the report submitted — all or nothing.
    The same file sent twice (or twice at once) gives one submission."""
    from reports.signing.verify import verify_report_pdf

    _require(report, user, Action.CHANGE)
    digest = sha256_hex(signed)
    existing = report.submissions.filter(sha256=digest).first()
    if existing is not None:
        return existing  # idempotent: this very file was already received
    report = Report.objects.select_related("form", "facility", "organisation").get(pk=report.pk)
    _check(report, S.SUBMITTED)
    if not report.rendered_pdf:
        raise ReportError(_("Render the report's PDF before signing it."), code="not_rendered")
    # Verify before taking the lock (it is the slow part); the lock then re-checks that
    # nothing moved in between.
    rendered_sha = report.rendered_sha256
    verification = verify_report_pdf(signed, rendered=rendered_bytes(report),
                                     expected_tax_code=expected_tax_code(report))
    if not verification.ok:
        with transaction.atomic():
            audit_record(actor=user, action="report.signature_rejected", obj=report,
                         changes={"sha256": digest, "code": verification.code})
        raise SignatureRejected(verification)
    with transaction.atomic():
        report = _locked(report)
        duplicate = report.submissions.filter(sha256=digest).first()
        if duplicate is not None:
            return duplicate  # the same file, sent twice at once: the other request won
        _check(report, S.SUBMITTED)
        if report.rendered_sha256 != rendered_sha:
            raise ReportError(_("The report changed while the signature was being checked; sign it again."),
                              code="changed")
        return _record(user=user, report=report, signed=signed, digest=digest,
                       verification=verification, signing_path=signing_path)


def _record(*, user, report: Report, signed: bytes, digest: str, verification, signing_path: str) -> ReportSubmission:
    from reports.pdf import render_receipt_pdf
    from reports.services.receipts import receipt_facts
    from reports.services.recipients import recipients_for
    from reports.signing.eseal import seal_pdf

    now = timezone.now()
    details = verification.details or {}
    recipients = recipients_for(report)
    stored: list[str] = []
    try:
        signed_name = _store("signed", signed)
        stored.append(signed_name)
        submission = ReportSubmission(
            report=report, revision=report.revision, form=report.form, data=report.data,
            rendered_sha256=report.rendered_sha256, signed_pdf=signed_name, sha256=digest, size=len(signed),
            signing_path=signing_path, verification=verification.as_dict(),
            signer_name=(details.get("signer_name") or "")[:255],
            signer_tax_code=(details.get("tax_code") or "")[:20],
            signed_at=_parse_time(details.get("signed_at")), received_at=now,
            submitted_by=user if getattr(user, "is_authenticated", False) else None)
        receipt = seal_pdf(render_receipt_pdf(facts=receipt_facts(submission=submission, recipients=recipients)))
        receipt_name = _store("receipts", receipt)
        stored.append(receipt_name)
        submission.receipt_pdf = receipt_name
        submission.receipt_sha256 = sha256_hex(receipt)
        submission.save()
        ReportRecipient.objects.bulk_create(
            [ReportRecipient(submission=submission, kind=r.kind, organisation=r.organisation, name=r.name[:255])
             for r in recipients])
        before = report.status
        report.status = S.SUBMITTED
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.save(update_fields=["status", "submitted_at", "first_submitted_at", "updated_at"])
        audit_record(actor=user, action="report.submit", obj=report, changes={
            "status": [before, S.SUBMITTED], "revision": report.revision, "sha256": digest,
            "receipt_sha256": submission.receipt_sha256, "signing_path": signing_path,
            "signer": submission.signer_name, "signer_tax_code": submission.signer_tax_code})
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return submission


def _parse_time(value):
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        return None


def report_sign_in_portal(*, user, report: Report, p12: bytes, password: str) -> ReportSubmission:
    """Sign the rendered PDF with a PKCS#12 the user uploads for this one signature
    (the key is never stored), then submit it like an upload."""
    from reports.signing.signers import Pkcs12Signer, SigningError

    _require(report, user, Action.CHANGE)
    if not report.rendered_pdf:
        raise ReportError(_("Render the report's PDF before signing it."), code="not_rendered")
    try:
        signer = Pkcs12Signer(p12, password.encode("utf-8"))
        signed = signer.sign(rendered_bytes(report), field_name="ChuKyCoSo",
                             reason=_("Annual environmental protection report %(year)s") % {"year": report.year},
                             location=report.place or "Hải Phòng")
    except SigningError as exc:
        raise ReportError(str(exc), code="signing_failed") from exc
    return report_submit_signed(user=user, report=report, signed=signed, signing_path=SigningPath.PORTAL)


# --- Review ----------------------------------------------------------------------------

def _review(*, user, report: Report, target: str, reason: str) -> Report:
    _require(report, user, Action.APPROVE)
    with transaction.atomic():
        report = _locked(report)
        _check(report, target)
        submission = report.submissions.select_for_update().get(revision=report.revision)
        now = timezone.now()
        submission.outcome = target
        submission.outcome_reason = reason
        submission.outcome_by = user
        submission.outcome_at = now
        submission.save(update_fields=["outcome", "outcome_reason", "outcome_by", "outcome_at"])
        before = report.status
        report.status = target
        report.reviewed_at = now
        report.reviewed_by = user
        report.return_reason = reason if target == S.RETURNED else ""
        if target == S.RETURNED:
            # The enterprise corrects it as the next revision; the copy of record stays.
            report.revision += 1
            _drop_rendered(report)
        report.save()
        audit_record(actor=user, action=f"report.{'accept' if target == S.ACCEPTED else 'return'}", obj=report,
                     changes={"status": [before, target], "revision": submission.revision, "reason": reason,
                              "sha256": submission.sha256})
    return report


def report_accept(*, user, report: Report, note: str = "") -> Report:
    """Accept the submitted revision."""
    return _review(user=user, report=report, target=S.ACCEPTED, reason=note.strip())


def report_return(*, user, report: Report, reason: str) -> Report:
    """Return the submitted revision to the enterprise with a reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError({"reason": [_("Say why the report is returned.")]}, code="reason_required")
    return _review(user=user, report=report, target=S.RETURNED, reason=reason)


def forms_in_force(year: int) -> list[FormDefinition]:
    return list(FormDefinition.objects.for_year(year))
