"""Large exports in the background, through the django.tasks API (database backend;
`manage.py db_worker` runs them). The user sees the progress and a download link."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks import task

from geoportal.audit.services import audit_record
from layers.exports.views import FORMATS, BadFilter, count_capped, csv_response, geojson_response, ogr_response, refiner
from layers.models import ExportJob
from layers.tiles.masking import masked_query

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5_000  # rows between two progress updates
ALLOWED_PARAMS = ("bbox", "admin_unit", "q")


class _Params(dict):
    """A QueryDict-like view of the stored filters for the exports' refiner()."""

    def get(self, key, default=None):  # noqa: D401 - same contract as QueryDict.get
        value = super().get(key, default)
        return default if value in (None, "") else value


@transaction.atomic
def export_job_start(*, actor, collection: str, fmt: str, params: dict) -> ExportJob:
    """Queue a background export of what `actor` may see (checked now and again when it runs)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": _("Unknown format.")})
    clean = {k: str(v)[:200] for k, v in params.items() if k in ALLOWED_PARAMS and v not in (None, "")}
    try:
        mq = masked_query(collection, actor, refine=refiner(_Params(clean)), ordered=True)
    except BadFilter as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    total = count_capped(mq, 10_000_000)
    job = ExportJob.objects.create(collection=collection, file_format=fmt, params=clean, requested_by=actor,
                                   rows_total=total)
    audit_record(actor=actor, action="export.start", obj=job, changes={"collection": collection, "format": fmt,
                                                                      "params": clean, "rows": total})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_export_job.enqueue(job_id)
    ExportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


@task()
def run_export_job(job_id: int) -> str:
    """Write the export to storage, updating the row count as it goes."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    user = get_user_model().objects.select_related("organisation").get(pk=job.requested_by_id)
    try:
        mq = masked_query(job.collection, user, refine=refiner(_Params(job.params)), ordered=True)
        if job.file_format == "geojson":
            response = geojson_response(mq)
        elif job.file_format == "csv":
            response = csv_response(mq)
        else:
            response = ogr_response(mq, job.file_format)
        suffix = {"shp": "-shp.zip"}.get(job.file_format, f".{job.file_format}")
        with tempfile.TemporaryDirectory(prefix="export-job-") as tmp:
            path = Path(tmp) / f"{job.collection}{suffix}"
            written = 0
            with open(path, "wb") as out:
                for chunk in response.streaming_content:
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                    written += chunk.count(b"\n" if isinstance(chunk, bytes) else "\n")
                    if written % PROGRESS_EVERY < 2_000:
                        ExportJob.objects.filter(pk=job.pk).update(rows_done=min(written, job.rows_total))
            with open(path, "rb") as handle:
                job.file.save(path.name, File(handle), save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, file=job.file.name,
                                                   rows_done=job.rows_total, finished_at=timezone.now())
        return job.file.name
    except Exception as exc:  # a failed job is recorded for the user, not lost
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:500],
                                                   finished_at=timezone.now())
        raise


def _own_job(request, pk: int) -> ExportJob:
    # A job is its requester's: anyone else gets a 404.
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
@require_POST
def job_create(request):
    try:
        job = export_job_start(actor=request.user, collection=request.POST.get("collection", ""),
                               fmt=request.POST.get("format", ""), params=request.POST.dict())
    except Http404:
        raise
    except ValidationError as exc:
        return render(request, "layers/exports/job_error.html", {"errors": exc.messages}, status=400)
    return redirect("exports:job", pk=job.pk)


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    if request.headers.get("Accept", "").startswith("application/json") or request.GET.get("f") == "json":
        return JsonResponse({"id": job.pk, "status": job.status, "progress": job.progress,
                             "rows_total": job.rows_total, "rows_done": job.rows_done, "error": job.error,
                             "download": job.file.name and f"/exports/jobs/{job.pk}/download/" or None})
    return render(request, "layers/exports/job.html", {"job": job,
                                                       "jobs": ExportJob.objects.filter(requested_by=request.user)[:20]})


@login_required
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name)
    response["Cache-Control"] = "private, no-store"
    return response
