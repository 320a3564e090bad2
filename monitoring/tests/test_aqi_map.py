"""The public AQI map (/monitoring/aqi/): the latest hourly VN_AQI of each published ambient
station of the city network, coloured by its Decision 1459 category, every parameter with the
dominant one marked; and the outfall disclosure (/monitoring/outfalls/): 30 days of daily
figures of facilities' stations against their permit or regulation limits. Query counts do
not grow with the number of stations."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from layers.choices import ApprovalStatus, DischargeKind
from layers.models import DischargeStream, Permit
from monitoring.choices import Averaging
from monitoring.models import Parameter, PermitLimit, StationParameter
from monitoring.reference import load_reference
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import StationFactory
from tests.layer_factories import FacilityFactory


def _steady(station, parameter, value: float, hours: int = 13, *, now=None) -> list[ResolvedReading]:
    """5-minute readings of a constant value over the last `hours` hours."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    return [ResolvedReading(station.pk, parameter.pk, now - dt.timedelta(minutes=5 * i), value)
            for i in range(1, hours * 12 + 1)]


def _options(response) -> dict:
    text = re.search(r'<script type="application/json" id="aqi-options">(.*?)</script>',
                     response.content.decode(), re.S).group(1)
    return json.loads(text)


@pytest.fixture
def air(db):
    load_reference()
    pm, no2 = Parameter.objects.get(code="PM2.5"), Parameter.objects.get(code="NO2")
    moderate = StationFactory(code="AIR-1", name="Trạm An Dương")
    bad = StationFactory(code="AIR-2", name="Trạm Kiến An")
    silent = StationFactory(code="AIR-3", name="Trạm Đồ Sơn")
    rows = _steady(moderate, pm, 30.0) + _steady(moderate, no2, 150.0) + _steady(bad, pm, 100.0)
    for s, params in ((moderate, (pm, no2)), (bad, (pm,)), (silent, (pm,))):
        for p in params:
            StationParameter.objects.create(station=s, parameter=p)
    # not on the public AQI map: a facility's ambient station, an unpublished city station, a water station
    hidden = [StationFactory(code="AIR-FAC", facility=FacilityFactory()),
              StationFactory(code="AIR-DRAFT", approval_status=ApprovalStatus.DRAFT),
              StationFactory(code="WATER-1", kind="surface_water")]
    for s in hidden:
        rows += _steady(s, pm, 30.0)
    write_readings(rows)
    return {"pm": pm, "no2": no2}


def test_aqi_map_lists_stations_with_categories(client, air):
    r = client.get("/monitoring/aqi/")
    assert r.status_code == 200
    html = r.content.decode()
    rows = dict(re.findall(r'<tr data-station="([^"]+)" data-category="([^"]+)">', html))
    assert rows == {"AIR-1": "moderate", "AIR-2": "bad", "AIR-3": "none"}
    opts = _options(r)
    by_code = {s["code"]: s for s in opts["stations"]}
    # NO2 150 µg/m³ → 75 beats PM2.5 NowCast 30 → 60 (Decision 1459 Table 2, Formula 1)
    one = by_code["AIR-1"]
    assert one["aqi"] == 75 and one["dominant"] == "NO2" and one["category"]["colour"].upper() == "#FFFF00"
    assert [(s["parameter"], s["aqi"], s["dominant"]) for s in one["sub_indices"]] == [
        ("NO2", 75, True), ("PM2.5", 60, False)]
    assert one["category"]["advice_sensitive"]  # the health advice of Tables 4–5
    two = by_code["AIR-2"]
    assert two["aqi"] == 164 and two["category"]["key"] == "bad" and two["category"]["colour"].upper() == "#FF0000"
    assert by_code["AIR-3"]["aqi"] is None
    assert [c["colour"].upper() for c in opts["legend"]] == ["#00E400", "#FFFF00", "#FF7E00", "#FF0000",
                                                             "#8F3F97", "#7E0023"]
    assert opts["units_url"].startswith("/api/v1/administrative-units.geojson")
    assert re.search(r'<script src="[^"]*aqi-map.js" nonce="[^"]+">', html)


def test_aqi_map_query_count_does_not_grow(client, air, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as few:
        client.get("/monitoring/aqi/")
    for n in range(6):
        s = StationFactory(code=f"AIR-X{n}")
        StationParameter.objects.create(station=s, parameter=air["pm"])
        write_readings(_steady(s, air["pm"], 10.0 + n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get("/monitoring/aqi/")
    assert len(_options(r)["stations"]) == 9


@pytest.fixture
def outfalls(db):
    load_reference()
    cod = Parameter.objects.get(code="COD_WW")
    fac = FacilityFactory(name="Nhà máy giấy")
    permit = Permit.objects.create(facility=fac, number="12/GPMT-UBND")
    stream_permit = DischargeStream.objects.create(permit=permit, code="NT1", kind=DischargeKind.WASTEWATER)
    stream_qcvn = DischargeStream.objects.create(permit=permit, code="NT2", kind=DischargeKind.WASTEWATER,
                                                 regulation="QCVN 40:2011/BTNMT", regulation_column="B",
                                                 factor_kq=0.9, factor_kf=1.1)
    PermitLimit.objects.create(discharge_stream=stream_permit, parameter=cod, averaging=Averaging.HOUR, upper=100,
                               unit=cod.unit)
    by_permit = StationFactory(code="NT1-AUTO", facility=fac, kind="wastewater", discharge_stream=stream_permit)
    by_qcvn = StationFactory(code="NT2-AUTO", facility=fac, kind="wastewater", discharge_stream=stream_qcvn)
    for s in (by_permit, by_qcvn):
        StationParameter.objects.create(station=s, parameter=cod)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    day = lambda n: dt.datetime.combine(today - dt.timedelta(days=n), dt.time(8), tzinfo=tz)  # noqa: E731
    rows = [ResolvedReading(by_permit.pk, cod.pk, day(3) + dt.timedelta(minutes=5 * i), 120.0) for i in range(12)]
    rows += [ResolvedReading(by_permit.pk, cod.pk, day(2) + dt.timedelta(minutes=5 * i), 90.0) for i in range(12)]
    # QCVN 40:2011 B: COD 150 mg/L × Kq 0.9 × Kf 1.1 = 148.5 for each result
    rows += [ResolvedReading(by_qcvn.pk, cod.pk, day(4), 149.0), ResolvedReading(by_qcvn.pk, cod.pk, day(1), 148.0)]
    # older than 30 days: not published
    rows += [ResolvedReading(by_permit.pk, cod.pk, day(45), 999.0)]
    write_readings(rows)
    return {"cod": cod, "fac": fac}


def _block(html: str, code: str) -> str:
    return re.search(rf'<section class="outfall card" data-station="{re.escape(code)}".*?</section>', html, re.S).group(0)


def test_outfalls_compare_daily_figures_with_the_limits(client, outfalls):
    r = client.get("/monitoring/outfalls/")
    assert r.status_code == 200
    html = r.content.decode()
    permit = _block(html, "NT1-AUTO")
    assert 'data-exceedances="1"' in permit
    assert re.search(r'data-over="1"[^>]*>120</td>', permit) and re.search(r'<td class="num">90</td>', permit)
    assert "999" not in permit  # outside the 30 days
    qcvn = _block(html, "NT2-AUTO")
    assert 'data-exceedances="1"' in qcvn
    assert "148,5" in qcvn or "148.5" in qcvn  # the limit with the factors applied
    assert re.search(r'data-over="1"[^>]*>149</td>', qcvn) and re.search(r'<td class="num">148</td>', qcvn)


def test_outfalls_query_count_does_not_grow(client, outfalls, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        client.get("/monitoring/outfalls/")
    for n in range(5):
        s = StationFactory(code=f"KT-{n}", facility=outfalls["fac"], kind="stack")
        StationParameter.objects.create(station=s, parameter=outfalls["cod"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get("/monitoring/outfalls/")
    assert r.content.decode().count('class="outfall card"') == 7
