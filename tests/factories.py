"""factory_boy factories with valid geometries (EPSG:4326, inside Hai Phong)."""
from __future__ import annotations

import factory
from django.contrib.gis.geos import MultiPolygon, Polygon

from geoportal.accounts.models import User
from geoportal.organisations.choices import OrganisationKind, UnitKind
from geoportal.organisations.models import AdministrativeUnit, Organisation


def square(lon: float, lat: float, size: float = 0.02) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + size, lat + size)), srid=4326)


class AdministrativeUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    kind = UnitKind.COMMUNE
    # Non-overlapping squares marching east from 106.3 E, 20.7 N.
    geom = factory.Sequence(lambda n: square(106.3 + (n % 40) * 0.025, 20.7 + (n // 40) * 0.025))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Tổ chức thử {n}")
    kind = OrganisationKind.ENTERPRISE


class CommuneFactory(OrganisationFactory):
    kind = OrganisationKind.COMMUNE
    admin_unit = factory.SubFactory(AdministrativeUnitFactory)
    name = factory.LazyAttribute(lambda o: f"UBND {o.admin_unit.name}")


class EnterpriseFactory(OrganisationFactory):
    kind = OrganisationKind.ENTERPRISE
    tax_code = factory.Sequence(lambda n: f"{9000000000 + n:010d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(EnterpriseFactory)
    roles = factory.LazyFunction(lambda: ["enterprise_user"])
    password = factory.django.Password("Test-password-123")
