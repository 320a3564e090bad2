"""factory_boy factories for the register (layers), with valid EPSG:4326 geometries in
Hai Phong.

The shared AdministrativeUnitFactory (tests/factories.py) lays its squares east of
106.3 E; `unit_at()` places units at chosen spots west of it (106.0–106.25 E, the
former Hai Duong), so that tests know which unit a coordinate falls in.
"""
from __future__ import annotations

from datetime import date

import factory
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geoportal.catalogues.models import Catalogue, CatalogueEntry
from geoportal.organisations.choices import UnitKind
from layers.choices import ApprovalStatus, DischargeKind, ZoneKind
from layers.models import DischargeStream, Facility, ImportBatch, IndustrialZone, Permit
from tests.factories import AdministrativeUnitFactory, EnterpriseFactory


def square(lon: float, lat: float, size: float = 0.05) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + size, lat + size)), srid=4326)


def unit_at(lon: float, lat: float, *, size: float = 0.05, **kwargs):
    """An administrative unit whose boundary is the square [lon, lon+size] x [lat, lat+size]."""
    kwargs.setdefault("kind", UnitKind.WARD)
    return AdministrativeUnitFactory(geom=square(lon, lat, size), **kwargs)


def centre(unit) -> Point:
    p = unit.geom.point_on_surface
    return Point(p.x, p.y, srid=4326)


class FacilityFactory(factory.django.DjangoModelFactory):
    """An approved facility; by default at a spot outside every test unit."""

    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Công ty thử nghiệm {n}")
    geom = factory.LazyFunction(lambda: Point(106.2, 21.1, srid=4326))
    owner_organisation = factory.SubFactory(EnterpriseFactory)
    approval_status = ApprovalStatus.APPROVED

    class Params:
        unit = None

    @factory.lazy_attribute
    def admin_unit(self):
        return self.unit


class InUnitFacilityFactory(FacilityFactory):
    """A facility at the centre of `unit` (pass unit=...)."""

    geom = factory.LazyAttribute(lambda o: centre(o.unit))


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialZone

    name = factory.Sequence(lambda n: f"KCN thử nghiệm {n}")
    kind = ZoneKind.KCN
    geom = factory.LazyFunction(lambda: square(106.15, 21.0, 0.02))
    approval_status = ApprovalStatus.APPROVED


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"catalogue_{n}")
    name_vi = factory.LazyAttribute(lambda o: o.code)


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry
        django_get_or_create = ("catalogue", "code")

    catalogue = factory.SubFactory(CatalogueFactory)
    code = factory.Sequence(lambda n: f"entry_{n}")
    name_vi = factory.LazyAttribute(lambda o: o.code)


ISSUING_AUTHORITIES = {
    "bo_tnmt": "Bộ Tài nguyên và Môi trường (cũ)",
    "bo_nnmt": "Bộ Nông nghiệp và Môi trường",
    "ubnd_tp": "Ủy ban nhân dân thành phố Hải Phòng",
}


def issuing_authorities() -> dict[str, CatalogueEntry]:
    """The entries of the "issuing_authorities" catalogue the permit book maps to."""
    catalogue = CatalogueFactory(code="issuing_authorities", name_vi="Cơ quan cấp phép, phê duyệt")
    return {code: CatalogueEntryFactory(catalogue=catalogue, code=code, name_vi=name)
            for code, name in ISSUING_AUTHORITIES.items()}


def sectors() -> dict[str, CatalogueEntry]:
    catalogue = CatalogueFactory(code="sectors", name_vi="Loại hình sản xuất, kinh doanh, dịch vụ")
    return {code: CatalogueEntryFactory(catalogue=catalogue, code=code, name_vi=name) for code, name in {
        "thep": "Luyện kim, sản xuất thép", "thuc_pham": "Chế biến thực phẩm"}.items()}


class PermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permit

    facility = factory.SubFactory(FacilityFactory)
    number = factory.Sequence(lambda n: str(100 + n))
    symbol = "GPMT-UBND"
    signed_on = date(2024, 5, 1)
    approval_status = ApprovalStatus.APPROVED


class DischargeStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DischargeStream

    permit = factory.SubFactory(PermitFactory)
    code = "NT1"
    kind = DischargeKind.WASTEWATER
    max_flow = 100
    flow_unit = "m³/day"


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A previewed batch with a stored file (through the storage API)."""

    class Meta:
        model = ImportBatch

    layer = "facilities"
    file = factory.django.FileField(filename="batch.geojson", data=b'{"type": "FeatureCollection", "features": []}')
    original_name = "co_so.geojson"
    file_format = "geojson"
    status = ImportBatch.Status.PREVIEWED
    report = factory.LazyFunction(lambda: {"rows": [], "counts": {}, "summary": ""})
