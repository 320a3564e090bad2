"""Re-check the copies of record of submitted reports, read-only:

    manage.py verify_copies_of_record [--report ID] [--since YYYY-MM-DD]

A copy of record must stay byte-identical to what was received and keep proving it
(RELIABILITY.md 1.2, CROMERR § 3.2000(b) and checklist items 18–20). For each
ReportSubmission this command re-reads the stored signed PDF and receipt through Django's
storage API and checks that

- their SHA-256 still equal the recorded `sha256` / `receipt_sha256`;
- the first signed revision of the signed PDF (the bytes before the first signature's
  revision) is the PDF the portal rendered: its SHA-256 equals `rendered_sha256`;
- the signed PDF still verifies against that rendered PDF and the filer's tax code, at the
  time it was received (`received_at`), with today's trust roots;
- the receipt's e-seal still verifies at the time received.

One line per submission, then a summary; exit code 1 when anything failed. Nothing is
written: not the database, not the storage.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import ReportSubmission
from reports.services.workflow import expected_tax_code
from reports.signing.verify import revision_before_first_signature, verify_receipt_pdf, verify_report_pdf


def iso_date(value: str) -> dt.date:
    """A --since value (YYYY-MM-DD); argparse reports a ValueError as "invalid iso_date value"."""
    return dt.date.fromisoformat(value)


def _read(name: str) -> bytes | None:
    """The stored file's bytes, or None when it is missing."""
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as fh:
            return fh.read()
    except OSError:  # FileNotFoundError, or a storage backend's I/O error
        return None


def _short(digest: str) -> str:
    return f"{digest[:12]}…"


def copy_of_record_problems(submission: ReportSubmission) -> list[str]:
    """What is wrong with one copy of record (an empty list when it is intact and still verifies)."""
    problems: list[str] = []
    when = submission.received_at
    signed = _read(submission.signed_pdf.name)
    if signed is None:
        problems.append(f"signed PDF missing from storage ({submission.signed_pdf.name or 'no name'})")
    else:
        digest = hashlib.sha256(signed).hexdigest()
        if digest != submission.sha256:
            problems.append(f"signed PDF SHA-256 mismatch: stored file {_short(digest)}, "
                            f"recorded {_short(submission.sha256)}")
        rendered = revision_before_first_signature(signed)
        if rendered is None:
            problems.append("signed PDF: no signed revision over a rendered PDF")
        elif (rendered_digest := hashlib.sha256(rendered).hexdigest()) != submission.rendered_sha256:
            problems.append(f"rendered PDF SHA-256 mismatch: first signed revision {_short(rendered_digest)}, "
                            f"recorded {_short(submission.rendered_sha256)}")
        # The tax code checked on receipt (kept in the verification); the report's own if it was not kept.
        recorded = (submission.verification or {}).get("details", {}).get("expected_tax_code")
        tax_code = recorded if recorded is not None else expected_tax_code(submission.report)
        verification = verify_report_pdf(signed, rendered=rendered, expected_tax_code=tax_code, when=when)
        if not verification.ok:
            problems.append(f"signature: {verification.code} ({verification.message})")
    receipt = _read(submission.receipt_pdf.name)
    if receipt is None:
        problems.append(f"receipt missing from storage ({submission.receipt_pdf.name or 'no name'})")
    else:
        digest = hashlib.sha256(receipt).hexdigest()
        if digest != submission.receipt_sha256:
            problems.append(f"receipt SHA-256 mismatch: stored file {_short(digest)}, "
                            f"recorded {_short(submission.receipt_sha256)}")
        seal = verify_receipt_pdf(receipt, when=when)
        if not seal.ok:
            problems.append(f"receipt e-seal: {seal.code} ({seal.message})")
    return problems


class Command(BaseCommand):
    help = "Re-check the stored copies of record (hashes, rendered revision, signatures, receipt seals); read-only."

    def add_arguments(self, parser):
        parser.add_argument("--report", type=int, default=None, help="only the submissions of this report (id)")
        parser.add_argument("--since", type=iso_date, default=None,
                            help="only submissions received on or after this date (YYYY-MM-DD, local time)")

    def handle(self, *args, **opts):
        submissions = (ReportSubmission.objects.select_related("report__facility", "report__organisation")
                       .order_by("received_at", "pk"))
        if opts["report"] is not None:
            submissions = submissions.filter(report_id=opts["report"])
        if (since := opts["since"]) is not None:
            since = iso_date(since) if isinstance(since, str) else since  # call_command(since="…") skips argparse
            start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
            submissions = submissions.filter(received_at__gte=start)
        checked = failed = 0
        for submission in submissions.iterator(chunk_size=100):
            checked += 1
            label = (f"report {submission.report_id} revision {submission.revision} (submission {submission.pk}, "
                     f"received {timezone.localtime(submission.received_at):%Y-%m-%d %H:%M})")
            problems = copy_of_record_problems(submission)
            if problems:
                failed += 1
                self.stdout.write(self.style.ERROR(f"{label}: FAILED: {'; '.join(problems)}"))
            else:
                self.stdout.write(f"{label}: ok")
        summary = f"{checked} copies of record checked: {checked - failed} ok, {failed} failed."
        if failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary) if checked else "No copies of record to check.")
