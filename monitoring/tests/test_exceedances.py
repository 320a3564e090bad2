"""Exceedance events: windows in SQL against the limit in force, merged, stored once, e-mailed once."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from layers.tests.factories import DischargeStreamFactory, FacilityFactory, PermitFactory
from monitoring.choices import Medium, StationKind
from monitoring.models import ExceedanceEvent, LimitSet, LimitValue, PermitLimit, StationParameter
from monitoring.services.exceedances import (
    count_exceeding_windows,
    detect_exceedances,
    regulation_keys,
    station_limits,
)
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR, FIVE = dt.timedelta(hours=1), dt.timedelta(minutes=5)
DAY0 = dt.datetime(2026, 3, 10, 0, 0, tzinfo=VN)


def at(hour: float, day: dt.datetime = DAY0) -> dt.datetime:
    return day + dt.timedelta(hours=hour)


def hours_of(station, parameter, values: dict[int, float], *, day=DAY0, status=0):
    """12 five-minute readings of `value` in each local hour `h` (bucket h:00–h+1:00) of `day`."""
    return [ResolvedReading(station.pk, parameter.pk, at(h, day) + i * FIVE, v, status)
            for h, v in values.items() for i in range(12)]


def limit_set(code, column, medium, *, factors=None, effective_from=dt.date(2012, 2, 15)):
    return LimitSet.objects.create(code=code, column=column, title_vi=code, medium=medium,
                                   effective_from=effective_from, factors=factors or {})


def limit_value(limit_set, parameter, averaging, *, upper=None, lower=None, multiplied=True, **dates):
    return LimitValue.objects.create(limit_set=limit_set, parameter=parameter, averaging=averaging, upper=upper,
                                     lower=lower, unit=parameter.unit, multiplied=multiplied, **dates)


@pytest.fixture
def outfall():
    """A wastewater outfall under QCVN 40:2011 column B with Kq 0.9 and Kf 1.1: COD Cmax = 150 × 0.99 = 148.5."""
    mg_l = UnitFactory(code="mg/L")
    cod = ParameterFactory(code="COD_WW", medium=Medium.WASTEWATER, unit=mg_l)
    ph = ParameterFactory(code="PH_WW", medium=Medium.WASTEWATER, unit=UnitFactory(code="pH"))
    qcvn40 = limit_set("QCVN 40:2011/BTNMT", "B", Medium.WASTEWATER, factors={"formula": "Cmax = C × Kq × Kf"})
    limit_value(qcvn40, cod, "instant", upper=150)
    limit_value(qcvn40, ph, "instant", lower=5.5, upper=9, multiplied=False)
    limit_value(limit_set("QCVN 40:2011/BTNMT", "A", Medium.WASTEWATER), cod, "instant", upper=75)
    facility = FacilityFactory()
    stream = DischargeStreamFactory(permit=PermitFactory(facility=facility, number="123"),
                                    regulation="QCVN 40:2011/BTNMT", regulation_column="B",
                                    factor_kq=0.9, factor_kf=1.1)
    station = StationFactory(facility=facility, kind=StationKind.WASTEWATER, discharge_stream=stream)
    StationParameter.objects.create(station=station, parameter=cod, interval_minutes=5)
    owner = UserFactory(organisation=facility.owner_organisation, email="chu.co.so@example.vn")
    UserFactory(organisation=facility.owner_organisation, email="nghi.viec@example.vn", is_active=False)
    UserFactory(organisation=facility.owner_organisation, email="")
    officer = UserFactory(roles=["dept_officer"], email="can.bo@sotnmt.example.vn")
    UserFactory(roles=["commune_officer"], email="xa@example.vn")
    return {"station": station, "cod": cod, "ph": ph, "stream": stream, "owner": owner, "officer": officer}


def run(station, start, end, capture, **kwargs):
    with capture(execute=True):
        return detect_exceedances(station=station, start=start, end=end, **kwargs)


def test_an_episode_over_the_factored_limit_is_one_event(outfall, django_capture_on_commit_callbacks):
    """3 hours over 148.5 mg/L (one of them at 149: above C × Kq × Kf, below C) make one closed event."""
    station, cod = outfall["station"], outfall["cod"]
    values = {h: 100.0 for h in range(24)}
    values.update({10: 149.0, 11: 200.0, 12: 160.0})
    write_readings(hours_of(station, cod, values))
    events = run(station, DAY0, at(24), django_capture_on_commit_callbacks)
    [event] = ExceedanceEvent.objects.all()
    assert events == [event]
    assert (event.averaging, event.started_at, event.ended_at, event.windows) == ("1h", at(10), at(13), 3)
    assert (event.peak_value, event.peak_at, event.limit_upper) == (200.0, at(11), pytest.approx(148.5))
    assert event.limit_source == "QCVN 40:2011/BTNMT B × Kq 0,9 × Kf 1,1"
    assert event.notified_at is not None
    [message] = mail.outbox
    assert message.to == ["chu.co.so@example.vn"] and message.bcc == ["can.bo@sotnmt.example.vn"]
    assert "COD_WW" in message.subject and station.name in message.subject
    assert "148,5" in message.body and "200" in message.body
    assert "148,5" in message.alternatives[0][0]


def test_rerun_is_idempotent(outfall, django_capture_on_commit_callbacks):
    """The same period again: no new event, no change, no second e-mail."""
    station, cod = outfall["station"], outfall["cod"]
    write_readings(hours_of(station, cod, {**{h: 90.0 for h in range(24)}, 5: 300.0, 6: 310.0}))
    run(station, DAY0, at(24), django_capture_on_commit_callbacks)
    before = list(ExceedanceEvent.objects.values())
    run(station, DAY0, at(24), django_capture_on_commit_callbacks)
    run(station, at(3), at(12), django_capture_on_commit_callbacks)  # an overlapping window of the same data
    assert list(ExceedanceEvent.objects.values()) == before and len(before) == 1
    assert len(mail.outbox) == 1


def test_an_open_event_is_extended_by_the_next_run(outfall, django_capture_on_commit_callbacks):
    """Over the limit at the end of the data: open; later data extends and closes it, still one e-mail."""
    station, cod = outfall["station"], outfall["cod"]
    write_readings(hours_of(station, cod, {0: 100.0, 1: 100.0, 2: 180.0, 3: 190.0}))
    run(station, DAY0, at(4), django_capture_on_commit_callbacks)
    event = ExceedanceEvent.objects.get()
    assert (event.started_at, event.ended_at, event.windows, event.peak_value) == (at(2), None, 2, 190.0)
    write_readings(hours_of(station, cod, {4: 250.0, 5: 170.0}))
    run(station, at(3), at(6), django_capture_on_commit_callbacks)
    event.refresh_from_db()
    assert (event.ended_at, event.windows, event.peak_value, event.peak_at) == (None, 4, 250.0, at(4))
    # The next run starts well after the event's last window: it looks back for its continuation.
    write_readings(hours_of(station, cod, {6: 100.0, 7: 100.0, 8: 100.0, 9: 100.0}))
    run(station, at(8), at(10), django_capture_on_commit_callbacks)
    event.refresh_from_db()
    assert (event.started_at, event.ended_at, event.windows) == (at(2), at(6), 4)
    assert ExceedanceEvent.objects.count() == 1 and len(mail.outbox) == 1


def test_a_gap_then_more_data_closes_an_event_and_a_new_one_starts(outfall, django_capture_on_commit_callbacks):
    """Windows over the limit separated by an hour without data are two events, two e-mails."""
    station, cod = outfall["station"], outfall["cod"]
    write_readings(hours_of(station, cod, {0: 200.0, 1: 200.0, 3: 200.0}))
    run(station, DAY0, at(4), django_capture_on_commit_callbacks)
    first, second = ExceedanceEvent.objects.order_by("started_at")
    assert (first.started_at, first.ended_at, second.started_at, second.ended_at) == (at(0), at(2), at(3), None)
    assert len(mail.outbox) == 2


def test_calibration_and_error_readings_are_ignored(outfall, django_capture_on_commit_callbacks):
    """Huge values under calibration or in error make no window and no event."""
    station, cod = outfall["station"], outfall["cod"]
    rows = hours_of(station, cod, {h: 100.0 for h in range(6)})
    rows += hours_of(station, cod, {h: 900.0 for h in range(6, 9)}, status=1)    # a calibration run
    rows += hours_of(station, cod, {9: 900.0}, status=2)                          # instrument error
    write_readings(rows)
    # hour 10: 9 valid readings at 100 and 3 calibrating spikes -> mean 100
    write_readings([ResolvedReading(station.pk, cod.pk, at(10) + i * FIVE, 100.0 if i < 9 else 5000.0,
                                    0 if i < 9 else 1) for i in range(12)])
    assert run(station, DAY0, at(12), django_capture_on_commit_callbacks) == []
    assert not ExceedanceEvent.objects.exists() and mail.outbox == []


def test_a_permit_limit_takes_precedence(outfall, django_capture_on_commit_callbacks):
    """The permit's 120 mg/L (1 h) applies instead of the regulation's 148.5."""
    station, cod = outfall["station"], outfall["cod"]
    PermitLimit.objects.create(discharge_stream=outfall["stream"], parameter=cod, averaging="1h", upper=120,
                               unit=cod.unit)
    write_readings(hours_of(station, cod, {0: 100.0, 1: 130.0, 2: 100.0}))
    run(station, DAY0, at(3), django_capture_on_commit_callbacks)
    event = ExceedanceEvent.objects.get()
    assert (event.started_at, event.ended_at, event.limit_upper) == (at(1), at(2), 120.0)
    assert "123/GPMT-UBND" in event.limit_source


def test_ph_range_is_not_multiplied(outfall, django_capture_on_commit_callbacks):
    """pH 5.5–9 is not multiplied by Kq × Kf; a low pH hour exceeds the lower bound."""
    station, ph = outfall["station"], outfall["ph"]
    write_readings(hours_of(station, ph, {0: 7.0, 1: 5.2, 2: 9.05, 3: 7.0}))
    run(station, DAY0, at(4), django_capture_on_commit_callbacks, notify=False)
    event = ExceedanceEvent.objects.get()
    assert (event.limit_lower, event.limit_upper, event.windows) == (5.5, 9.0, 2)
    assert event.peak_value == pytest.approx(5.2) and event.notified_at is None and mail.outbox == []


@pytest.fixture
def ambient():
    """A city-network station under QCVN 05:2023 (PM2.5 24 h 50 µg/Nm³, 45 from 01/01/2026; O3 8 h 120)."""
    pm25, o3 = ParameterFactory(code="PM2.5"), ParameterFactory(code="O3")
    qcvn05 = limit_set("QCVN 05:2023/BTNMT", "", Medium.AMBIENT_AIR, effective_from=dt.date(2023, 9, 12))
    limit_value(qcvn05, pm25, "24h", upper=50, valid_to=dt.date(2025, 12, 31))
    limit_value(qcvn05, pm25, "24h", upper=45, valid_from=dt.date(2026, 1, 1))
    limit_value(qcvn05, o3, "1h", upper=200)
    limit_value(qcvn05, o3, "8h", upper=120)
    UserFactory(roles=["dept_officer"], email="can.bo@sotnmt.example.vn")
    return {"station": StationFactory(), "pm25": pm25, "o3": o3}


def test_pm25_daily_limit_is_50_in_2025_and_45_in_2026(ambient, django_capture_on_commit_callbacks):
    """47 µg/Nm³ all day on 31/12/2025 and 01/01/2026 (Hai Phong days): only 2026 is over its limit."""
    station, pm25 = ambient["station"], ambient["pm25"]
    d1, d2 = dt.datetime(2025, 12, 31, tzinfo=VN), dt.datetime(2026, 1, 1, tzinfo=VN)
    write_readings(hours_of(station, pm25, {h: 47.0 for h in range(24)}, day=d1)
                   + hours_of(station, pm25, {h: 47.0 for h in range(24)}, day=d2))
    run(station, d1, d2 + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    event = ExceedanceEvent.objects.get()
    assert (event.averaging, event.started_at, event.ended_at, event.limit_upper) == ("24h", d2, None, 45.0)
    assert event.limit_source == "QCVN 05:2023/BTNMT"
    d3 = d2 + dt.timedelta(days=1)
    write_readings(hours_of(station, pm25, {h: 30.0 for h in range(24)}, day=d3))
    run(station, d2, d3 + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    event.refresh_from_db()
    assert (event.ended_at, event.windows) == (d3, 1)
    [message] = mail.outbox  # a city-network station: the officers are the recipients
    assert message.to == ["can.bo@sotnmt.example.vn"] and message.bcc == []


def test_running_8h_o3_windows_make_one_event(ambient, django_capture_on_commit_callbacks):
    """10 hours at 130 among hours at 100: the 8 h means ending at 06:00 … 12:00 exceed 120."""
    station, o3 = ambient["station"], ambient["o3"]
    values = {h: 100.0 for h in range(-6, 18)}
    values.update({h: 130.0 for h in range(10)})
    write_readings(hours_of(station, o3, values))
    run(station, DAY0, at(18), django_capture_on_commit_callbacks)
    event = ExceedanceEvent.objects.get()
    assert (event.averaging, event.started_at, event.ended_at, event.windows) == ("8h", at(-2), at(12), 7)
    assert (event.peak_value, event.peak_at, event.limit_upper) == (130.0, at(0), 120.0)


def test_count_exceeding_windows(outfall):
    station, cod = outfall["station"], outfall["cod"]
    write_readings(hours_of(station, cod, {0: 200.0, 1: 100.0, 2: 150.0, 3: 148.0}))
    assert count_exceeding_windows(station=station, start=DAY0, end=at(4)) == {(cod.pk, "1h"): 2}
    assert not ExceedanceEvent.objects.exists()


def test_station_without_regulation_has_no_limits():
    facility_station = StationFactory(facility=FacilityFactory(), kind=StationKind.WASTEWATER)
    assert not station_limits(facility_station)
    assert detect_exceedances(station=facility_station, start=DAY0, end=at(1)) == []


@pytest.mark.parametrize(("text", "keys"), [
    ("QCVN 40:2011/BTNMT", [("40", "2011")]),
    ("QCVN 40:2011/BTNMT, cột B", [("40", "2011")]),
    ("qcvn40 : 2011", [("40", "2011")]),
    ("QCVN 26:2010/BTNMT; QCVN 27:2010/BTNMT", [("26", "2010"), ("27", "2010")]),
    ("QCVN 01-MT:2015/BTNMT", [("01-MT", "2015")]),
    ("", []),
])
def test_regulation_keys(text, keys):
    assert regulation_keys(text) == keys


def test_task_detects_the_last_48_hours_of_automatic_stations(outfall, django_capture_on_commit_callbacks):
    """The periodic task: complete hours of the last 48 h, automatic stations only, counted."""
    from django.utils import timezone

    from monitoring.choices import StationMode
    from monitoring.tasks import detect_recent_exceedances

    station, cod = outfall["station"], outfall["cod"]
    periodic = StationFactory(facility=station.facility, kind=StationKind.WASTEWATER, mode=StationMode.PERIODIC,
                              discharge_stream=outfall["stream"])
    hour = timezone.now().astimezone(VN).replace(minute=0, second=0, microsecond=0)
    for s in (station, periodic):
        write_readings([ResolvedReading(s.pk, cod.pk, hour - dt.timedelta(hours=3) + i * FIVE, 400.0)
                        for i in range(12)])
    with django_capture_on_commit_callbacks(execute=True):
        counts = detect_recent_exceedances.call()
    assert counts["events"] == 1 and counts["failed"] == 0
    event = ExceedanceEvent.objects.get()
    assert (event.station_id, event.started_at, event.ended_at) == (station.pk, hour - dt.timedelta(hours=3), None)
    assert len(mail.outbox) == 1


def test_task_creates_the_next_months_partitions():
    from django.db import connection
    from django.utils import timezone

    from monitoring.tasks import _add_months, ensure_reading_partitions

    month = _add_months(timezone.now().astimezone(dt.UTC).date(), 3)
    name = f"monitoring_reading_y{month:%Y}m{month:%m}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")  # rolled back with the test
        assert ensure_reading_partitions.call() >= 1
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        assert cursor.fetchone()[0]


def test_an_earlier_period_analysed_after_a_later_one_closes_its_events(ambient):
    """Analysing March after December (an event still open in December) records March's
    episode as closed history instead of a second open event (one open event per key)."""
    station, pm25 = ambient["station"], ambient["pm25"]
    dec, mar = dt.datetime(2025, 12, 10, tzinfo=VN), dt.datetime(2025, 3, 10, tzinfo=VN)
    write_readings(hours_of(station, pm25, {h: 90.0 for h in range(24)}, day=dec)
                   + hours_of(station, pm25, {h: 90.0 for h in range(24)}, day=mar))
    detect_exceedances(station=station, start=dec, end=dec + dt.timedelta(days=1), notify=False)
    detect_exceedances(station=station, start=mar, end=mar + dt.timedelta(days=1), notify=False)
    events = list(ExceedanceEvent.objects.filter(station=station, averaging="24h").order_by("started_at"))
    assert [(e.started_at, e.ended_at) for e in events] == [(mar, mar + dt.timedelta(days=1)), (dec, None)]
