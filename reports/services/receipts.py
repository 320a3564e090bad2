"""What a receipt states about a submission (rendered by reports.pdf, sealed by the agency)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from reports.models import ReportSubmission
from reports.pdf import ReceiptFacts


def receipt_number(submission: ReportSubmission) -> str:
    """Stable and unique: year, report id and revision (one receipt per copy of record)."""
    return f"{submission.report.year}/{submission.report_id:06d}-L{submission.revision}"


def receipt_facts(*, submission: ReportSubmission, recipients) -> ReceiptFacts:
    """The facts of `submission` (not yet saved) for its receipt."""
    report = submission.report
    org = report.organisation
    verification = submission.verification or {}
    summary = verification.get("message") or ""
    if verification.get("details", {}).get("timestamp"):
        summary = f"{summary} " + _("Time-stamped at %(at)s.") % {"at": verification["details"]["timestamp"]}
    return ReceiptFacts(
        receipt_number=receipt_number(submission),
        report_title=_("Annual environmental protection report %(year)s") % {"year": report.year},
        form_code=report.form.code, year=report.year, revision=submission.revision,
        subject_name=report.subject_name, organisation_name=org.name, organisation_tax_code=org.tax_code or "",
        signed_sha256=submission.sha256, signed_size=submission.size, received_at=submission.received_at,
        signer_name=submission.signer_name, signer_tax_code=submission.signer_tax_code,
        verification_summary=summary.strip(), recipients=tuple(r.name for r in recipients))
