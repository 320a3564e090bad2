"""Pages of the monitoring network: a station's page (charts, aggregates, status, CSV), the
public AQI map and the facilities' outfall disclosure.

Views stay thin: stations come through Station.objects.for_user (outside the scope = 404),
readings through Reading.objects.for_user (a facility's data is public for 30 days, Decree
08/2022), aggregates from monitoring.selectors (computed in PostgreSQL), AQI from
monitoring.services.aqi, limits and status colours from monitoring.charts.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geoportal.core.errors import problem_response
from geoportal.core.html import json_for_script
from monitoring import charts, selectors
from monitoring.choices import ReadingStatus, StationKind, StationMode
from monitoring.domain.windows import LOCAL_TZ
from monitoring.models import ExceedanceEvent, Parameter, Reading, Station

TZ = ZoneInfo(LOCAL_TZ)
CSV_MAX_SPAN = dt.timedelta(days=366)
CSV_DEFAULT_SPAN = dt.timedelta(hours=24)
OUTFALL_DAYS = 30  # Decree 08/2022: facilities' automatic monitoring data published for 30 days


@dataclass(frozen=True)
class Range:
    key: str
    label: str
    span: dt.timedelta
    step: str  # the aggregation the server chooses: raw readings, hourly or daily means


RANGES = (
    Range("24h", gettext_lazy("24 hours"), dt.timedelta(hours=24), "raw"),
    Range("7d", gettext_lazy("7 days"), dt.timedelta(days=7), "hour"),
    Range("30d", gettext_lazy("30 days"), dt.timedelta(days=30), "hour"),
    Range("1y", gettext_lazy("A year"), dt.timedelta(days=365), "day"),
)
RANGES_BY_KEY = {r.key: r for r in RANGES}
DEFAULT_RANGE = "24h"
STEP_LABELS = {"raw": gettext_lazy("readings"), "hour": gettext_lazy("hourly means"),
               "day": gettext_lazy("daily means")}


def _range_bounds(rng: Range, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a range ending now; hourly and daily ranges start on a local hour or midnight."""
    start = now - rng.span
    local = start.astimezone(TZ)
    if rng.step == "hour":
        start = local.replace(minute=0, second=0, microsecond=0)
    elif rng.step == "day":
        start = local.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    return start, now


def _epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


# --- the station page ---------------------------------------------------------------------

def _station_or_404(request, pk: int) -> Station:
    station = (Station.objects.for_user(request.user).select_related("facility", "operator", "discharge_stream")
               .filter(pk=pk).first())
    if station is None:
        raise Http404
    return station


@require_safe
def station_detail(request, pk: int):
    """A station: its parameters, last values and status, charts against the limit, aggregates, events."""
    station = _station_or_404(request, pk)
    user = request.user
    now = timezone.now()
    rng = RANGES_BY_KEY.get(request.GET.get("range", DEFAULT_RANGE), RANGES_BY_KEY[DEFAULT_RANGE])
    private = Station.objects.for_user_private(user).filter(pk=station.pk).exists()
    readings = Reading.objects.for_user(user)
    parameters = [sp.parameter for sp in station.station_parameters.select_related("parameter__unit")
                  .order_by("parameter__code")]
    latest = selectors.latest(station_ids=[station.pk], readings=readings).get(station.pk, {})
    limits = charts.limits_for([station], at=now)

    rows = []
    for p in parameters:
        last = latest.get(p.pk)
        status = charts.reading_status(last.status if last else None, last.observed_at if last else None, now=now)
        lines = limits.get((station.pk, p.pk), {})
        rows.append({"parameter": p, "last": last, "status": status, "limit": charts.chart_limit(lines, "raw"),
                     "lines": lines})
    station_status = charts.station_status(r["status"] for r in rows)

    start, end = _range_bounds(rng, now)
    chart_series = []
    for row in rows:
        p = row["parameter"]
        s = selectors.series(station=station.pk, parameter=p.pk, start=start, end=end, step=rng.step,
                             readings=readings)
        limit = charts.chart_limit(row["lines"], rng.step)
        # Raw readings under calibration or in error are not values: gaps in the line, counted.
        chart_series.append({
            "code": p.code, "name": p.name, "unit": p.unit.code,
            "t": [_epoch(pt.t) for pt in s.points],
            "v": [pt.value if (pt.status in (None, ReadingStatus.MEASURING)) else None for pt in s.points],
            "min": [pt.min for pt in s.points] if rng.step != "raw" else None,
            "max": [pt.max for pt in s.points] if rng.step != "raw" else None,
            "flagged": sum(1 for pt in s.points if pt.status not in (None, ReadingStatus.MEASURING))
            + sum(pt.calibrating + pt.error for pt in s.points),
            "limit": limit.as_json() if limit else None,
        })

    hour_start = (now - dt.timedelta(hours=24)).astimezone(TZ).replace(minute=0, second=0, microsecond=0)
    hourly = selectors.hourly_means(start=hour_start, end=now, station_ids=[station.pk], readings=readings)
    day_start = selectors.local_midnight(now.astimezone(TZ).date() - dt.timedelta(days=OUTFALL_DAYS - 1))
    daily = selectors.daily_means(start=day_start, end=now, station_ids=[station.pk], readings=readings)
    hourly_table = _pivot(hourly, "hour", parameters, limits, station.pk, ("1h", "instant"))
    daily_table = _pivot(daily, "day", parameters, limits, station.pk, ("24h",))

    context = {
        "station": station, "private": private, "rows": rows, "station_status": station_status,
        "status_styles": list(charts.STATUS_STYLES.values()),
        "ranges": RANGES, "range": rng, "step_label": STEP_LABELS[rng.step], "start": start, "end": end,
        "chart_data": json_for_script({"range": rng.key, "step": rng.step, "tz": LOCAL_TZ,
                                       "series": chart_series}),
        "parameters": parameters, "hourly_table": hourly_table, "daily_table": daily_table,
        # Events follow their own scope (ExceedanceEvent.objects.for_user): shown to the station's scope.
        "events": ExceedanceEvent.objects.for_user(user).open().filter(station=station)
        .select_related("parameter__unit").order_by("-started_at") if private else [],
        "public_window": station.facility_id is not None and not private,
        "public_days": OUTFALL_DAYS,
        "csv_url": reverse("monitoring:station-readings-csv", args=[station.pk]),
        "now": now,
    }
    return render(request, "monitoring/station_detail.html", context)


def _pivot(rows, key: str, parameters: list[Parameter], limits, station_pk: int, averagings: tuple[str, ...]):
    """Aggregate rows (HourlyMean / DailyMean) as a table: one line per hour or day, one cell per parameter,
    each cell marked when it breaks the limit of a matching window."""
    by_time: dict = defaultdict(dict)
    for r in rows:
        by_time[getattr(r, key)][r.parameter] = r
    lines = {p.pk: next((limits.get((station_pk, p.pk), {}).get(a) for a in averagings
                         if a in limits.get((station_pk, p.pk), {})), None) for p in parameters}
    table = []
    for when in sorted(by_time, reverse=True):
        cells = []
        for p in parameters:
            r = by_time[when].get(p.pk)
            limit = lines[p.pk]
            cells.append({"mean": r.mean if r else None, "n": r.n if r else 0,
                          "over": bool(r and limit and limit.exceeded_by(r.mean))})
        table.append({"when": when, "end": when + dt.timedelta(hours=1) if key == "hour" else None, "cells": cells})
    return {"rows": table, "limits": [lines[p.pk] for p in parameters]}


# --- CSV ------------------------------------------------------------------------------------

class _Echo:
    """A file-like whose write returns the line: csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


_STATUS_NAMES = {s.value: s.name.lower() for s in ReadingStatus}


def readings_csv_response(rows: Iterable[tuple], *, filename: str, bom: bool = False) -> StreamingHttpResponse:
    """Stream (station, parameter, unit, observed_at, value, status) rows as UTF-8 CSV.

    Times are written in UTC (RFC 3339) and in Vietnam time; `bom` prefixes the UTF-8 byte
    order mark that spreadsheet programs need to read Vietnamese names correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[bytes]:
        head = writer.writerow(["station", "parameter", "unit", "observed_at_utc", "observed_at_local", "value",
                                "status"])
        yield (("\ufeff" if bom else "") + head).encode()
        for station, parameter, unit, observed_at, value, status in rows:
            yield writer.writerow([
                station, parameter, unit, observed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                observed_at.astimezone(TZ).strftime("%Y-%m-%dT%H:%M:%S%z"), repr(value) if value is not None else "",
                _STATUS_NAMES.get(status, str(status))]).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_moment(text: str, *, end: bool) -> dt.datetime | None:
    """An ISO 8601 date-time (naive = Vietnam time) or date (a local day: its start, or as an end
    the next day's start); None when it is not one."""
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            if day is None:
                return None
            value = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(0), tzinfo=TZ)
    except ValueError:  # well formed but not a date (2026-02-30)
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=TZ)  # the portal's times are Vietnam's (base.html says so)
    return value


def _bad(errors: dict[str, list[str]]):
    return problem_response(status_code=400, code="validation_error", title=_("Invalid request"),
                            detail=_("The request has invalid fields; see 'errors'."), errors=errors)


@require_safe
def station_readings_csv(request, pk: int):
    """/readings.csv?parameter=&start=&end=: the station's readings in [start, end), at most a year."""
    station = _station_or_404(request, pk)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    invalid = [_("Give an ISO 8601 date or date-time.")]
    end = _csv_moment(request.GET["end"], end=True) if request.GET.get("end") else now
    if end is None:
        errors["end"] = invalid
    start = _csv_moment(request.GET["start"], end=False) if request.GET.get("start") else None
    if request.GET.get("start") and start is None:
        errors["start"] = invalid
    elif start is None and end is not None:
        start = end - CSV_DEFAULT_SPAN
    if not errors:
        if end <= start:
            errors["end"] = [_("The end must be after the start.")]
        elif end - start > CSV_MAX_SPAN:
            errors["start"] = [_("At most one year of readings per download.")]
    codes = [c.strip() for c in request.GET.get("parameter", "").split(",") if c.strip()]
    measured = {sp.parameter.code: sp.parameter
                for sp in station.station_parameters.select_related("parameter__unit")}
    unknown = [c for c in codes if c not in measured]
    if unknown:
        errors["parameter"] = [_("Not measured at this station: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if errors:
        return _bad(errors)
    chosen = {p.pk: p for code, p in measured.items() if not codes or code in codes}
    rows = (Reading.objects.for_user(request.user).filter(station_id=station.pk, parameter_id__in=list(chosen))
            .between(start, end).order_by("parameter_id", "observed_at")
            .values_list("parameter_id", "observed_at", "value", "status"))
    stream = ((station.code, chosen[p].code, chosen[p].unit.code, t, v, s) for p, t, v, s in rows.iterator())
    local_start, local_end = start.astimezone(TZ), end.astimezone(TZ)
    response = readings_csv_response(stream, bom=True,
                                     filename=f"{station.code}_{local_start:%Y%m%d%H%M}_{local_end:%Y%m%d%H%M}.csv")
    response["Cache-Control"] = "private, no-store"
    return response


# --- the public AQI map ------------------------------------------------------------------------

def _aqi_stations():
    """Published automatic ambient-air stations of the city network (what Decision 1459 publishes)."""
    return (Station.objects.published().city_network()
            .filter(kind=StationKind.AMBIENT_AIR, mode=StationMode.AUTOMATIC).order_by("code"))


def _category_json(cat) -> dict:
    return {"key": cat.key, "low": cat.low, "high": cat.high, "name": cat.name(), "colour": cat.hex,
            "health": _lang_text(cat.health), "advice_general": _lang_text(cat.advice_general),
            "advice_sensitive": _lang_text(cat.advice_sensitive)}


def _lang_text(texts) -> str:
    lang = (get_language() or "vi")[:2]
    return (texts or {}).get(lang) or (texts or {}).get("vi", "")


@require_safe
def aqi_map(request):
    """The latest hourly VN_AQI of each ambient station, coloured by category (Decision 1459 Table 1)."""
    from monitoring.domain.tables import load_aqi_table
    from monitoring.services.aqi import aqi_hour, latest_hourly_aqi

    table = load_aqi_table()
    now = timezone.now()
    hour = aqi_hour(now)
    stations = list(_aqi_stations())
    results = latest_hourly_aqi(stations=stations, at=now)
    items = []
    for station in stations:
        result = results.get(station.pk)
        aqi = result.aqi if result is not None else None
        subs = []
        if aqi is not None:
            for code in table.parameters:
                s = result.sub_indices.get(code)
                if s is not None:
                    subs.append({"parameter": code, "concentration": round(float(s.concentration), 1),
                                 "aqi": s.value, "averaging": str(s.averaging), "dominant": code == result.dominant})
        items.append({
            "id": station.pk, "code": station.code, "name": station.name,
            "lon": station.geom.x, "lat": station.geom.y, "aqi": aqi,
            "category": _category_json(result.category) if aqi is not None else None,
            "dominant": result.dominant if aqi is not None else None, "sub_indices": subs,
            "url": reverse("monitoring:station-detail", args=[station.pk]),
        })
    legend = [_category_json(c) for c in table.categories]
    lang = (get_language() or "vi")[:2]
    options = {
        "stations": items, "legend": legend, "hour": hour.isoformat(),
        "units_url": reverse("adminunit-geojson") + "?simplify=0.0005",
        "basemap": settings.BASEMAP_TILE_URL, "basemap_attribution": settings.BASEMAP_ATTRIBUTION,
        "labels": {"aqi": "VN_AQI", "dominant": _("dominant"), "details": _("Station page"),
                   "no_data": _("No AQI for this hour"), "parameter": _("Parameter"),
                   "concentration": _("Concentration (µg/m³)"), "sub_index": _("Sub-index"),
                   "sensitive": _("Sensitive groups"), "general": _("Everyone")},
    }
    return render(request, "monitoring/aqi_map.html", {
        "map_options": json_for_script(options), "stations": items, "legend": legend, "hour": hour,
        "method": table.title.get(lang) or table.title.get("vi", ""), "legal_basis": table.legal_basis,
    })


# --- the outfall disclosure (Decree 08/2022) -------------------------------------------------------

@require_safe
def outfalls(request):
    """Facilities' automatic outfall and stack stations: the last 30 days' daily maxima against the permit."""
    now = timezone.now()
    stations = list(Station.objects.for_user(request.user)
                    .filter(facility__isnull=False, kind__in=(StationKind.WASTEWATER, StationKind.STACK),
                            mode=StationMode.AUTOMATIC)
                    .select_related("facility", "discharge_stream").prefetch_related("station_parameters__parameter__unit")
                    .order_by("facility__name", "code"))
    start = selectors.local_midnight(now.astimezone(TZ).date() - dt.timedelta(days=OUTFALL_DAYS - 1))
    days = charts.daily_maxima(start=start, end=now, station_ids=[s.pk for s in stations],
                               readings=Reading.objects.for_user(request.user)) if stations else {}
    limits = charts.limits_for(stations, at=now) if stations else {}
    blocks = []
    for station in stations:
        params = sorted((sp.parameter for sp in station.station_parameters.all()), key=lambda p: p.code)
        lines = [charts.compliance_limit(limits.get((station.pk, p.pk))) for p in params]
        table = []
        station_days = days.get(station.pk, {})
        for day in sorted(station_days, reverse=True):
            cells = []
            for p, line in zip(params, lines, strict=True):
                figures = station_days[day].get(p.pk)
                value = figures.for_limit(line) if figures else None
                cells.append({"value": value, "over": bool(value is not None and line and line.exceeded_by(value))})
            table.append({"day": day, "cells": cells})
        blocks.append({"station": station, "parameters": params, "limits": lines, "rows": table,
                       "exceedances": sum(c["over"] for r in table for c in r["cells"])})
    return render(request, "monitoring/outfalls.html", {"blocks": blocks, "days": OUTFALL_DAYS, "start": start,
                                                        "now": now})
