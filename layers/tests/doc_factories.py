"""A few register factories for the document tests (valid points inside their unit)."""
from __future__ import annotations

from datetime import date

import factory
from django.contrib.gis.geos import Point

from layers.choices import ApprovalStatus
from layers.models import Facility, Inspection, Permit
from tests.factories import AdministrativeUnitFactory, EnterpriseFactory


def point_in(unit) -> Point:
    """A point inside the unit's (square) boundary, EPSG:4326 lon/lat."""
    return Point(unit.geom.point_on_surface.coords, srid=4326)


class FacilityFactory(factory.django.DjangoModelFactory):
    """A facility owned by an enterprise and located in an administrative unit."""

    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Cơ sở thử {n}")
    admin_unit = factory.SubFactory(AdministrativeUnitFactory)
    owner_organisation = factory.SubFactory(EnterpriseFactory)
    geom = factory.LazyAttribute(lambda o: point_in(o.admin_unit) if o.admin_unit else Point(106.68, 20.86, srid=4326))
    approval_status = ApprovalStatus.APPROVED


class PermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permit

    facility = factory.SubFactory(FacilityFactory)
    number = factory.Sequence(lambda n: f"{100 + n}/GPMT")
    signed_on = date(2024, 5, 1)
    approval_status = ApprovalStatus.APPROVED


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    facility = factory.SubFactory(FacilityFactory)
    inspected_on = date(2025, 3, 10)
    authority = "Sở NN&MT"
    approval_status = ApprovalStatus.APPROVED
