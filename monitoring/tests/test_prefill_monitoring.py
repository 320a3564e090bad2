"""Prefill of the annual report's monitoring tables (05.A sections 1.3, 2, 3.2; form 06)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from layers.choices import DischargeKind
from layers.tests.factories import DischargeStreamFactory, FacilityFactory, PermitFactory, ZoneFactory
from monitoring.choices import Medium, StationKind, StationMode
from monitoring.models import LimitSet, LimitValue, StationParameter
from monitoring.prefill import limit_text, monitoring_prefill
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory
from reports import prefill
from reports.formdefs import load_form_definitions

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIVE = dt.timedelta(minutes=5)


@pytest.fixture
def forms() -> dict:
    return {f.code: f for f in load_form_definitions()}


@pytest.fixture
def params():
    mg_l, mg_nm3 = UnitFactory(code="mg/L"), UnitFactory(code="mg/Nm³")
    cod = ParameterFactory(code="COD_WW", name_vi="COD", medium=Medium.WASTEWATER, unit=mg_l)
    ph = ParameterFactory(code="PH_WW", name_vi="pH", medium=Medium.WASTEWATER, unit=UnitFactory(code="pH"))
    dust = ParameterFactory(code="DUST_EM", name_vi="Bụi tổng", medium=Medium.EMISSION, unit=mg_nm3)
    q40 = LimitSet.objects.create(code="QCVN 40:2011/BTNMT", column="B", title_vi="QCVN 40", medium=Medium.WASTEWATER,
                                  effective_from=dt.date(2012, 2, 15), factors={"formula": "Cmax = C × Kq × Kf"})
    LimitValue.objects.create(limit_set=q40, parameter=cod, averaging="instant", upper=150, unit=mg_l)
    LimitValue.objects.create(limit_set=q40, parameter=ph, averaging="instant", lower=5.5, upper=9, unit=ph.unit,
                              multiplied=False)
    q19 = LimitSet.objects.create(code="QCVN 19:2009/BTNMT", column="B", title_vi="QCVN 19", medium=Medium.EMISSION,
                                  effective_from=dt.date(2009, 1, 1), factors={"formula": "Cmax = C × Kp × Kv"})
    LimitValue.objects.create(limit_set=q19, parameter=dust, averaging="instant", upper=200, unit=mg_nm3)
    return {"cod": cod, "ph": ph, "dust": dust}


def wastewater_stream(**kwargs):
    return DischargeStreamFactory(regulation="QCVN 40:2011/BTNMT", regulation_column="B", factor_kq=1.0,
                                  factor_kf=1.2, **kwargs)


@pytest.fixture
def plant(params):
    """A facility with an automatic outfall, a periodic sampling point and a periodic stack."""
    facility = FacilityFactory(name="Nhà máy thép thử")
    permit = PermitFactory(facility=facility)
    water = wastewater_stream(permit=permit)
    air = DischargeStreamFactory(permit=permit, code="KT1", kind=DischargeKind.EMISSIONS,
                                 regulation="QCVN 19:2009/BTNMT", regulation_column="B", factor_kp=0.9, factor_kv=1.0)
    auto = StationFactory(code="NT-AUTO", name="Trạm tự động cửa xả NT1", facility=facility,
                          kind=StationKind.WASTEWATER, discharge_stream=water)
    StationParameter.objects.create(station=auto, parameter=params["cod"], interval_minutes=5)
    point = StationFactory(code="NT-DK", name="Cửa xả NT1", facility=facility, kind=StationKind.WASTEWATER,
                           mode=StationMode.PERIODIC, discharge_stream=water)
    stack = StationFactory(code="KT-DK", name="Ống khói lò hơi", facility=facility, kind=StationKind.STACK,
                           mode=StationMode.PERIODIC, discharge_stream=air)
    start = dt.datetime(2025, 6, 1, tzinfo=VN)
    rows = [ResolvedReading(auto.pk, params["cod"].pk, start + i * FIVE,
                            200.0 if 120 <= i < 132 else 100.0, 2 if i == 300 else 0) for i in range(576)]
    day = lambda y, m, d: dt.datetime(y, m, d, 9, 30, tzinfo=VN)  # noqa: E731
    rows += [
        ResolvedReading(point.pk, params["cod"].pk, day(2025, 3, 15), 160.0, campaign_id=1),
        ResolvedReading(point.pk, params["ph"].pk, day(2025, 3, 15), 5.2, campaign_id=1),
        ResolvedReading(point.pk, params["cod"].pk, day(2025, 9, 20), 200.5, campaign_id=2),
        ResolvedReading(point.pk, params["cod"].pk, day(2024, 9, 20), 999.0, campaign_id=3),   # last year
        ResolvedReading(stack.pk, params["dust"].pk, day(2025, 4, 2), 150.0, campaign_id=4),
    ]
    write_readings(rows)
    return facility


def test_facility_rows(forms, plant):
    data = monitoring_prefill(forms["05.A"], 2025, plant, None)["tables"]
    [auto] = data["automatic_monitoring"]
    assert auto["station"] == "NT-AUTO – Trạm tự động cửa xả NT1" and auto["parameter"] == "COD"
    assert (auto["design_count"], auto["received_count"], auto["error_pct"], auto["exceedance_count"]) == (
        105_120, 576, Decimal("0.17"), 1)
    assert data["wastewater_monitoring"] == [
        {"sampling_date": dt.date(2025, 3, 15), "point": "Cửa xả NT1", "parameter": "COD", "unit": "mg/L",
         "result": Decimal("160.0"), "limit": "≤ 180", "regulation": "QCVN 40:2011/BTNMT B × Kq 1 × Kf 1,2"},
        {"sampling_date": dt.date(2025, 3, 15), "point": "Cửa xả NT1", "parameter": "pH", "unit": "pH",
         "result": Decimal("5.2"), "limit": "5,5 - 9", "regulation": "QCVN 40:2011/BTNMT B"},
        {"sampling_date": dt.date(2025, 9, 20), "point": "Cửa xả NT1", "parameter": "COD", "unit": "mg/L",
         "result": Decimal("200.5"), "limit": "≤ 180", "regulation": "QCVN 40:2011/BTNMT B × Kq 1 × Kf 1,2"},
    ]
    assert data["emission_monitoring"] == [
        {"sampling_date": dt.date(2025, 4, 2), "stack": "Ống khói lò hơi", "parameter": "Bụi tổng", "unit": "mg/Nm³",
         "result": Decimal("150.0"), "limit": "≤ 180", "regulation": "QCVN 19:2009/BTNMT B × Kp 0,9 × Kv 1"}]


def test_rows_pass_the_report_cleaning_and_flag_exceedances(forms, plant, monkeypatch):
    """Through reports.prefill: the limits read back, and the results over them are flagged."""
    monkeypatch.setattr(prefill, "PREFILL_PROVIDERS", [monitoring_prefill])
    data = prefill.prefill_data(definition=forms["05.A"], year=2025, facility=plant)
    flags = [(r["parameter"], r["result"], r["exceeds"]) for r in data["tables"]["wastewater_monitoring"]]
    assert flags == [("COD", "160", False), ("pH", "5.2", True), ("COD", "200.5", True)]
    assert data["tables"]["emission_monitoring"][0]["exceeds"] is False
    assert data["tables"]["automatic_monitoring"][0]["exceedance_count"] == 1


def test_zone_report_covers_the_stations_of_the_zones_permit(forms, params):
    zone = ZoneFactory()
    stream = wastewater_stream(permit=PermitFactory(facility=None, zone=zone))
    station = StationFactory(code="CWWTP", name="Trạm XLNT tập trung", kind=StationKind.WASTEWATER,
                             discharge_stream=stream)
    StationParameter.objects.create(station=station, parameter=params["cod"], interval_minutes=5)
    write_readings([ResolvedReading(station.pk, params["cod"].pk, dt.datetime(2025, 2, 1, tzinfo=VN) + i * FIVE, 50.0)
                    for i in range(12)])
    data = monitoring_prefill(forms["06"], 2025, None, zone)["tables"]
    [row] = data["automatic_monitoring"]
    assert (row["station"], row["received_count"], row["exceedance_count"]) == ("CWWTP – Trạm XLNT tập trung", 12, 0)
    assert "wastewater_monitoring" not in data   # no periodic results: the table is left to other sources


def test_nothing_for_a_facility_without_stations(forms):
    assert monitoring_prefill(forms["05.A"], 2025, FacilityFactory(), None) == {}


@pytest.mark.parametrize(("lower", "upper", "text"), [
    (None, Decimal("50"), "≤ 50"), (None, Decimal("148.500"), "≤ 148,5"), (Decimal("5.5"), Decimal("9"), "5,5 - 9"),
    (Decimal("4"), None, "≥ 4"), (None, Decimal("5E+3"), "≤ 5000"), (None, Decimal("0.005"), "≤ 0,005"),
    (None, None, ""),
])
def test_limit_text(lower, upper, text):
    assert limit_text(lower, upper) == text
