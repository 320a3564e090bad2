"""Import batches: an uploaded file previewed by a dry run, then imported or cancelled.

Each step is a keyword-only service in one transaction with its audit row. The file
is kept through Django's storage API under a generated name (never the client's).
"""
from __future__ import annotations

import unicodedata
import uuid
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from layers.imports.features import features_import
from layers.imports.permissions import PERMIT_BOOK, check_may_import
from layers.imports.permit_book import permit_book_import
from layers.imports.readers import FORMATS, ImportOptions
from layers.imports.report import ImportRefused, ImportReport
from layers.models import ImportBatch


def run_import(*, actor, layer: str, source, original_name: str, options: ImportOptions,
               dry_run: bool) -> ImportReport:
    """Dispatch to the feature importer or the permit book."""
    if layer == PERMIT_BOOK:
        return permit_book_import(actor=actor, source=source, original_name=original_name, dry_run=dry_run)
    return features_import(actor=actor, layer=layer, source=source, original_name=original_name,
                           options=options, dry_run=dry_run)


def display_name(name: str) -> str:
    """The client's file name, for display only: its last part, without control or
    bidirectional-override characters, at most 200 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch) not in ("Cc", "Cf"))
    return base.strip()[:200] or "upload"


def _apply_report(batch: ImportBatch, report: ImportReport) -> None:
    counts = report.counts
    batch.report = report.to_dict()
    batch.created_count, batch.updated_count = counts["create"], counts["update"]
    batch.rejected_count, batch.review_count = counts["reject"], counts["review"]


def _refused_report(message: str) -> dict:
    return {"error": message, "summary": message, "rows": [], "notes": [], "counts": {}}


@transaction.atomic
def import_batch_preview(*, actor, layer: str, upload, options: ImportOptions) -> ImportBatch:
    """Dry-run an uploaded file and keep it as a batch for the user to import or cancel.

    Raises ImportRefused when the file is refused as a whole (nothing is stored) and
    PermissionDenied when the actor may not import into the layer."""
    check_may_import(actor, layer)
    original = display_name(getattr(upload, "name", ""))
    report = run_import(actor=actor, layer=layer, source=upload, original_name=original, options=options,
                        dry_run=True)
    batch = ImportBatch(layer=layer, original_name=original, file_format=report.file_format,
                        options=options.to_dict(), status=ImportBatch.Status.PREVIEWED,
                        organisation=getattr(actor, "organisation", None), uploaded_by=actor)
    _apply_report(batch, report)
    batch.file.save(f"{uuid.uuid4().hex}{FORMATS[report.file_format][0]}", upload, save=False)
    name = batch.file.name
    try:
        batch.save()
        audit_record(actor=actor, action="importbatch.preview", obj=batch, changes={
            "layer": layer, "file": original, "counts": report.counts})
    except Exception:
        batch.file.storage.delete(name)  # no orphan file when the row is not written
        raise
    return batch


def _lock_for(actor, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who uploaded the file can import or cancel it."))
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(_("This import is already %(status)s.") % {"status": batch.get_status_display()},
                              code="import_finished")
    return batch


@transaction.atomic
def import_batch_commit(*, actor, batch: ImportBatch) -> ImportBatch:
    """Import a previewed batch for real, all-or-nothing: the file is read and checked
    again; if any row is rejected nothing is written and the batch is marked rejected."""
    batch = _lock_for(actor, batch)
    try:
        report = run_import(actor=actor, layer=batch.layer, source=batch.file, original_name=batch.original_name,
                            options=ImportOptions.from_dict(batch.options), dry_run=False)
    except ImportRefused as exc:
        batch.report = _refused_report(" ".join(exc.messages))
        batch.status = ImportBatch.Status.REJECTED
        batch.created_count = batch.updated_count = batch.review_count = 0
    else:
        _apply_report(batch, report)
        batch.status = ImportBatch.Status.REJECTED if report.aborted else ImportBatch.Status.IMPORTED
    finally:
        batch.file.close()
    batch.finished_at = timezone.now()
    batch.save()
    audit_record(actor=actor, action=f"importbatch.{'import' if batch.status == 'imported' else 'reject'}",
                 obj=batch, changes={"status": batch.status, "created": batch.created_count,
                                     "updated": batch.updated_count, "rejected": batch.rejected_count})
    return batch


@transaction.atomic
def import_batch_cancel(*, actor, batch: ImportBatch) -> ImportBatch:
    """Drop a previewed batch: nothing is imported and the stored file is deleted."""
    batch = _lock_for(actor, batch)
    batch.status = ImportBatch.Status.CANCELLED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, action="importbatch.cancel", obj=batch, changes={"status": batch.status})
    storage, name = batch.file.storage, batch.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return batch
