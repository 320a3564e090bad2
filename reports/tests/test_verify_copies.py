"""`manage.py verify_copies_of_record`: a real submission (rendered, signed with the demo CA,
received, receipt sealed) re-checks as ok; a stored file replaced behind the portal's back, or
missing, fails with exit code 1; the command only reads."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ReportSubmission
from reports.services import workflow
from reports.signing.verify import revision_before_first_signature
from reports.tests.factories import build_report_world
from reports.tests.test_workflow import _fill_render_sign, _open, sign


@pytest.fixture
def submission(world, client) -> ReportSubmission:
    """A report opened, filled, rendered, signed and submitted through the workflow, as in test_workflow."""
    from reports.formdefs import load_form_definitions

    load_form_definitions()
    rw = build_report_world(world)
    report = _open(client, world, rw)
    signed = _fill_render_sign(client, report)
    return workflow.report_submit_signed(user=world.users["enterprise_user"], report=report, signed=signed)


def run(**options) -> str:
    out = io.StringIO()
    call_command("verify_copies_of_record", stdout=out, **options)
    return out.getvalue()


def replace_stored(name: str, content: bytes) -> None:
    """Swap a stored file's bytes under the same name (what a storage-level tamper looks like)."""
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(content)) == name


def test_intact_submission_is_ok(submission):
    """Hashes, the rendered revision, the signature and the receipt seal all re-check: exit 0."""
    with default_storage.open(submission.signed_pdf.name, "rb") as fh:
        rendered = revision_before_first_signature(fh.read())
    assert rendered is not None and workflow.sha256_hex(rendered) == submission.rendered_sha256
    out = run(report=submission.report_id)
    assert f"report {submission.report_id} revision 1 (submission {submission.pk}" in out
    assert ": ok" in out and "1 copies of record checked: 1 ok, 0 failed." in out


def test_replaced_signed_pdf_is_a_hash_mismatch(submission):
    """The stored signed PDF swapped for a re-signed copy of the same rendered PDF (valid in itself):
    the recorded SHA-256 catches it, and the command exits 1."""
    with default_storage.open(submission.signed_pdf.name, "rb") as fh:
        original = fh.read()
    replacement = sign(revision_before_first_signature(original))
    assert replacement != original
    replace_stored(submission.signed_pdf.name, replacement)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_copies_of_record", report=submission.report_id, stdout=out)
    assert failure.value.returncode == 1
    assert "1 failed" in str(failure.value)
    line = out.getvalue()
    assert "FAILED: signed PDF SHA-256 mismatch" in line
    assert "rendered PDF" not in line and "signature:" not in line  # the replacement itself is well signed
    assert f"recorded {submission.sha256[:12]}" in line


def test_tampered_bytes_fail_every_check_they_touch(submission):
    """A byte flipped inside the rendered revision: hash, rendered hash and signature all fail."""
    with default_storage.open(submission.signed_pdf.name, "rb") as fh:
        original = fh.read()
    at = original.index(b"stream\n", 2000) + 20
    replace_stored(submission.signed_pdf.name, original[:at] + bytes([original[at] ^ 1]) + original[at + 1:])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_copies_of_record", report=submission.report_id, stdout=out)
    text = out.getvalue()
    for problem in ("signed PDF SHA-256 mismatch", "rendered PDF SHA-256 mismatch", "signature: broken"):
        assert problem in text


def test_replaced_receipt_is_a_hash_mismatch(submission):
    """The receipt is part of the copy of record too."""
    replace_stored(submission.receipt_pdf.name, b"%PDF-1.7\nnot the receipt")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_copies_of_record", report=submission.report_id, stdout=out)
    assert "receipt SHA-256 mismatch" in out.getvalue() and "receipt e-seal: not_pdf" in out.getvalue()


def test_missing_files_fail_and_others_are_still_checked(submission):
    """The world's scope-test submissions have no stored files: each fails on its own line; the real one is ok."""
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_copies_of_record", stdout=out)
    assert failure.value.returncode == 1
    lines = out.getvalue().splitlines()
    missing = [line for line in lines if "signed PDF missing from storage (reports/signed/test.pdf)" in line]
    assert len(missing) == ReportSubmission.objects.count() - 1 == 2
    assert all("receipt missing from storage" in line for line in missing)
    assert sum(line.endswith(": ok") for line in lines) == 1
    assert "3 copies of record checked: 1 ok, 2 failed." in str(failure.value)


def test_since_filters_by_day_received(submission):
    """--since tomorrow checks nothing (exit 0); --since today checks the day's submissions."""
    from django.utils import timezone

    today = timezone.localdate()
    assert "No copies of record to check." in run(since=(today + dt.timedelta(days=1)).isoformat())
    with pytest.raises(CommandError, match="3 copies of record checked"):
        call_command("verify_copies_of_record", "--since", today.isoformat(), stdout=io.StringIO())


def test_the_command_only_reads(submission):
    """Every query it runs is a SELECT, and the stored files are unchanged."""
    names = (submission.signed_pdf.name, submission.receipt_pdf.name)
    before = [default_storage.open(n, "rb").read() for n in names]
    with CaptureQueriesContext(connection) as queries:
        run(report=submission.report_id)
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert statements and set(statements) <= {"SELECT", "SAVEPOINT", "RELEASE", "DECLARE", "CLOSE"}, statements
    assert [default_storage.open(n, "rb").read() for n in names] == before
