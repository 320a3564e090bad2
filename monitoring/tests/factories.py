"""Factories for monitoring tests: units, parameters and stations with valid points."""
from __future__ import annotations

import factory
from django.contrib.gis.geos import Point

from layers.choices import ApprovalStatus
from monitoring.choices import Medium, StationKind, StationMode
from monitoring.models import Parameter, Station, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = "µg/Nm³"


class ParameterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parameter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n}")
    name_vi = factory.LazyAttribute(lambda o: o.code)
    medium = Medium.AMBIENT_AIR
    unit = factory.SubFactory(UnitFactory)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    code = factory.Sequence(lambda n: f"ST{n:03d}")
    name = factory.Sequence(lambda n: f"Trạm thử {n}")
    kind = StationKind.AMBIENT_AIR
    mode = StationMode.AUTOMATIC
    geom = factory.Sequence(lambda n: Point(106.6 + (n % 30) * 0.01, 20.85, srid=4326))
    approval_status = ApprovalStatus.APPROVED
