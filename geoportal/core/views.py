"""Home page, health check, and error handlers (HTML for pages, JSON for the API)."""
from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from geoportal.core.errors import problem_response

logger = logging.getLogger(__name__)


def _wants_json(request) -> bool:
    path = request.path
    if path.startswith(("/api/", "/ogcapi/", "/tiles/", "/exports/", "/edr/", "/healthz")):
        return True
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


@require_safe
def home(request):
    from geoportal.organisations.models import Organisation
    from geoportal.organisations.selectors import unit_counts

    counts = unit_counts()
    context = {
        "unit_counts": counts,
        "unit_total": sum(counts.values()),
        "organisation_count": Organisation.objects.filter(is_active=True).count(),
    }
    return render(request, "home.html", context)


@never_cache
@require_safe
def healthz(request):
    """Liveness and readiness: the database answers and PostGIS is installed."""
    checks = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            checks["database"] = "ok"
            cursor.execute("SELECT postgis_lib_version()")
            checks["postgis"] = cursor.fetchone()[0]
    except Exception as exc:  # any DB failure is a failed check, reported, not raised
        logger.error("health check failed: %s", exc.__class__.__name__)
        checks.setdefault("database", "error")
        checks.setdefault("postgis", "error")
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "checks": checks}, status=status)


def bad_request(request, exception=None):
    if _wants_json(request):
        return problem_response(status_code=400, code="bad_request", title=_("Invalid request"))
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    if _wants_json(request):
        return problem_response(status_code=403, code="permission_denied", title=_("Permission denied"))
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if _wants_json(request):
        return problem_response(status_code=404, code="not_found", title=_("Not found"),
                                detail=_("No such resource, or it is outside your scope."))
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Generic body with the request id; never a traceback (RELIABILITY.md R-11)."""
    rid = getattr(request, "request_id", "")
    if _wants_json(request):
        return problem_response(status_code=500, code="server_error", title=_("Internal error"),
                                detail=_("An unexpected error occurred. Quote the request id when reporting it."))
    try:
        return render(request, "errors/500.html", {"request_id": rid}, status=500)
    except Exception:
        return HttpResponse(f"Internal error. Request id: {rid}", status=500, content_type="text/plain")


def csrf_failure(request, reason=""):
    if _wants_json(request):
        return problem_response(status_code=403, code="csrf_failed", title=_("Permission denied"),
                                detail=_("CSRF check failed. Reload the page and try again."))
    return render(request, "errors/403_csrf.html", status=403)
