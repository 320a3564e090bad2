"""Demo monitoring network (issue 6): 35 stations from fixtures/demo/monitoring/stations.geojson
and a year of 5-minute readings for them, generated with numpy and written by binary COPY.

Stations (``load_demo_stations``): 10 ambient-air and 5 surface-water stations of the city
network, 12 wastewater outfalls and 8 stacks of demo facilities, each watching a discharge
stream of the facility's current permit, plus a few permit limits stricter than the QCVN.
Upserted by code; rows that are not ``is_demo`` are never touched.

Readings (``generate_demo_readings``): every (station, parameter) series of the demo
automatic stations, at 5 minutes, over ``[end - days, end)``. A value is a pure function of
the station, the parameter and the time (seeded per station, parameter and UTC month), so
any window gives the same value at the same instant. What the data shows:

* diurnal patterns in local time (UTC+7): PM, NO2 and CO peak at the morning (07:30) and
  evening (18:30) rush hours, O3 in the afternoon (14:00); PM is highest in winter
  (mid-January, season factor 1.45) and lowest in July (0.55); effluent flow follows a day
  shift (07:00-17:00) and drops on Sundays; river DO follows photosynthesis (15:00 peak).
* weekly calibration: every station calibrates for 2 hours (09:00-11:00 local) on its own
  weekday: status 1, zero values the first hour and span values (above the limits, on
  purpose: the exceedance detection must leave them out) the second.
* instrument errors: about one per series and month, 15 min to 3 h, status 2, the value
  stuck at the last good one.
* missing values (no row): 0.2 % of single values, and about one communication outage
  (1-8 h, every parameter of the station) in three station-months.
* exceedance episodes, on the same local dates every year:
  - PM2.5/PM10 (and NO2, CO × 1.4) at every ambient station, a winter inversion
    16 Dec 00:00 - 21 Dec 00:00 and 9 Jan 00:00 - 13 Jan 00:00: PM × 2.1, so the 24-hour
    PM2.5 mean goes well above QCVN 05:2023 (50 µg/Nm³, 45 from 2026);
  - O3 × 2 on the afternoons of 20-23 May (11:00-18:00): 1-hour O3 above 200 µg/Nm³;
  - textile plant 0200000002-NT1 (which runs at half its permit's COD of 100 mg/L): COD
    × 2.6 on the 12th of every month 08:00-14:00 (about 135 mg/L: above the permit, below
    QCVN 40:2011 B × Kq × Kf = 165: the permit takes precedence), and a dye-bath discharge
    10 Mar 08:00 - 11 Mar 18:00 with COD × 4.2 (about 220 mg/L, above both) and pH + 2.3
    (about 9.4, above 9);
  - steel plant 0200000001-KT1: a broken filter bag 28 Oct 10:00 - 29 Oct 02:00, dust × 4.5
    (about 125 mg/Nm³, above the permit's 100); SO2 × 4.5 on 3 Feb 06:00-12:00 (above 400);
  - cement plant 0800000004-KT1: dust × 5 on 15 Jan 13:00-19:00 (about 90 mg/Nm³, above
    its permit's 50; its QCVN 19:2024 values are unconfirmed);
  - chemical plant 0271058516-NT1: NH4 × 3.5 on 5 Jul 00:00-06:00 (above 10 × Kq × Kf);
  - Lạch Tray river HP-NM-02: storm run-off 3 Aug 00:00 - 6 Aug 00:00, COD × 2.2, DO - 2.5;
  - plus random 2-6 h episodes (× 2.2-3.0) in about 6 % of the months of each outfall
    and stack pollutant series (not flow, not pH).

Idempotent: for each series only what lies before its first and after its last reading in
the window is written, so a second run with the same window writes nothing, and a later run
(a new ``end``) tops the series up to the current hour. The readings go straight into the
partitioned table by binary COPY, the rows built as one numpy buffer (no Python object per
row): they are new by construction, so the stage table and ON CONFLICT of the ingest path
are not needed (a datalogger pushing to a demo station during a run would make that
month's COPY fail and roll back; a re-run fills it). One COPY and one transaction per UTC
month, rows day by day and series by series within a day (why: the comment on the sort).
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import logging
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from geoportal.audit.services import audit_record
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import AdministrativeUnit, Organisation
from layers.choices import ApprovalStatus
from layers.models import DischargeStream, Facility
from monitoring.choices import StationKind, StationMode
from monitoring.models import Parameter, PermitLimit, Station, StationParameter, Unit
from monitoring.selectors import TZ as LOCAL_TZ
from monitoring.services.aqi import store_daily_aqi
from monitoring.services.ingest import ensure_partitions

logger = logging.getLogger(__name__)
SEED = 20_260_606
STEP_SECONDS = 300  # 5 minutes (Circular 10/2021: automatic stations report every 5 minutes)
LOCAL_OFFSET_HOURS = 7  # Vietnam, UTC+7 all year (no daylight saving)
PG_EPOCH = 946_684_800  # 2000-01-01 UTC: binary timestamptz counts microseconds from it
YEAR_DAYS = 365.2425
COPY_COLUMNS = ("station_id", "parameter_id", "observed_at", "value", "status")
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_TRAILER = b"\xff\xff"
# One binary COPY row: field count, then (length, value) per column, all big-endian.
_ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("sid", ">i8"), ("l2", ">i4"), ("pid", ">i8"), ("l3", ">i4"),
                 ("ts", ">i8"), ("l4", ">i4"), ("val", ">f8"), ("l5", ">i4"), ("st", ">i2")])
_CHUNK_ROWS = 200_000  # rows per copy.write() (about 11 MB)


class DemoMonitoringError(RuntimeError):
    """The demo stations cannot be loaded (a prerequisite is missing)."""


def stations_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo" / "monitoring" / "stations.geojson"


def station_fixture_files() -> list[Path]:
    """The files the demo stations come from (for load_demo_data's digest)."""
    return [stations_path()]


def _station_features() -> list[dict]:
    path = stations_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))["features"]
    except FileNotFoundError:
        raise DemoMonitoringError(f"{path} is missing; run fixtures/tools/build_demo_stations.py") from None


# --- Stations ------------------------------------------------------------------------------


def _stream_for(facility: Facility, props: dict) -> DischargeStream:
    permit = props["permit"]
    stream = (DischargeStream.objects
              .filter(permit__facility=facility, permit__number=permit["number"], permit__symbol=permit["symbol"],
                      code=props["stream"])
              .order_by("-permit__signed_on", "-pk").first())
    if stream is None:
        raise DemoMonitoringError(f"{props['code']}: the facility {facility.tax_code} has no discharge stream "
                                  f"{props['stream']} under permit {permit['number']}/{permit['symbol']}")
    return stream


def _derive_units(ids: list[int]) -> None:
    """Administrative unit from the point, in PostGIS: the lowest-id unit covering it (as the demo layers)."""
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE {Station._meta.db_table} AS s SET admin_unit_id = m.unit_id
            FROM (SELECT DISTINCT ON (s2.id) s2.id, u.id AS unit_id
                  FROM {Station._meta.db_table} s2 JOIN {AdministrativeUnit._meta.db_table} u
                       ON ST_Covers(u.geom, s2.geom)
                  WHERE s2.id = ANY(%s) ORDER BY s2.id, u.id) AS m
            WHERE s.id = m.id""", [ids])


def _delete_readings(station_ids: Iterable[int]) -> None:
    ids = list(station_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM monitoring_reading WHERE station_id = ANY(%s)", [ids])


def detach_demo_stations() -> int:
    """Unlink the demo stations from the demo facilities and streams (before the demo layers
    are deleted and reloaded); load_demo_stations links them again. Returns how many."""
    return Station.objects.filter(is_demo=True).filter(
        facility__isnull=False).update(facility=None, discharge_stream=None)


@transaction.atomic
def load_demo_stations(*, stdout=None) -> dict[str, int]:
    """Upsert the demo stations, their parameters and permit limits from the fixture.

    Needs the reference tables (monitoring.reference.load_reference), the Department and
    the demo layers (facilities and permits). A station whose code exists but is not demo
    data is left alone (counted as ``skipped``); demo stations no longer in the file are
    deleted with their readings.

    :param stdout: where to write one progress line (a management command's stdout), or None.
    :returns: counts: stations by kind, created, updated, skipped, deleted, parameters, permit_limits.
    """
    started = time.perf_counter()
    features = _station_features()
    wanted_params = {code for f in features for code in f["properties"]["parameters"]}
    wanted_params |= {lim["parameter"] for f in features for lim in f["properties"]["permit_limits"]}
    params = {p.code: p for p in Parameter.objects.filter(code__in=wanted_params)}
    if missing := sorted(wanted_params - set(params)):
        raise DemoMonitoringError(f"unknown parameters {missing}: load the reference tables first "
                                  "(monitoring.reference.load_reference)")
    units = {u.code: u for u in Unit.objects.all()}
    department = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).order_by("pk").first()
    if department is None:
        raise DemoMonitoringError("load the organisations first: no Department organisation exists")
    taxes = {f["properties"]["facility"] for f in features if f["properties"]["facility"]}
    facilities = {f.tax_code: f for f in Facility.objects.filter(is_demo=True, tax_code__in=taxes)}
    if missing := sorted(taxes - set(facilities)):
        raise DemoMonitoringError(f"demo facilities {missing[:5]} are not loaded: load the demo layers first")

    counts = {kind.value: 0 for kind in StationKind}
    counts.update(created=0, updated=0, skipped=0, deleted=0, parameters=0, permit_limits=0)
    existing = {s.code: s for s in Station.objects.filter(code__in=[f["properties"]["code"] for f in features])}
    now = timezone.now()
    touched: list[int] = []
    for feature in features:
        props = feature["properties"]
        code = props["code"]
        station = existing.get(code)
        if station is not None and not station.is_demo:
            counts["skipped"] += 1  # a real station took the code: never overwrite it
            continue
        facility = facilities.get(props["facility"]) if props["facility"] else None
        stream = _stream_for(facility, props) if facility is not None else None
        values = {
            "name": props["name"]["vi"], "description": props["description"]["vi"], "kind": props["kind"],
            "mode": props["mode"], "geom": Point(*feature["geometry"]["coordinates"], srid=4326),
            "source_srid": 4326, "facility": facility, "discharge_stream": stream,
            "operator_id": facility.owner_organisation_id if facility is not None and facility.owner_organisation_id
            else department.pk,
            "datalogger_code": props["datalogger_code"], "is_demo": True,
            "approval_status": ApprovalStatus.APPROVED, "entered_by": department}
        if station is None:
            station = Station.objects.create(code=code, approved_at=now, **values)
            counts["created"] += 1
        else:
            changed = [key for key, value in values.items() if getattr(station, key) != value]
            for key in changed:
                setattr(station, key, values[key])
            if changed:  # an unchanged file writes (and audits) nothing
                station.save()
                counts["updated"] += 1
        counts[station.kind] += 1
        touched.append(station.pk)
        wanted = {params[c].pk for c in props["parameters"]}
        StationParameter.objects.filter(station=station).exclude(parameter_id__in=wanted).delete()
        for parameter_id in wanted:
            StationParameter.objects.update_or_create(
                station=station, parameter_id=parameter_id, defaults={"interval_minutes": props["interval_minutes"]})
        counts["parameters"] += len(wanted)
        for limit in props["permit_limits"]:
            if stream is None:
                continue
            PermitLimit.objects.update_or_create(
                discharge_stream=stream, parameter=params[limit["parameter"]], averaging=limit["averaging"],
                defaults={"lower": limit.get("lower"), "upper": limit.get("upper"), "unit": units[limit["unit"]],
                          "note": limit["note"]["vi"][:255]})
            counts["permit_limits"] += 1
    stale = Station.objects.filter(is_demo=True).exclude(code__in=[f["properties"]["code"] for f in features])
    stale_ids = list(stale.values_list("pk", flat=True))
    if stale_ids:
        _delete_readings(stale_ids)
        counts["deleted"] = len(stale_ids)
        Station.objects.filter(pk__in=stale_ids).delete()
    _derive_units(touched)
    if counts["created"] or counts["updated"] or counts.get("deleted"):
        audit_record(action="fixtures.load_stations", organisation=department,
                     changes={"dataset": "demo_stations", "counts": counts})
    if stdout is not None:
        stdout.write(f"demo stations loaded in {time.perf_counter() - started:.1f} s: "
                     + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts


# --- Readings: the pure part (numpy, no database) -------------------------------------------


@dataclass(frozen=True)
class StationSpec:
    """What the generator needs to know of a station."""

    station_id: int
    code: str
    kind: str
    profile: str
    parameters: dict[str, int]  # parameter code -> id
    max_flow: float | None = None  # the stream's maximum flow (m³/day for water, m³/h for stacks)
    column: str = "B"
    factor: float = 1.0  # Kq × Kf or Kp × Kv of the stream
    permit_upper: dict[str, float] = field(default_factory=dict)  # parameter code -> the permit's upper limit


@dataclass
class Series:
    """One parameter's month: values, statuses and which steps have a row."""

    values: np.ndarray
    status: np.ndarray
    present: np.ndarray


def _seed(*parts: str | int) -> list[int]:
    return [SEED, *(zlib.crc32(p.encode()) if isinstance(p, str) else int(p) for p in parts)]


def _local_epoch(year: int, month: int, day: int, hour: int = 0) -> int:
    """Epoch seconds of a local (UTC+7) wall-clock time."""
    return calendar.timegm((year, month, day, hour, 0, 0)) - LOCAL_OFFSET_HOURS * 3600


def _gauss(hour: np.ndarray, centre: float, width: float) -> np.ndarray:
    d = np.minimum(np.abs(hour - centre), 24 - np.abs(hour - centre))  # circular in the day
    return np.exp(-0.5 * (d / width) ** 2)


def _normalised(shape: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    mean = float(shape(np.arange(0, 24, 1 / 12)).mean())
    return lambda hour: shape(hour) / mean


TRAFFIC = _normalised(lambda h: 0.55 + 0.9 * _gauss(h, 7.5, 1.2) + 1.0 * _gauss(h, 18.5, 1.5) + 0.3 * _gauss(h, 22, 2.5))
OZONE = _normalised(lambda h: 0.55 + 1.0 * _gauss(h, 14, 3))
DAYTIME = _normalised(lambda h: 0.8 + 0.4 * _gauss(h, 11, 3))
SHIFT = _normalised(lambda h: 0.55 + 0.75 / (1 + np.exp(-(h - 7) * 3)) - 0.75 / (1 + np.exp(-(h - 17) * 3)))

# Ambient levels by site (µg/Nm³, the parameters' canonical unit; means over a day and a year).
AMBIENT_BASE = {
    "traffic": {"PM2.5": 27, "SO2": 16, "NO2": 42, "CO": 1400, "O3": 34},
    "urban": {"PM2.5": 23, "SO2": 13, "NO2": 30, "CO": 1000, "O3": 42},
    "industrial": {"PM2.5": 25, "SO2": 32, "NO2": 34, "CO": 1100, "O3": 40},
    "background": {"PM2.5": 14, "SO2": 7, "NO2": 10, "CO": 450, "O3": 45},
}
# QCVN 40:2011/BTNMT Table 1 (mg/L) for the normal effluent levels: a treated effluent runs
# at about half its limit. Column C of QCVN 40:2025 is treated as B here (demo levels only).
QCVN40_2011 = {"A": {"COD_WW": 75, "TSS_WW": 50, "NH4_WW": 5}, "B": {"COD_WW": 150, "TSS_WW": 100, "NH4_WW": 10}}
EFFLUENT_SHARE = {"COD_WW": 0.5, "TSS_WW": 0.4, "NH4_WW": 0.35}
# Stack concentrations by sector (mg/Nm³), capped at half of QCVN 19:2009 column B × Kp × Kv.
QCVN19_2009_B = {"DUST_EM": 200, "SO2_EM": 500, "NOX_EM": 850}
STACK_BASE = {
    "thep": {"DUST_EM": 28, "SO2_EM": 110, "NOX_EM": 190},
    "xi_mang": {"DUST_EM": 32, "SO2_EM": 90, "NOX_EM": 380},
    "hoa_chat": {"DUST_EM": 18, "SO2_EM": 140, "NOX_EM": 150},
    "nhiet_dien": {"DUST_EM": 40, "SO2_EM": 260, "NOX_EM": 420},
    "default": {"DUST_EM": 22, "SO2_EM": 60, "NOX_EM": 120},
}
DECIMALS = {"CO": 0, "PH_W": 2, "PH_WW": 2, "DO_W": 2, "NH4_WW": 2}
# Calibration: zero check the first hour, span check the second (pH: the 4.01 and 7.00 buffers).
ZERO = {"PH_W": 4.01, "PH_WW": 4.01, "DO_W": 0.0}
SPAN = {"SO2": 400, "NO2": 400, "CO": 8000, "O3": 400, "PH_W": 7.0, "PH_WW": 7.0, "DO_W": 8.2, "COD_W": 50,
        "COD_WW": 200, "TSS_WW": 100, "NH4_WW": 10, "DUST_EM": 100, "SO2_EM": 800, "NOX_EM": 800}
NOT_CALIBRATED = {"TEMP_W", "FLOW_WW", "FLOW_EM"}  # sensors without a weekly zero/span check


@dataclass(frozen=True)
class Episode:
    """An exceedance episode on the same local dates every year (or every month when month is 0)."""

    stations: str  # a station code, or "ambient_air" for every ambient station
    start: tuple[int, int, int]  # (month, day, hour) local; month 0 = every month
    end: tuple[int, int, int]
    factors: dict[str, float]  # parameter -> multiplier
    shifts: dict[str, float] = field(default_factory=dict)  # parameter -> added value
    hours: tuple[int, int] | None = None  # only within these local hours of each day
    ramp_hours: float = 1.0


EPISODES = (
    Episode("ambient_air", (12, 16, 0), (12, 21, 0), {"PM2.5": 2.1, "PM10": 2.1, "NO2": 1.4, "CO": 1.4}, ramp_hours=8),
    Episode("ambient_air", (1, 9, 0), (1, 13, 0), {"PM2.5": 2.1, "PM10": 2.1, "NO2": 1.4, "CO": 1.4}, ramp_hours=8),
    Episode("ambient_air", (5, 20, 0), (5, 24, 0), {"O3": 2.0}, hours=(11, 18)),
    Episode("0200000002-NT1", (0, 12, 8), (0, 12, 14), {"COD_WW": 2.6, "TSS_WW": 1.3}, ramp_hours=0.5),
    Episode("0200000002-NT1", (3, 10, 8), (3, 11, 18), {"COD_WW": 4.2, "TSS_WW": 1.6}, {"PH_WW": 2.3}),
    Episode("0200000001-KT1", (10, 28, 10), (10, 29, 2), {"DUST_EM": 4.5}, ramp_hours=0.5),
    Episode("0200000001-KT1", (2, 3, 6), (2, 3, 12), {"SO2_EM": 4.5}, ramp_hours=0.5),
    Episode("0800000004-KT1", (1, 15, 13), (1, 15, 19), {"DUST_EM": 5.0}, ramp_hours=0.5),
    Episode("0271058516-NT1", (7, 5, 0), (7, 5, 6), {"NH4_WW": 3.5}, ramp_hours=0.5),
    Episode("HP-NM-02", (8, 3, 0), (8, 6, 0), {"COD_W": 2.2}, {"DO_W": -2.5}, ramp_hours=6),
)
RANDOM_EPISODE_PROBABILITY = 0.06  # per outfall/stack series and month


def _window(t: np.ndarray, start: int, end: int, ramp: float) -> np.ndarray:
    """0 outside [start, end), 1 inside, with raised-cosine ramps of `ramp` seconds inside the edges."""
    x = np.clip(np.minimum(t - start, end - t) / max(ramp, 1.0), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * x)


def episode_weights(episode: Episode, t: np.ndarray) -> np.ndarray:
    """How much of `episode` is in force at each time of `t` (epoch seconds), in [0, 1]."""
    weight = np.zeros(t.shape)
    if t.size == 0:
        return weight
    first = dt.datetime.fromtimestamp(int(t[0]) + LOCAL_OFFSET_HOURS * 3600, dt.UTC)
    last = dt.datetime.fromtimestamp(int(t[-1]) + LOCAL_OFFSET_HOURS * 3600, dt.UTC)
    (m0, d0, h0), (m1, d1, h1) = episode.start, episode.end
    if m0 == 0:  # every month
        periods = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            periods.append(((y, m, d0, h0), (y, m, d1, h1)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        periods = [((y, m0, d0, h0), (y if m1 >= m0 else y + 1, m1, d1, h1))
                   for y in range(first.year - 1, last.year + 1)]
    for start, end in periods:
        s, e = _local_epoch(*start), _local_epoch(*end)
        if e < t[0] or s > t[-1]:
            continue
        weight = np.maximum(weight, _window(t, s, e, episode.ramp_hours * 3600))
    if episode.hours is not None:
        hour = ((t / 3600 + LOCAL_OFFSET_HOURS) % 24)
        weight *= _window(hour * 3600, episode.hours[0] * 3600, episode.hours[1] * 3600, 3600)
    return weight


def _waves(t: np.ndarray, rng: np.random.Generator, periods_h: Iterable[float], amplitude: float) -> np.ndarray:
    """A smooth, deterministic wobble: a sum of sinusoids with seeded phases (log scale)."""
    out = np.zeros(t.shape)
    for period in periods_h:
        out += amplitude * np.sin(2 * np.pi * t / (period * 3600) + rng.uniform(0, 2 * np.pi))
    return out


def _season(day: np.ndarray, peak_day: float, amplitude: float) -> np.ndarray:
    """1 ± amplitude over the year, highest on `peak_day` (days since 1 January)."""
    return 1 + amplitude * np.cos(2 * np.pi * (day - peak_day) / YEAR_DAYS)


def _variability(t: np.ndarray, spec: StationSpec, code: str, month_rng: np.random.Generator,
                 *, weather: float, jitter: float, noise: float) -> np.ndarray:
    """Multiplicative variability: multi-day weather, hourly jitter and white noise."""
    rng = np.random.default_rng(_seed(spec.code, code))  # phases fixed per series: continuous across months
    log = _waves(t, rng, (31, 65, 103), weather) + _waves(t, rng, (1.7, 3.1, 6.3), jitter)
    return np.exp(log) * (1 + noise * month_rng.standard_normal(t.size))


def _ambient(spec: StationSpec, t, hour, day, weekday, rngs) -> dict[str, np.ndarray]:
    base = AMBIENT_BASE.get(spec.profile, AMBIENT_BASE["urban"])
    # City-wide weather (stagnant or windy days) is shared by every ambient station.
    city = np.exp(_waves(t, np.random.default_rng(_seed("city-weather")), (79, 141, 269), 0.18))
    weekend = np.where(weekday >= 5, 0.85, 1.0)
    traffic = TRAFFIC(hour) * weekend
    out: dict[str, np.ndarray] = {}
    pm_season = _season(day, 14, 0.45)
    if "PM2.5" in spec.parameters or "PM10" in spec.parameters:
        pm25 = (base["PM2.5"] * pm_season * (0.6 + 0.4 * traffic) * city
                * _variability(t, spec, "PM2.5", rngs["PM2.5"], weather=0.08, jitter=0.06, noise=0.05))
        out["PM2.5"] = pm25
        ratio = 1.55 * np.exp(_waves(t, np.random.default_rng(_seed(spec.code, "pm-ratio")), (29, 97), 0.06))
        out["PM10"] = pm25 * ratio * (1 + 0.04 * rngs["PM10"].standard_normal(t.size))
    out["SO2"] = (base["SO2"] * _season(day, 14, 0.1) * DAYTIME(hour) * city
                  * _variability(t, spec, "SO2", rngs["SO2"], weather=0.1, jitter=0.08, noise=0.05))
    out["NO2"] = (base["NO2"] * _season(day, 14, 0.2) * (0.4 + 0.6 * traffic) * city
                  * _variability(t, spec, "NO2", rngs["NO2"], weather=0.08, jitter=0.06, noise=0.05))
    out["CO"] = (base["CO"] * _season(day, 14, 0.2) * (0.5 + 0.5 * traffic) * city
                 * _variability(t, spec, "CO", rngs["CO"], weather=0.08, jitter=0.05, noise=0.04))
    # Ozone: photochemical, higher on sunny late-spring afternoons, lower where NO titrates it.
    out["O3"] = (base["O3"] * _season(day, 139, 0.2) * OZONE(hour) / np.sqrt(city)
                 * _variability(t, spec, "O3", rngs["O3"], weather=0.08, jitter=0.05, noise=0.05))
    return out


def _surface_water(spec: StationSpec, t, hour, day, weekday, rngs) -> dict[str, np.ndarray]:
    urban = spec.profile == "urban"
    temp = (24.5 + 5.5 * np.cos(2 * np.pi * (day - 196) / YEAR_DAYS) + 0.6 * np.cos(2 * np.pi * (hour - 15) / 24)
            + 0.1 * rngs["TEMP_W"].standard_normal(t.size))
    # Oxygen saturation in fresh water (mg/L) against temperature (°C), a common cubic fit.
    saturation = 14.62 - 0.3898 * temp + 0.006969 * temp ** 2 - 0.00005897 * temp ** 3
    do = (saturation * (0.72 if urban else 0.82) + 0.5 * np.cos(2 * np.pi * (hour - 15) / 24)
          + 0.08 * rngs["DO_W"].standard_normal(t.size))
    ph = (7.1 if urban else 7.3) + 0.12 * np.cos(2 * np.pi * (hour - 15) / 24) + 0.03 * rngs["PH_W"].standard_normal(t.size)
    tide = 1 + 0.15 * np.cos(2 * np.pi * t / (12.42 * 3600))  # semi-diurnal tide of the estuaries
    cod = (14 if urban else 9) * tide * _variability(t, spec, "COD_W", rngs["COD_W"], weather=0.08, jitter=0.04,
                                                     noise=0.04)
    return {"TEMP_W": temp, "PH_W": ph, "DO_W": do, "COD_W": cod}


def _wastewater(spec: StationSpec, t, hour, day, weekday, rngs) -> dict[str, np.ndarray]:
    production = SHIFT(hour) * np.where(weekday == 6, 0.6, 1.0)
    flow_h = (spec.max_flow or 500) / 24  # m³/day permitted -> m³/h
    out = {"FLOW_WW": 0.7 * flow_h * production * _variability(t, spec, "FLOW_WW", rngs["FLOW_WW"], weather=0.05,
                                                               jitter=0.05, noise=0.03),
           "PH_WW": 7.1 + 0.1 * _waves(t, np.random.default_rng(_seed(spec.code, "ph")), (2.3, 11, 53), 1.0)
           + 0.08 * rngs["PH_WW"].standard_normal(t.size)}
    limits = QCVN40_2011["A" if spec.column == "A" else "B"]
    for code in ("COD_WW", "TSS_WW", "NH4_WW"):
        # The plant runs its treatment against the stricter of the QCVN (× Kq × Kf) and its permit.
        level = min(limits[code] * spec.factor, spec.permit_upper.get(code, np.inf)) * EFFLUENT_SHARE[code]
        out[code] = level * (0.85 + 0.15 * production) * _variability(t, spec, code, rngs[code], weather=0.07,
                                                                      jitter=0.05, noise=0.03)
    return out


def _stack(spec: StationSpec, t, hour, day, weekday, rngs) -> dict[str, np.ndarray]:
    base = STACK_BASE.get(spec.profile, STACK_BASE["default"])
    load = (0.9 + 0.1 * DAYTIME(hour)) * np.where(weekday == 6, 0.9, 1.0)
    out = {"FLOW_EM": 0.72 * (spec.max_flow or 50_000) * load * _variability(t, spec, "FLOW_EM", rngs["FLOW_EM"],
                                                                             weather=0.04, jitter=0.03, noise=0.02)}
    for code, level in base.items():
        level = min(level, 0.5 * QCVN19_2009_B[code] * spec.factor, 0.35 * spec.permit_upper.get(code, np.inf))
        out[code] = level * load * _variability(t, spec, code, rngs[code], weather=0.08, jitter=0.05, noise=0.03)
    return out


GENERATORS = {StationKind.AMBIENT_AIR: _ambient, StationKind.SURFACE_WATER: _surface_water,
              StationKind.WASTEWATER: _wastewater, StationKind.STACK: _stack}


def month_grid(year: int, month: int) -> np.ndarray:
    """Epoch seconds of every 5-minute step of a UTC month."""
    start = calendar.timegm((year, month, 1, 0, 0, 0))
    end = calendar.timegm((year + 1, 1, 1, 0, 0, 0) if month == 12 else (year, month + 1, 1, 0, 0, 0))
    return np.arange(start, end, STEP_SECONDS, dtype=np.int64)


def station_month(spec: StationSpec, year: int, month: int) -> tuple[np.ndarray, dict[str, Series]]:
    """Every parameter of a station over one UTC month: values, statuses and present rows.

    A pure function of (station code, parameter, month): the same call gives the same arrays.
    """
    t = month_grid(year, month)
    tf = t.astype(np.float64)
    local = tf + LOCAL_OFFSET_HOURS * 3600
    hour = (local / 3600) % 24
    day = (local / 86400) % YEAR_DAYS  # days since 1 January (drifts by < 1 day over decades)
    weekday = ((local // 86400).astype(np.int64) + 3) % 7  # 1 January 1970 was a Thursday (0 = Monday)
    codes = list(spec.parameters)
    rngs = {code: np.random.default_rng(_seed(spec.code, code, year, month)) for code in
            set(codes) | {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3", "TEMP_W", "PH_W", "DO_W", "COD_W", "FLOW_WW",
                          "PH_WW", "COD_WW", "TSS_WW", "NH4_WW", "FLOW_EM", "DUST_EM", "SO2_EM", "NOX_EM"}}
    generated = GENERATORS[StationKind(spec.kind)](spec, tf, hour, day, weekday, rngs)
    station_rng = np.random.default_rng(_seed(spec.code, "station", year, month))

    # Episodes: the documented ones, then random ones on outfalls and stacks.
    for episode in EPISODES:
        if episode.stations not in (spec.code, spec.kind):
            continue
        weight = episode_weights(episode, tf)
        if not weight.any():
            continue
        for code, factor in episode.factors.items():
            if code in generated:
                generated[code] = generated[code] * (1 + (factor - 1) * weight)
        for code, shift in episode.shifts.items():
            if code in generated:
                generated[code] = generated[code] + shift * weight
    if spec.kind in (StationKind.WASTEWATER, StationKind.STACK):
        for code in codes:
            if code.startswith("FLOW") or code.startswith("PH"):
                continue
            rng = np.random.default_rng(_seed(spec.code, code, year, month, "episode"))
            if rng.random() < RANDOM_EPISODE_PROBABILITY:
                start = int(t[0] + rng.integers(0, t.size) * STEP_SECONDS)
                length = int(rng.uniform(2, 6) * 3600)
                weight = _window(tf, start, start + length, 1800)
                generated[code] = generated[code] * (1 + (rng.uniform(2.2, 3.0) - 1) * weight)

    # Weekly calibration: 2 hours from 09:00 local on the station's own weekday.
    calibration_day = zlib.crc32(spec.code.encode()) % 7
    in_calibration = (weekday == calibration_day) & (hour >= 9) & (hour < 11)
    zero_hour = in_calibration & (hour < 10)
    # Communication outages: every parameter of the station lost for 1-8 hours.
    lost = np.zeros(t.size, dtype=bool)
    if station_rng.random() < 0.35:
        start = station_rng.integers(0, t.size)
        lost[start:start + int(station_rng.integers(12, 97))] = True

    series: dict[str, Series] = {}
    for code in codes:
        values = np.maximum(generated[code], 0.0)
        status = np.zeros(t.size, dtype=np.int16)
        if code not in NOT_CALIBRATED:
            status[in_calibration] = 1
            values = np.where(zero_hour, ZERO.get(code, 0.0), np.where(in_calibration, SPAN.get(code, 0.0), values))
        rng = np.random.default_rng(_seed(spec.code, code, year, month, "faults"))
        for _ in range(rng.poisson(0.8)):  # instrument errors: the value freezes at the last good one
            start = int(rng.integers(1, t.size))
            stop = min(t.size, start + int(rng.integers(3, 37)))
            status[start:stop] = 2
            values[start:stop] = values[start - 1]
        present = ~lost & (rng.random(t.size) >= 0.002)
        series[code] = Series(values=np.round(values, DECIMALS.get(code, 1)), status=status, present=present)
    return t, series


# --- Readings: writing --------------------------------------------------------------------


def _copy_payload(sid: np.ndarray, pid: np.ndarray, ts: np.ndarray, val: np.ndarray, st: np.ndarray) -> np.ndarray:
    """Rows in PostgreSQL's binary COPY layout (without the file header and trailer)."""
    rows = np.empty(sid.size, dtype=_ROW)
    rows["n"] = len(COPY_COLUMNS)
    rows["l1"], rows["l2"], rows["l3"], rows["l4"], rows["l5"] = 8, 8, 8, 8, 2
    rows["sid"], rows["pid"] = sid, pid
    rows["ts"] = (ts - PG_EPOCH) * 1_000_000
    rows["val"], rows["st"] = val, st
    return rows


def _copy(rows: np.ndarray) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY monitoring_reading ({', '.join(COPY_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_SIGNATURE)
            for i in range(0, rows.size, _CHUNK_ROWS):
                copy.write(rows[i:i + _CHUNK_ROWS].tobytes())
            copy.write(_TRAILER)


def _summarise_brin(year: int, month: int) -> None:
    """Summarise the month's new BRIN ranges now: rows written after the index was created are
    not summarised until a VACUUM, and unsummarised ranges match every time query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT brin_summarize_new_values(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = to_regclass(%s) AND a.amname = 'brin'",
            [f"monitoring_reading_y{year:04d}m{month:02d}"])


def _specs(codes: Iterable[str] | None = None) -> list[StationSpec]:
    profiles = {}
    try:
        profiles = {f["properties"]["code"]: f["properties"].get("profile", "") for f in _station_features()}
    except DemoMonitoringError:
        pass
    qs = (Station.objects.filter(is_demo=True, mode=StationMode.AUTOMATIC, kind__in=list(GENERATORS))
          .select_related("discharge_stream", "facility__sector").prefetch_related("station_parameters__parameter")
          .order_by("code"))
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    specs = []
    for s in qs:
        stream = s.discharge_stream
        factor, max_flow, column = 1.0, None, "B"
        if stream is not None:
            column = stream.regulation_column or "B"
            max_flow = float(stream.max_flow) if stream.max_flow is not None else None
            for f in (stream.factor_kq, stream.factor_kf, stream.factor_kp, stream.factor_kv):
                factor *= float(f) if f is not None else 1.0
        profile = profiles.get(s.code) or (s.facility.sector.code if s.facility and s.facility.sector else "urban")
        params = {sp.parameter.code: sp.parameter_id for sp in s.station_parameters.all()
                  if sp.interval_minutes == STEP_SECONDS // 60}
        permit = {code: upper for code, upper in PermitLimit.objects.filter(
            discharge_stream=stream, upper__isnull=False).values_list("parameter__code", "upper")} if stream else {}
        if params:
            specs.append(StationSpec(station_id=s.pk, code=s.code, kind=s.kind, profile=profile, parameters=params,
                                     max_flow=max_flow, column=column, factor=factor, permit_upper=permit))
    return specs


def _existing_bounds(series: list[tuple[int, int]], first: dt.datetime, end: dt.datetime) -> dict[tuple[int, int], tuple]:
    """(station, parameter) -> (first, last) reading already stored in [first, end).

    Two index probes per series through the primary key (station, parameter, observed_at),
    not an aggregate over the year's rows."""
    window = "r.station_id = v.sid AND r.parameter_id = v.pid AND r.observed_at >= %s AND r.observed_at < %s"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.sid, v.pid, lo.observed_at, hi.observed_at "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(sid, pid) "
            f"JOIN LATERAL (SELECT observed_at FROM monitoring_reading r WHERE {window} "
            "               ORDER BY observed_at LIMIT 1) lo ON true "
            f"JOIN LATERAL (SELECT observed_at FROM monitoring_reading r WHERE {window} "
            "               ORDER BY observed_at DESC LIMIT 1) hi ON true",
            [[s for s, _ in series], [p for _, p in series], first, end, first, end])
        return {(sid, pid): (lo, hi) for sid, pid, lo, hi in cursor.fetchall()}


def _months(first: int, end: int) -> list[tuple[int, int]]:
    start = dt.datetime.fromtimestamp(first, dt.UTC)
    stop = dt.datetime.fromtimestamp(end - 1, dt.UTC)
    y, m, out = start.year, start.month, []
    while (y, m) <= (stop.year, stop.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _detect(station_ids: list[int], first: dt.datetime, end: dt.datetime, out) -> int | None:
    """Run the exceedance detection over the window for each station (no e-mail: the events
    of a generated past are not news), when that service exists; returns the number of events."""
    try:
        from monitoring.services.exceedances import detect_exceedances
    except ImportError:  # the service arrives with another part of issue 6
        out("exceedance detection skipped: monitoring.services.exceedances.detect_exceedances does not exist")
        return None
    started = time.perf_counter()
    events = 0
    for station in Station.objects.filter(pk__in=station_ids).order_by("code"):
        events += len(detect_exceedances(station=station, start=first, end=end, notify=False))
    out(f"exceedance detection: {events} events over {len(station_ids)} stations in "
        f"{time.perf_counter() - started:.1f} s")
    return events


def generate_demo_readings(*, days: int = 365, end: dt.datetime | None = None, stdout=None,
                           stations: Iterable[str] | None = None, detect: bool = True) -> dict[str, Any]:
    """Write `days` of 5-minute readings ending at `end` (default: the current hour) for every
    series of the demo automatic stations, by binary COPY; only what is missing at either end
    of each series is written (module docstring).

    :param days: length of the window [end - days, end).
    :param end: aware datetime, truncated to the 5 minutes; default now truncated to the hour.
    :param stdout: where to write progress lines (a management command's stdout), or None.
    :param stations: station codes to limit the run to (default: every demo station).
    :param detect: run the exceedance detection afterwards over what was written, when it exists.
    :returns: rows, missing (grid steps left without a row), series, seconds, rows_per_second,
        months, first and end (ISO), and the exceedance events (None when not run).
    """
    def out(line: str) -> None:
        if stdout is not None:
            stdout.write(line)

    started = time.perf_counter()
    if end is None:
        end = timezone.now().replace(minute=0, second=0, microsecond=0)
    if timezone.is_naive(end):
        raise ValueError("end must be an aware datetime")
    if end > timezone.now() + dt.timedelta(seconds=STEP_SECONDS):
        raise ValueError("end must not be in the future: readings are measurements")
    end_s = int(end.timestamp()) // STEP_SECONDS * STEP_SECONDS
    first_s = end_s - days * 86400
    first, end = dt.datetime.fromtimestamp(first_s, dt.UTC), dt.datetime.fromtimestamp(end_s, dt.UTC)
    specs = _specs(stations)
    summary: dict[str, Any] = {"rows": 0, "missing": 0, "series": sum(len(s.parameters) for s in specs),
                               "months": 0, "first": first.isoformat(), "end": end.isoformat(), "events": None}
    if not specs:
        out("no demo automatic stations: load them first (load_demo_stations)")
        summary.update(seconds=0.0, rows_per_second=0.0)
        return summary
    ensure_partitions(first, end - dt.timedelta(seconds=1))
    bounds = _existing_bounds([(s.station_id, pid) for s in specs for pid in s.parameters.values()], first, end)
    # Per series, the spans still to write: before its first and after its last stored reading.
    todo: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for spec in specs:
        for pid in spec.parameters.values():
            have = bounds.get((spec.station_id, pid))
            if have is None:
                todo[(spec.station_id, pid)] = [(first_s, end_s)]
            else:
                lo, hi = int(have[0].timestamp()), int(have[1].timestamp())
                todo[(spec.station_id, pid)] = [(a, b) for a, b in ((first_s, lo), (hi + STEP_SECONDS, end_s)) if a < b]
    if not any(todo.values()):
        out(f"demo readings already there for {summary['series']} series over {first:%Y-%m-%d %H:%M} – "
            f"{end:%Y-%m-%d %H:%M} UTC; nothing to write")
        summary.update(seconds=round(time.perf_counter() - started, 2), rows_per_second=0.0)
        return summary
    copy_seconds = 0.0
    span: dict[int, tuple[int, int]] = {}  # station -> (first, last) time written
    for year, month in _months(first_s, end_s):
        month_started = time.perf_counter()
        grid = month_grid(year, month)
        m_first, m_end = int(grid[0]), int(grid[-1]) + STEP_SECONDS
        parts: list[tuple[np.ndarray, ...]] = []
        for spec in specs:
            if not any(a < m_end and b > m_first for pid in spec.parameters.values()
                       for a, b in todo[(spec.station_id, pid)]):
                continue
            t, series = station_month(spec, year, month)
            for code, pid in spec.parameters.items():
                spans = todo[(spec.station_id, pid)]
                wanted = np.zeros(t.size, dtype=bool)
                for a, b in spans:
                    wanted |= (t >= a) & (t < b)
                if not wanted.any():
                    continue
                s = series[code]
                keep = wanted & s.present
                summary["missing"] += int((wanted & ~s.present).sum())
                n = int(keep.sum())
                if n:
                    times = t[keep]
                    parts.append((np.full(n, spec.station_id, np.int64), np.full(n, pid, np.int64), times,
                                  s.values[keep], s.status[keep]))
                    lo, hi = span.get(spec.station_id, (int(times[0]), int(times[-1])))
                    span[spec.station_id] = (min(lo, int(times[0])), max(hi, int(times[-1])))
        if not parts:
            continue
        sid, pid, ts, val, st = (np.concatenate(c) for c in zip(*parts, strict=True))
        # Day by day, and within a day series by series: the BRIN index on observed_at stays
        # selective to the day, a series' day is a run of adjacent heap rows (a year's chart
        # reads ~1,100 pages instead of one page per value), and the primary key fills its pages.
        order = np.lexsort((ts, pid, sid, ts // 86400))
        rows = _copy_payload(sid[order], pid[order], ts[order], val[order], st[order])
        generated = time.perf_counter()
        with transaction.atomic():
            _copy(rows)
            _summarise_brin(year, month)
        copy_seconds += time.perf_counter() - generated
        summary["rows"] += int(rows.size)
        summary["months"] += 1
        out(f"  {year}-{month:02d}: {rows.size:,} rows in {time.perf_counter() - month_started:.1f} s "
            f"(COPY {time.perf_counter() - generated:.1f} s)")
    if span:
        ids = sorted(span)
        with transaction.atomic(), connection.cursor() as cursor:
            # last_reading_at as the ingest path keeps it; transmits_since: the first reading's local date.
            cursor.execute(
                "UPDATE monitoring_station s SET last_reading_at = GREATEST(s.last_reading_at, m.last), "
                "transmits_since = LEAST(COALESCE(s.transmits_since, m.first), m.first) "
                "FROM (SELECT unnest(%s::bigint[]) AS id, to_timestamp(unnest(%s::bigint[])) AS last, "
                "             (to_timestamp(unnest(%s::bigint[])) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first) m "
                "WHERE s.id = m.id",
                [ids, [span[i][1] for i in ids], [span[i][0] for i in ids]])
    seconds = time.perf_counter() - started
    summary.update(seconds=round(seconds, 2), copy_seconds=round(copy_seconds, 2),
                   rows_per_second=round(summary["rows"] / seconds) if seconds else 0.0)
    out(f"demo readings: {summary['rows']:,} rows for {summary['series']} series in {seconds:.1f} s "
        f"({summary['rows_per_second']:,} rows/s; COPY {copy_seconds:.1f} s), {summary['missing']:,} values "
        f"left missing on purpose, {first:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC")
    if detect and span:
        # Only over what was written (a top-up of a day is checked for that day, not the year).
        written_first = dt.datetime.fromtimestamp(min(lo for lo, _ in span.values()), dt.UTC)
        written_end = dt.datetime.fromtimestamp(max(hi for _, hi in span.values()) + STEP_SECONDS, dt.UTC)
        summary["events"] = _detect(sorted(span), written_first, written_end, out)
    if span:
        # The days written replace their stored daily AQI: this COPY bypasses write_readings,
        # which drops the stored days that late readings change.
        summary["daily_aqi"] = store_daily_aqi(
            first=dt.datetime.fromtimestamp(min(lo for lo, _ in span.values()), LOCAL_TZ).date(),
            last=dt.datetime.fromtimestamp(max(hi for _, hi in span.values()), LOCAL_TZ).date())
    return summary


@task()
def generate_demo_readings_task(days: int = 365, end: str | None = None) -> dict[str, Any]:
    """Background variant for load_demo_data: the portal serves while the year is written."""
    when = dt.datetime.fromisoformat(end) if end else None
    summary = generate_demo_readings(days=days, end=when)
    logger.info("demo readings: %s", summary)
    return summary


__all__ = ["DemoMonitoringError", "detach_demo_stations", "episode_weights", "generate_demo_readings",
           "generate_demo_readings_task", "load_demo_stations", "station_fixture_files", "station_month"]
