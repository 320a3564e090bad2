"""Reads composed from the querysets, for views and the API."""
from __future__ import annotations

from django.db.models import Count

from geoportal.core.geojson import feature_collection
from geoportal.organisations.models import AdministrativeUnit, Organisation
from geoportal.scopes import Action


def admin_units_geojson(*, user, bbox: tuple[float, float, float, float] | None = None,
                        kind: str | None = None, simplify: float | None = None) -> str:
    """The units as a FeatureCollection built in PostGIS."""
    qs = AdministrativeUnit.objects.for_user(user, Action.VIEW).order_by("code")
    if bbox:
        qs = qs.within(bbox)
    if kind:
        qs = qs.filter(kind=kind)
    return feature_collection(
        qs, properties=["code", "name", "kind", "former_district", "former_province", "is_approximate"],
        precision=5, simplify=simplify,
    )


def unit_counts() -> dict[str, int]:
    rows = AdministrativeUnit.objects.values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def organisations_for(user):
    return (
        Organisation.objects.for_user(user, Action.VIEW)
        .select_related("admin_unit", "account_holder")
        .annotate(user_count=Count("users"))
        .order_by("kind", "name")
    )
