"""The officer map: every facility in the officer's scope, coloured by compliance
(computed in SQL), with filters, a count table and "export what I see"."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.gis.geos import Polygon
from django.db.models import Case, CharField, Count, DateField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from geoportal.core.geojson import feature_collection
from geoportal.core.html import json_for_script
from geoportal.organisations.models import AdministrativeUnit
from layers.domain.permits import EXPIRING_WINDOW_MONTHS, add_months
from layers.exports.views import neutralise  # the exports' CSV-injection rule
from layers.models import Facility, IndustrialZone, Permit, Remedy

COMPLIANCE = {
    "expired": (_("Permit expired"), "#b3261e"),
    "expiring": (_("Permit expiring (12 months or less)"), "#e08a00"),
    "remedies": (_("Open inspection remedies"), "#7b3294"),
    "no_permit": (_("No valid permit on record"), "#8a949e"),
    "ok": (_("No issue found"), "#1b7837"),
}


@dataclass(frozen=True)
class ComplianceFlag:
    """A compliance class contributed by an app built on layers (monitoring's open
    exceedances): `expression()` is a boolean per facility (OuterRef("pk")), evaluated in SQL."""

    key: str
    label: object
    colour: str
    expression: Callable[[], object]


# Checked before the permit classes, in registration order: an ongoing problem comes first.
COMPLIANCE_FLAGS: list[ComplianceFlag] = []


def register_compliance_flag(flag: ComplianceFlag) -> None:
    """Add a compliance class to the officer map (idempotent; called from an AppConfig.ready())."""
    if flag.key not in COMPLIANCE:
        COMPLIANCE_FLAGS.append(flag)
        COMPLIANCE[flag.key] = (flag.label, flag.colour)


def facilities_with_compliance(user):
    """The officer's facilities annotated with their compliance class, in one query."""
    today = timezone.localdate()
    horizon = add_months(today, EXPIRING_WINDOW_MONTHS)
    current = (Permit.objects.filter(facility=OuterRef("pk"), superseded_by__isnull=True)
               .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)).with_expiry()
               .order_by("-signed_on", "-pk"))
    open_remedies = (Remedy.objects.filter(inspection__facility=OuterRef("pk")).exclude(status="done")
                     .order_by().values("inspection__facility").annotate(n=Count("pk")).values("n"))
    flags = {f"flag_{flag.key}": flag.expression() for flag in COMPLIANCE_FLAGS}
    return (Facility.objects.for_user_private(user)
            .annotate(permit_expiry=Subquery(current.values("expiry")[:1], output_field=DateField()),
                      open_remedies=Coalesce(Subquery(open_remedies, output_field=IntegerField()), 0), **flags)
            .annotate(compliance=Case(
                *[When(**{f"flag_{flag.key}": True}, then=Value(flag.key)) for flag in COMPLIANCE_FLAGS],
                When(permit_expiry__lt=today, then=Value("expired")),
                When(permit_expiry__lte=horizon, then=Value("expiring")),
                When(open_remedies__gt=0, then=Value("remedies")),
                When(permit_expiry__isnull=True, permit_class="gpmt", then=Value("no_permit")),
                default=Value("ok"), output_field=CharField())))


def officer_counts(user) -> dict[str, int]:
    """Facilities in the user's scope per compliance class (one aggregate query)."""
    qs = facilities_with_compliance(user)
    return dict(qs.order_by().values_list("compliance").annotate(n=Count("pk")))


def apply_filters(qs, params):
    if params.get("compliance") in COMPLIANCE:
        qs = qs.filter(compliance=params["compliance"])
    if params.get("admin_unit", "").isdigit():
        qs = qs.filter(admin_unit_id=int(params["admin_unit"]))
    if params.get("zone", "").isdigit():
        qs = qs.filter(zone_id=int(params["zone"]))
    bbox = params.get("bbox", "")
    if bbox:
        try:
            w, s, e, n = (float(v) for v in bbox.split(","))
            if w < e and s < n:
                qs = qs.filter(geom__intersects=Polygon.from_bbox((w, s, e, n)))
        except ValueError:
            pass
    return qs


class OfficerMapView(LoginRequiredMixin, View):
    def get(self, request):
        counts = officer_counts(request.user)
        legend = [{"key": k, "label": label, "color": color, "count": counts.get(k, 0)}
                  for k, (label, color) in COMPLIANCE.items()]
        return render(request, "layers/officer_map.html", {
            "legend": legend, "total": sum(counts.values()),
            "units": AdministrativeUnit.objects.order_by("name").only("pk", "name", "kind"),
            "zones": IndustrialZone.objects.for_user(request.user).order_by("name").only("pk", "name"),
            "colors": json_for_script({k: c for k, (_l, c) in COMPLIANCE.items()}),
        })


class OfficerMapDataView(LoginRequiredMixin, View):
    """GeoJSON (built in PostGIS) or CSV of what the officer sees."""

    def get(self, request):
        qs = apply_filters(facilities_with_compliance(request.user), request.GET).select_related("admin_unit")
        if request.GET.get("format") == "csv":
            buffer = io.StringIO()
            buffer.write("\ufeff")  # Excel opens UTF-8 with a BOM
            writer = csv.writer(buffer)
            writer.writerow(["id", "name", "tax_code", "admin_unit", "compliance", "permit_expiry", "open_remedies",
                             "lon", "lat"])
            for f in qs.order_by("name", "pk").iterator(chunk_size=2000):
                writer.writerow([f.pk, neutralise(f.name), neutralise(f.tax_code),
                                 neutralise(f.admin_unit.name if f.admin_unit_id else ""), f.compliance,
                                 f.permit_expiry or "", f.open_remedies, f"{f.geom.x:.6f}", f"{f.geom.y:.6f}"])
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="co-so-theo-tuan-thu.csv"'
            response["Cache-Control"] = "private, no-store"
            return response
        body = feature_collection(qs.order_by("pk"), properties=["name", "compliance", "permit_expiry",
                                                                 "open_remedies"], precision=6)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "private, no-store"
        return response
