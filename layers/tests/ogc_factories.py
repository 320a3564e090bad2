"""Helpers for the OGC API tests: layer publications and facilities on a line of points."""
from __future__ import annotations

from django.contrib.gis.geos import Point
from django.core.cache import cache

from layers.models import LayerPublication
from layers.tests.factories import FacilityFactory

PUBLIC_FACILITY_FIELDS = ["name", "address", "status", "admin_unit", "sector"]


def publish(layer: str = "facilities", *, is_public: bool = True, fields: list[str] | None = None):
    """Set a layer's publication (a data migration may have created it) and drop the cached copy."""
    pub, _created = LayerPublication.objects.update_or_create(layer=layer, defaults={
        "is_public": is_public,
        "public_fields": PUBLIC_FACILITY_FIELDS if fields is None else fields,
        "title_vi": "Cơ sở sản xuất thử",
        "title_en": "Test facilities",
        "description_vi": "Lớp thử nghiệm",
    })
    cache.delete(f"layers:publication:{layer}")
    return pub


def facilities_grid(count: int, *, lon: float = 106.5, lat: float = 20.8, step: float = 0.001, **kwargs):
    """`count` approved facilities on a line of points eastwards from (lon, lat)."""
    return [FacilityFactory(geom=Point(lon + i * step, lat, srid=4326), **kwargs) for i in range(count)]
