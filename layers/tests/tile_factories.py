"""Helpers for the tile and export tests: a published facility layer with one owned,
approved facility carrying a private sentinel value."""
from __future__ import annotations

import math

from django.core.cache import cache

from layers.models import LayerPublication
from layers.publishing import _key
from layers.tests.factories import FacilityFactory, ZoneFactory

SENTINEL = "SENTINEL-REP-7731"
NAME = "Nhà máy Cát Hải thử"
LON, LAT = 106.2, 21.1


def publish(slug: str, fields: list[str], *, public: bool = True) -> LayerPublication:
    """Publish (or unpublish) a layer; a data migration may already have created the row."""
    pub, _ = LayerPublication.objects.update_or_create(
        layer=slug, defaults={"is_public": public, "public_fields": fields, "title_vi": f"Lớp {slug}",
                              "attribution": "Sở NN&MT Hải Phòng (thử)"})
    cache.delete(_key(slug))  # publication_update clears it on commit; tests have no commit
    return pub


def owned_facility(world, **kwargs):
    """An approved facility of enterprise A with a private representative (the sentinel)."""
    kwargs.setdefault("name", NAME)
    kwargs.setdefault("address", "Số 1 đường Thử")
    return FacilityFactory(owner_organisation=world.enterprise_a, representative=SENTINEL, admin_unit=world.unit_a,
                           **kwargs)


def zone(**kwargs):
    return ZoneFactory(**kwargs)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator)."""
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return x, y
