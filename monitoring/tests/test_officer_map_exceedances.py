"""An ongoing exceedance colours its facility on the officer map (monitoring registers the
class through layers.officer_map.register_compliance_flag; layers never imports monitoring)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from layers.models import Permit
from monitoring.models import ExceedanceEvent
from monitoring.tests.factories import ParameterFactory, StationFactory
from tests.layer_factories import FacilityFactory


@pytest.fixture
def plants(world):
    mk = lambda name: FacilityFactory(name=name, admin_unit=world.unit_a, permit_class="gpmt")  # noqa: E731
    ongoing, closed = mk("Đang vượt"), mk("Đã hết vượt")
    for f in (ongoing, closed):
        Permit.objects.create(facility=f, number=f"P{f.pk}", signed_on=dt.date(2025, 1, 1), term_years=10,
                              approval_status="approved")
    cod = ParameterFactory(code="COD_WW")
    now = timezone.now()
    for facility, ended in ((ongoing, None), (closed, now - dt.timedelta(hours=1))):
        station = StationFactory(facility=facility, kind="wastewater", admin_unit=world.unit_a)
        ExceedanceEvent.objects.create(station=station, parameter=cod, averaging="1h", started_at=now - dt.timedelta(
            hours=3), ended_at=ended, peak_value=200, peak_at=now - dt.timedelta(hours=2), limit_upper=150,
            limit_source="QCVN 40:2011/BTNMT B")
    return ongoing, closed


def test_ongoing_exceedance_is_the_facilitys_compliance_class(world, client, plants):
    client.force_login(world.users["commune_officer"])
    fc = client.get("/officer/map/data/").json()
    got = {f["properties"]["name"]: f["properties"]["compliance"] for f in fc["features"]}
    assert got == {"Đang vượt": "exceedance", "Đã hết vượt": "ok"}
    only = client.get("/officer/map/data/?compliance=exceedance").json()
    assert [f["properties"]["name"] for f in only["features"]] == ["Đang vượt"]
    assert "Đang vượt giới hạn tại trạm quan trắc" in client.get("/officer/map/").content.decode()  # the legend
