"""A small city for the exchange tests: every collection has in-scope, out-of-scope and
excluded (draft, unaccepted) rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, transaction

from layers.choices import ApprovalStatus
from layers.models import DischargeStream, Permit
from monitoring.models import ExceedanceEvent, StationParameter
from monitoring.tests.factories import ParameterFactory, StationFactory
from reports.choices import ReportStatus
from reports.models import Report
from reports.tests.factories import ReportFactory, received
from tests.layer_factories import FacilityFactory, ZoneFactory

TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass
class City:
    world: object
    facility_a: object
    facility_b: object
    draft_facility: object
    zone: object
    permit_a: object
    permit_b: object
    stream_a: object
    report_a: object  # accepted
    report_b: object  # accepted
    report_submitted: object  # submitted, not accepted: never exchanged
    station_a: object
    station_b: object
    parameter: object
    event_a: object


def insert_readings(rows: list[tuple]) -> None:
    """(station, parameter, observed_at, value, status) rows, straight into the partitioned table."""
    from monitoring.services.ingest import ensure_partitions

    ensure_partitions(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO monitoring_reading (station_id, parameter_id, observed_at, value, status, received_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [(s.pk, p.pk, at, v, st, at + dt.timedelta(minutes=5)) for s, p, at, v, st in rows])


@pytest.fixture
def city(world) -> City:
    with connection.cursor() as cursor:  # the readings table is unmanaged: start it empty
        cursor.execute("TRUNCATE monitoring_reading")
    zone = ZoneFactory(managing_board=world.ez_board, admin_unit=world.unit_a, code="KCN-T")
    facility_a = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a, zone=zone,
                                 tax_code="0200000001", name="Nhà máy A", geom=Point(106.70, 20.86, srid=4326))
    facility_b = FacilityFactory(owner_organisation=world.enterprise_b, admin_unit=world.unit_b,
                                 tax_code="0200000002", name="Nhà máy B", geom=Point(106.72, 20.87, srid=4326))
    draft_facility = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a,
                                     approval_status=ApprovalStatus.DRAFT, name="Nháp")
    permit_a = Permit.objects.create(facility=facility_a, number="12/GPMT-UBND", signed_on=dt.date(2024, 3, 1),
                                     term_years=7, approval_status=ApprovalStatus.APPROVED,
                                     hazardous_waste_kg_year="1200.50")
    permit_b = Permit.objects.create(facility=facility_b, number="13/GPMT-UBND", signed_on=dt.date(2023, 5, 2),
                                     expires_on=dt.date(2033, 5, 1), approval_status=ApprovalStatus.APPROVED)
    Permit.objects.create(facility=facility_a, number="draft", approval_status=ApprovalStatus.DRAFT)
    stream_a = DischargeStream.objects.create(permit=permit_a, code="NT1", kind="wastewater", max_flow="150.00",
                                              flow_unit="m³/day", outfall=Point(106.701, 20.861, srid=4326))
    data = {"fields": {"facility_name": "Nhà máy A"},
            "tables": {"hazardous_waste": [{"waste_name": "Dầu thải", "ctnh_code": "17 02 03", "quantity_kg": "120.5"}]}}
    report_a = received(ReportFactory(facility=facility_a, data=data))
    report_b = received(ReportFactory(facility=facility_b))
    report_submitted = received(ReportFactory(facility=facility_a, year=2024))
    now = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
    Report.objects.filter(pk__in=[report_a.pk, report_b.pk]).update(status=ReportStatus.ACCEPTED, reviewed_at=now)
    parameter = ParameterFactory(code="PM2_5")
    station_a = StationFactory(code="ST-A", facility=facility_a, admin_unit=world.unit_a)
    station_b = StationFactory(code="ST-B", admin_unit=world.unit_b)  # city network
    StationFactory(code="ST-DRAFT", approval_status=ApprovalStatus.DRAFT)
    for station in (station_a, station_b):
        StationParameter.objects.create(station=station, parameter=parameter)
    day = dt.datetime(2025, 6, 1, 0, 30, tzinfo=TZ)
    insert_readings([
        (station_a, parameter, day, 10.0, 0),
        (station_a, parameter, day + dt.timedelta(hours=1), 20.0, 0),
        (station_a, parameter, day + dt.timedelta(hours=2), 999.0, 2),  # instrument error: not data
        (station_a, parameter, day + dt.timedelta(days=1), 30.0, 0),
        (station_b, parameter, day, 5.0, 0),
    ])
    event_a = ExceedanceEvent.objects.create(
        station=station_a, parameter=parameter, averaging="24h", started_at=day, ended_at=day + dt.timedelta(days=1),
        peak_value=80.0, peak_at=day + dt.timedelta(hours=3), limit_upper=50.0, limit_source="QCVN 05:2023/BTNMT")
    return City(world, facility_a, facility_b, draft_facility, zone, permit_a, permit_b, stream_a, report_a,
                report_b, report_submitted, station_a, station_b, parameter, event_a)


def make_token(user, grants: dict | None = None) -> str:
    """A raw API key for `user` with `grants`."""
    from geoportal.accounts.services import token_create

    with transaction.atomic():
        _, raw = token_create(actor=None, user=user, name="thử", grants=grants)
    return raw
