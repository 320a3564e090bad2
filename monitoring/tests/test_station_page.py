"""The station page (/monitoring/stations/<pk>/): scope (absence = 404), range links and
the server-chosen aggregation step, limit line, status colours, aggregates, open events;
and the streamed CSV download with its parameter checks."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone

from geoportal.accounts.choices import Role
from layers.choices import ApprovalStatus
from monitoring.choices import Averaging
from monitoring.models import ExceedanceEvent, Parameter, StationParameter
from monitoring.reference import load_reference
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import StationFactory
from tests.factories import EnterpriseFactory, UserFactory
from tests.layer_factories import FacilityFactory


def _ago(**kw) -> dt.datetime:
    return (timezone.now() - dt.timedelta(**kw)).replace(second=0, microsecond=0)


@pytest.fixture
def station(db):
    """A published city station measuring PM2.5 and NO2, with 3 days of 5-minute PM2.5 and some NO2."""
    load_reference()
    pm, no2 = Parameter.objects.get(code="PM2.5"), Parameter.objects.get(code="NO2")
    s = StationFactory(code="HP-AIR-09", name="Trạm Lạch Tray")
    StationParameter.objects.create(station=s, parameter=pm)
    StationParameter.objects.create(station=s, parameter=no2)
    now = timezone.now().replace(second=0, microsecond=0)
    now -= dt.timedelta(minutes=now.minute % 5)
    rows = [ResolvedReading(s.pk, pm.pk, now - dt.timedelta(minutes=5 * i), 20.0 + (i % 12)) for i in range(3 * 288)]
    # NO2: the last value is under calibration
    rows += [ResolvedReading(s.pk, no2.pk, now - dt.timedelta(minutes=10), 30.0),
             ResolvedReading(s.pk, no2.pk, now - dt.timedelta(minutes=5), 31.0, status=1)]
    write_readings(rows)
    s.pm, s.no2 = pm, no2
    return s


def chart_data(response) -> dict:
    text = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>',
                     response.content.decode(), re.S).group(1)
    return json.loads(text)


def test_anonymous_sees_a_published_station(client, station):
    r = client.get(f"/monitoring/stations/{station.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "HP-AIR-09" in html and "Trạm Lạch Tray" in html
    # parameters with units, last value and status colour
    assert 'data-parameter="PM2.5"' in html and "µg/Nm³" in html
    assert re.search(r'data-parameter="NO2".*?data-status="calibrating"', html, re.S)
    assert re.search(r'data-parameter="PM2.5".*?data-status="measuring"', html, re.S)
    assert 'data-status="calibrating"' in re.search(r'data-testid="station-status"[^>]*>', html).group(0)
    # the vendored chart library, with the CSP nonce, and no inline code
    assert "vendor/uplot/uPlot.iife.min.js" in html and "js/station-chart.js" in html
    assert re.search(r'<script src="[^"]*station-chart.js" nonce="[^"]+">', html)


def test_station_outside_the_scope_is_404(client, station):
    enterprise = EnterpriseFactory()
    draft = StationFactory(facility=FacilityFactory(owner_organisation=enterprise), kind="wastewater",
                           approval_status=ApprovalStatus.DRAFT)
    url = f"/monitoring/stations/{draft.pk}/"
    assert client.get(url).status_code == 404
    assert client.get("/monitoring/stations/999999/").status_code == 404
    client.force_login(UserFactory(organisation=EnterpriseFactory(), roles=[Role.ENTERPRISE_USER]))
    assert client.get(url).status_code == 404
    assert client.get(f"{url}readings.csv").status_code == 404
    client.force_login(UserFactory(organisation=enterprise, roles=[Role.ENTERPRISE_USER]))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("key", "step", "max_points"), [
    ("24h", "raw", 289), ("7d", "hour", 7 * 24 + 1), ("30d", "hour", 30 * 24 + 1), ("1y", "day", 366),
])
def test_range_links_choose_the_step(client, station, key, step, max_points):
    r = client.get(f"/monitoring/stations/{station.pk}/", {"range": key})
    html = r.content.decode()
    for other in ("24h", "7d", "30d", "1y"):
        assert f'href="?range={other}#charts"' in html
    assert re.search(rf'data-range="{key}" aria-current="true"', html)
    data = chart_data(r)
    assert data["step"] == step and data["range"] == key
    pm = next(s for s in data["series"] if s["code"] == "PM2.5")
    assert 0 < len(pm["t"]) <= max_points and len(pm["t"]) == len(pm["v"])
    assert pm["t"] == sorted(pm["t"])
    if step == "raw":
        assert set(pm["v"]) <= {20.0 + i for i in range(12)}
    else:  # means of 20..31 over whole hours or days are 25.5; partial buckets stay within 20..31
        assert all(20.0 <= v <= 31.0 for v in pm["v"]) and 25.5 in pm["v"]


def test_chart_has_the_limit_in_force(client, station):
    """PM2.5 has only a 24 h limit in QCVN 05:2023: 50 µg/Nm³, 45 from 1 January 2026."""
    data = chart_data(client.get(f"/monitoring/stations/{station.pk}/", {"range": "1y"}))
    pm = next(s for s in data["series"] if s["code"] == "PM2.5")
    expected = 45.0 if timezone.localdate() >= dt.date(2026, 1, 1) else 50.0
    assert pm["limit"]["upper"] == expected and pm["limit"]["averaging"] == "24h"
    no2 = next(s for s in data["series"] if s["code"] == "NO2")
    assert no2["limit"]["averaging"] == "24h" and no2["limit"]["upper"] == 100.0  # daily chart: 24 h limit
    raw = chart_data(client.get(f"/monitoring/stations/{station.pk}/", {"range": "24h"}))
    no2 = next(s for s in raw["series"] if s["code"] == "NO2")
    assert no2["limit"]["averaging"] == "1h" and no2["limit"]["upper"] == 200.0
    # the value under calibration is a gap in the line
    assert no2["v"] == [30.0, None] and no2["flagged"] == 1


def test_aggregate_tables_and_open_events(client, station):
    ExceedanceEvent.objects.create(station=station, parameter=station.pm, averaging=Averaging.DAY,
                                   started_at=_ago(hours=30), peak_value=88.5, peak_at=_ago(hours=29),
                                   limit_upper=45, limit_source="QCVN 05:2023/BTNMT")
    ExceedanceEvent.objects.create(station=station, parameter=station.no2, averaging=Averaging.HOUR,
                                   started_at=_ago(days=5), ended_at=_ago(days=4), peak_value=250,
                                   peak_at=_ago(days=5), limit_upper=200, limit_source="QCVN 05:2023/BTNMT")
    public = client.get(f"/monitoring/stations/{station.pk}/").content.decode()
    assert 'data-testid="events"' not in public  # events follow their own scope: not public
    client.force_login(UserFactory(roles=[Role.DEPT_OFFICER]))
    html = client.get(f"/monitoring/stations/{station.pk}/").content.decode()
    events = re.search(r'data-testid="events".*?</table>', html, re.S).group(0)
    assert "88,5" in events or "88.5" in events
    assert "250" not in events  # ended: not open
    hourly = re.search(r'data-testid="hourly".*?</table>', html, re.S).group(0)
    assert hourly.count("<tr>") >= 24
    assert "25,5" in hourly or "25.5" in hourly  # a full hour of 20..31
    daily = re.search(r'data-testid="daily".*?</table>', html, re.S).group(0)
    assert daily.count("<tr>") >= 3


def test_daily_mean_over_the_limit_is_marked(client, station):
    pm = station.pm
    day = timezone.localdate() - dt.timedelta(days=5)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
    write_readings([ResolvedReading(station.pk, pm.pk, start + dt.timedelta(minutes=5 * i), 80.0)
                    for i in range(288)])
    html = client.get(f"/monitoring/stations/{station.pk}/").content.decode()
    daily = re.search(r'data-testid="daily".*?</table>', html, re.S).group(0)
    assert re.search(r'<td class="num over"[^>]*>80</td>', daily)


def _csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_csv_matches_the_readings(client, station):
    start, end = _ago(hours=2), _ago(minutes=0)
    r = client.get(f"/monitoring/stations/{station.pk}/readings.csv",
                   {"parameter": "PM2.5", "start": start.isoformat(), "end": end.isoformat()})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    rows = _csv(r)
    from monitoring.models import Reading

    expected = list(Reading.objects.filter(station=station, parameter=station.pm, observed_at__gte=start,
                                           observed_at__lt=end).order_by("observed_at")
                    .values_list("observed_at", "value"))
    assert len(rows) == len(expected) == 24
    for row, (t, v) in zip(rows, expected, strict=True):
        assert row["station"] == "HP-AIR-09" and row["parameter"] == "PM2.5" and row["unit"] == "µg/Nm³"
        assert dt.datetime.fromisoformat(row["observed_at_utc"]) == t and float(row["value"]) == v
        assert row["status"] == "measuring"
        assert row["observed_at_local"].endswith("+0700")


def test_csv_defaults_to_24_hours_of_every_parameter(client, station):
    rows = _csv(client.get(f"/monitoring/stations/{station.pk}/readings.csv"))
    assert {r["parameter"] for r in rows} == {"PM2.5", "NO2"}
    assert sum(r["parameter"] == "PM2.5" for r in rows) == 288
    assert [r["status"] for r in rows if r["parameter"] == "NO2"] == ["measuring", "calibrating"]


@pytest.mark.parametrize(("query", "field"), [
    ({"start": "not-a-date"}, "start"),
    ({"end": "2026-13-01"}, "end"),
    ({"start": "2026-02-30"}, "start"),
    ({"start": "2026-03-02", "end": "2026-03-01"}, "end"),
    ({"start": "2024-01-01", "end": "2025-06-01"}, "start"),
    ({"parameter": "COD_WW"}, "parameter"),
])
def test_bad_csv_parameters_are_400(client, station, query, field):
    r = client.get(f"/monitoring/stations/{station.pk}/readings.csv", query)
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json" and field in r.json()["errors"]


def test_facility_station_shows_the_public_window_note(client, db):
    load_reference()
    cod = Parameter.objects.get(code="COD_WW")
    s = StationFactory(facility=FacilityFactory(), kind="wastewater")
    StationParameter.objects.create(station=s, parameter=cod)
    write_readings([ResolvedReading(s.pk, cod.pk, _ago(days=40), 10.0), ResolvedReading(s.pk, cod.pk, _ago(days=1), 12.0)])
    r = client.get(f"/monitoring/stations/{s.pk}/", {"range": "1y"})
    assert "Decree 08/2022" in r.content.decode() or "08/2022" in r.content.decode()
    cod_series = chart_data(r)["series"][0]
    assert cod_series["v"] == [12.0]  # the 40-day-old value is not public
