"""Factories for the map layers, with valid geometries inside Hai Phong."""
from __future__ import annotations

import factory
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.choices import ApprovalStatus, ZoneKind
from layers.models import Facility, IndustrialZone


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Cơ sở thử {n}")
    geom = factory.Sequence(lambda n: Point(106.5 + (n % 50) * 0.004, 20.8 + (n // 50) * 0.004, srid=4326))
    approval_status = ApprovalStatus.APPROVED


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialZone

    name = factory.Sequence(lambda n: f"KCN thử {n}")
    kind = ZoneKind.KCN
    geom = factory.Sequence(lambda n: MultiPolygon(Polygon.from_bbox(
        (106.9 + (n % 20) * 0.01, 20.75, 106.905 + (n % 20) * 0.01, 20.755)), srid=4326))
    approval_status = ApprovalStatus.APPROVED
