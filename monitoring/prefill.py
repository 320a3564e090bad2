"""Prefill of the annual report's monitoring tables from the monitoring network (issue 6).

`monitoring_prefill` has the shape of reports.prefill.PREFILL_PROVIDERS; MonitoringConfig.ready()
registers it (reports never imports monitoring). For the facility (05.A, 05.B) or the zone
(06: the stations watching a discharge stream of the zone's own permit, i.e. the central
WWTP) and the calendar year in Vietnam's time, it returns:

- automatic_monitoring: one row per automatic station and parameter: the design count,
  values received and error share (services.availability), and the number of averaged
  values over their limit in the year (services.exceedances.count_exceeding_windows: 1 h,
  8 h and 24 h windows against the limit of that window; the note splits the count);
- wastewater_monitoring / emission_monitoring: one row per result of a periodic sampling
  campaign (readings with campaign_id) at a wastewater or stack station, with the limit in
  force on the sampling day (permit first, else the cited regulation × its factors),
  written the way the form reads limits ("≤ 148,5", "5,5 - 9", "≥ 4": Vietnamese decimal
  comma, never a thousands separator) and its source.

A table with no rows is left out, so the report's other sources (last year's rows) stay.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext

from monitoring.choices import Averaging, StationKind, StationMode
from monitoring.models import Parameter, Reading, Station
from monitoring.selectors import TZ, local_midnight
from monitoring.services.availability import availability
from monitoring.services.exceedances import count_exceeding_windows, station_limits
from reports.domain.forms import table_specs

PERIODIC_TABLES = {
    StationKind.WASTEWATER: ("wastewater_monitoring", "point"),
    StationKind.STACK: ("emission_monitoring", "stack"),
}


def _number(value: Decimal) -> str:
    # Vietnamese decimal comma and no grouping: "5000", "148,5", "0,005" (reports.domain.limits reads them back).
    return format(value.normalize(), "f").replace(".", ",")


def limit_text(lower: Decimal | None, upper: Decimal | None) -> str:
    """A limit as the report form writes it: "≤ 50", "5,5 - 9", "≥ 4" ("" for none)."""
    if lower is not None and upper is not None:
        return f"{_number(lower)} - {_number(upper)}"
    if upper is not None:
        return f"≤ {_number(upper)}"
    return f"≥ {_number(lower)}" if lower is not None else ""


def report_stations(*, facility=None, zone=None):
    """The stations whose data a report of `facility` or `zone` covers."""
    if facility is not None:
        return Station.objects.filter(facility=facility)
    if zone is not None:
        return Station.objects.filter(discharge_stream__permit__zone=zone)
    return Station.objects.none()


def _station_label(station: Station) -> str:
    return f"{station.code} – {station.name}"[:200]


def _automatic_rows(stations: list[Station], start: dt.datetime, end: dt.datetime) -> list[dict]:
    rows = []
    for station in stations:
        if station.mode != StationMode.AUTOMATIC:
            continue
        counts = count_exceeding_windows(station=station, start=start, end=end)
        by_parameter: dict[int, dict[str, int]] = defaultdict(dict)
        for (pid, averaging), n in counts.items():
            by_parameter[pid][averaging] = n
        for item in availability(station=station, start=start, end=end):
            over = by_parameter.get(item["parameter_id"], {})
            notes = [gettext("Values received: %(pct)s %%") % {"pct": _number(item["availability_pct"])}
                     ] if item["availability_pct"] is not None else []
            if item["calibrating"]:
                notes.append(gettext("under calibration: %(n)s") % {"n": item["calibrating"]})
            if over:
                detail = ", ".join(f"{Averaging(avg).label} {n}" for avg, n in sorted(over.items()))
                notes.append(gettext("averages over the limit: %(detail)s") % {"detail": detail})
            rows.append({
                "station": _station_label(station),
                "parameter": item["parameter_name_vi"] or item["parameter"],
                "design_count": item["design_count"],
                "received_count": item["received"],
                "error_pct": item["error_pct"],
                "exceedance_count": sum(over.values()),
                "note": "; ".join(notes),
            })
    return rows


def _periodic_rows(stations: list[Station], start: dt.datetime, end: dt.datetime) -> dict[str, list[dict]]:
    by_id = {s.pk: s for s in stations if s.kind in PERIODIC_TABLES}
    if not by_id:
        return {}
    readings = list(Reading.objects.filter(station_id__in=list(by_id), campaign_id__isnull=False)
                    .between(start, end).order_by("observed_at", "station_id", "parameter_id")
                    .values_list("station_id", "parameter_id", "observed_at", "value"))
    params = {p.pk: p for p in Parameter.objects.filter(pk__in={r[1] for r in readings}).select_related("unit")}
    limits = {sid: station_limits(by_id[sid]) for sid in {r[0] for r in readings}}
    tables: dict[str, list[dict]] = defaultdict(list)
    for station_id, parameter_id, observed_at, value in readings:
        station, parameter = by_id[station_id], params[parameter_id]
        table, point_key = PERIODIC_TABLES[station.kind]
        day = observed_at.astimezone(TZ).date()
        # A sample meets the single-value limit (or the permit's 1 h one) in force on its day.
        limit = limits[station_id].limit(parameter_id, Averaging.HOUR.value, day)
        tables[table].append({
            "sampling_date": day,
            point_key: station.name[:200],
            "parameter": parameter.name_vi or parameter.code,
            "unit": parameter.unit.code,
            "result": Decimal(repr(value)),
            "limit": limit_text(limit.lower, limit.upper) if limit else "",
            "regulation": (limit.source if limit else "")[:120],
        })
    for rows in tables.values():
        rows.sort(key=lambda r: (r["sampling_date"], r.get("point") or r.get("stack"), r["parameter"]))
    return dict(tables)


def monitoring_prefill(definition, year: int, facility, zone) -> dict:
    """The report's monitoring tables for `year` (a reports.prefill.PREFILL_PROVIDERS provider)."""
    tables = table_specs(definition.definition)
    wanted = {"automatic_monitoring", *(t for t, _ in PERIODIC_TABLES.values())} & set(tables)
    if not wanted or (facility is None and zone is None):
        return {}
    stations = list(report_stations(facility=facility, zone=zone)
                    .select_related("discharge_stream__permit", "facility").order_by("code"))
    if not stations:
        return {}
    start, end = local_midnight(dt.date(year, 1, 1)), local_midnight(dt.date(year + 1, 1, 1))
    out: dict[str, list[dict]] = {}
    with translation.override("vi"):  # the report is written in Vietnamese
        if "automatic_monitoring" in wanted:
            out["automatic_monitoring"] = _automatic_rows(stations, start, end)
        for table, rows in _periodic_rows(stations, start, end).items():
            if table in wanted:
                out[table] = rows
    return {"tables": {key: rows for key, rows in out.items() if rows}}


__all__ = ["limit_text", "monitoring_prefill", "report_stations"]
