"""Data availability of an automatic station: values received against the design count.

These are the figures of the annual report's automatic-monitoring table (form 05.A
section 2, form 06): per parameter, the number of values the station should have sent in
the period (its design count), how many arrived, and the share in error.

- design count = whole reading intervals in the period: ⌊(end − start) / interval⌋ with
  StationParameter.interval_minutes (5 minutes: 288 a day, 105,120 in a year of 365 days).
  The period starts no earlier than the station's transmits_since day (local midnight):
  a station is not missing values before it was commissioned.
- received = continuous readings stored for the period (results of periodic campaigns are
  not counted); valid / calibrating / error by their status (Circular 10/2021 Art. 39).
- availability_pct = received / design count × 100 (it may exceed 100 when a datalogger
  sends off its interval); error_pct = error / received × 100 (the "tỷ lệ số liệu lỗi"
  column). Both are rounded to 2 decimals, half up; None when the denominator is 0.
A parameter that has readings but no StationParameter row is listed with design count 0.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from monitoring.domain.windows import LOCAL_TZ
from monitoring.selectors import pk_of

CENT = Decimal("0.01")


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def availability(*, station, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Per parameter of the station over [start, end): design_count, received, valid, calibrating,
    error, availability_pct, error_pct (one query; see the module docstring for the rules)."""
    if start.tzinfo is None or end.tzinfo is None or end <= start:
        raise ValueError("start and end must be aware, end after start")
    station_id = pk_of(station)
    sql = """
        WITH st AS (
            SELECT GREATEST(%(start)s::timestamptz,
                            COALESCE((transmits_since::timestamp AT TIME ZONE %(tz)s), %(start)s::timestamptz)) AS t0
            FROM monitoring_station WHERE id = %(station)s
        ),
        sp AS (
            SELECT sp.parameter_id, sp.interval_minutes,
                   GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (%(end)s::timestamptz - st.t0))
                                     / (sp.interval_minutes * 60)))::bigint AS design_count
            FROM monitoring_stationparameter sp CROSS JOIN st WHERE sp.station_id = %(station)s
        ),
        r AS (
            SELECT parameter_id, count(*) AS received,
                   count(*) FILTER (WHERE status = 0) AS valid,
                   count(*) FILTER (WHERE status = 1) AS calibrating,
                   count(*) FILTER (WHERE status = 2) AS error
            FROM monitoring_reading
            WHERE station_id = %(station)s AND observed_at >= %(start)s AND observed_at < %(end)s
              AND campaign_id IS NULL
            GROUP BY parameter_id
        )
        SELECT p.id, p.code, p.name_vi, p.name_en, u.code, sp.interval_minutes, COALESCE(sp.design_count, 0),
               COALESCE(r.received, 0), COALESCE(r.valid, 0), COALESCE(r.calibrating, 0), COALESCE(r.error, 0)
        FROM sp FULL JOIN r ON r.parameter_id = sp.parameter_id
        JOIN monitoring_parameter p ON p.id = COALESCE(sp.parameter_id, r.parameter_id)
        JOIN monitoring_unit u ON u.id = p.unit_id
        ORDER BY p.medium, p.code"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": start, "end": end, "station": station_id, "tz": LOCAL_TZ})
        rows = cursor.fetchall()
    out = []
    for pid, code, name_vi, name_en, unit, interval, design, received, valid, calibrating, error in rows:
        out.append({
            "parameter": code, "parameter_id": pid, "parameter_name_vi": name_vi, "parameter_name_en": name_en,
            "unit": unit, "interval_minutes": interval, "design_count": int(design), "received": int(received),
            "valid": int(valid), "calibrating": int(calibrating), "error": int(error),
            "availability_pct": _pct(received, design), "error_pct": _pct(error, received),
        })
    return out
