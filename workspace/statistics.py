"""The officers' statistics (issue 7, "Statistics pages"): one selector per measure, each taking
the user (whose scope bounds everything), a dimension and a range of years, and returning a
Statistic: rows by dimension value, their total, and for some measures a breakdown table.

Where the figures come from:
- wastewater volume, hazardous waste (by CTNH code) and ordinary solid waste: the structured
  data of the annual reports, totalled by reports.analytics.query_table (one SQL statement per
  year; the reports counted are the received ones in the user's scope, i.e. submitted at least
  once, with the data of their latest submission; drafts never count);
- exceedances: monitoring.models.ExceedanceEvent of the stations in scope, by the year the
  event started (local time), counted in one GROUP BY;
- AQI days: the daily VN_AQI of the ambient air stations in scope, from the monitoring AQI
  service (the day statistics come from PostgreSQL in one query; what is left per station-day
  is a handful of numbers), counted by category.

A range is at most MAX_YEARS years, which bounds the number of queries.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from monitoring.choices import StationKind
from monitoring.domain.tables import load_aqi_table
from monitoring.models import ExceedanceEvent, Station
from monitoring.selectors import TZ, local_midnight
from reports.analytics import MEASURES as REPORT_MEASURES
from reports.analytics import query_table

MAX_YEARS = 5
YEAR = "year"
DIMENSIONS: dict[str, Any] = {
    "commune": _("Commune"),
    "zone": _("Zone"),
    "sector": _("Sector"),
    YEAR: _("Year"),
}


@dataclass(frozen=True)
class Column:
    """A numeric column of a statistic; charted columns are stacked in the bar chart."""

    key: str
    label: Any
    charted: bool = False
    colour: str = ""
    unit: str = ""


@dataclass
class Statistic:
    """The answer to one question: rows by dimension value, their total and an optional breakdown."""

    measure: str
    dimension: str
    first_year: int
    last_year: int
    columns: tuple[Column, ...]
    rows: list[dict] = field(default_factory=list)  # {"key", "label", <column key>: value, ...}
    total: dict = field(default_factory=dict)  # {<column key>: value}
    detail_label: Any = ""
    detail_columns: tuple[Column, ...] = ()
    details: list[dict] = field(default_factory=list)  # {"key", "label", "detail", <column key>: value}

    @property
    def spec(self) -> MeasureSpec:
        return MEASURES[self.measure]

    @property
    def dimension_label(self) -> Any:
        return DIMENSIONS[self.dimension]

    @property
    def charted(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.charted)


# --- report measures (reports.analytics) ------------------------------------------------------

_VALUE_COLUMNS = ("value", "reports", "ignored")


def _report_columns(spec: MeasureSpec) -> tuple[Column, ...]:
    return (Column("value", spec.label, charted=True, colour="#2b83ba", unit=spec.unit), Column("reports", _("Reports")),
            Column("ignored", _("Values ignored")))


def _add(target: dict, key, base: dict, values: dict) -> None:
    """Add `values` to the row `key` of `target`, creating it from `base` (group rows, not readings)."""
    row = target.get(key)
    if row is None:
        target[key] = {**base, **values}
        return
    for name, value in values.items():
        row[name] += value


def _ordered(rows: dict, dimension: str, columns: tuple[Column, ...]) -> list[dict]:
    """Years in order; other dimensions largest first (the charted columns' sum), then by name."""
    items = list(rows.values())
    if dimension == YEAR:
        return sorted(items, key=lambda r: int(r["key"]))
    charted = [c.key for c in columns if c.charted] or [columns[0].key]
    return sorted(items, key=lambda r: (-sum(r[c] for c in charted), r["label"] is None, r["label"] or ""))


def _ordered_details(details: dict, rows: list[dict], column: str) -> list[dict]:
    """Breakdown rows in the order of their group in the main table, then largest first."""
    rank = {r["key"]: n for n, r in enumerate(rows)}
    return sorted(details.values(), key=lambda r: (rank.get(r["key"], len(rank)), -r[column], r["detail"] or ""))


def _report_statistic(*, measure: str, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """`measure` (a reports.analytics measure) by `dimension`, summed over the years of the range."""
    spec = MEASURES[measure]
    columns = _report_columns(spec)
    # The year is no dimension of reports.analytics: group by form (no joins) and key by year.
    by = "form" if dimension == YEAR else dimension
    rows: dict = {}
    details: dict = {}
    total = dict.fromkeys(_VALUE_COLUMNS, 0)
    for year in range(first_year, last_year + 1):
        result = query_table(user=user, measure=spec.analytics, dimension=by, year=year)
        for r in result.rows:
            key, label = (str(year), str(year)) if dimension == YEAR else (r["dim_key"], r["dim_label"])
            _add(rows, key, {"key": key, "label": label}, {c: r[c] for c in _VALUE_COLUMNS})
        for c in _VALUE_COLUMNS:
            total[c] += (result.total or {}).get(c) or 0
        if spec.detail:
            result = query_table(user=user, measure=spec.analytics, dimension=by, year=year, breakdown=True)
            for r in result.rows:
                key, label = (str(year), str(year)) if dimension == YEAR else (r["dim_key"], r["dim_label"])
                _add(details, (key, r["detail"]), {"key": key, "label": label, "detail": r["detail"]},
                     {c: r[c] for c in ("value", "reports")})
    analytics = REPORT_MEASURES[spec.analytics]
    ordered = _ordered(rows, dimension, columns)
    return Statistic(
        measure=measure, dimension=dimension, first_year=first_year, last_year=last_year, columns=columns,
        rows=ordered, total=total if rows else {},
        detail_label=analytics.detail_label if spec.detail else "",
        detail_columns=columns[:2] if spec.detail else (),
        details=_ordered_details(details, ordered, "value"),
    )


def wastewater_volume(*, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """Wastewater discharged (m³, the reports' wastewater works) by dimension."""
    return _report_statistic(measure="wastewater", user=user, dimension=dimension, first_year=first_year,
                             last_year=last_year)


def hazardous_waste(*, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """Hazardous waste (kg) by dimension, with a breakdown by CTNH code."""
    return _report_statistic(measure="hazardous_waste", user=user, dimension=dimension, first_year=first_year,
                             last_year=last_year)


def solid_waste(*, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """Ordinary solid waste (kg) by dimension, with a breakdown by waste kind."""
    return _report_statistic(measure="solid_waste", user=user, dimension=dimension, first_year=first_year,
                             last_year=last_year)


# --- monitoring measures -----------------------------------------------------------------------

def _station_dimension(dimension: str, prefix: str, year_field: str | None = None) -> tuple[dict, tuple[str, ...]]:
    """ORM expressions of a station-based dimension: {"k": key} and the label fields to read with it."""
    if dimension == "commune":
        return {"k": F(f"{prefix}admin_unit_id")}, (f"{prefix}admin_unit__name",)
    if dimension == "zone":
        return {"k": F(f"{prefix}facility__zone_id")}, (f"{prefix}facility__zone__name",)
    if dimension == "sector":
        return ({"k": F(f"{prefix}facility__sector_id")},
                (f"{prefix}facility__sector__name_vi", f"{prefix}facility__sector__name_en"))
    if dimension == YEAR and year_field:
        return {"k": ExtractYear(year_field, tzinfo=TZ)}, ()
    raise ValueError(f"unknown dimension: {dimension}")


def _label(dimension: str, key, names: tuple) -> str | None:
    """The display name of a group: the year, or the name (a sector's English one in English)."""
    if dimension == YEAR:
        return str(key)
    if dimension == "sector" and names[1] and (get_language() or "vi").startswith("en"):
        return names[1]
    return names[0] if names else None


def _key(key) -> str | None:
    return None if key is None else str(key)


def _year_bounds(first_year: int, last_year: int) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(dt.date(first_year, 1, 1)), local_midnight(dt.date(last_year + 1, 1, 1))


def exceedances(*, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """Exceedance events of the stations in scope that started in the range, by dimension, with a
    breakdown by parameter."""
    start, end = _year_bounds(first_year, last_year)
    events = ExceedanceEvent.objects.for_user(user).filter(started_at__gte=start, started_at__lt=end).order_by()
    key, names = _station_dimension(dimension, "station__", "started_at")
    columns = (Column("events", _("Events"), charted=True, colour="#d7191c"), Column("stations", _("Stations")))
    rows: dict = {}
    for r in events.annotate(**key).values("k", *names).annotate(
            events=Count("pk"), stations=Count("station_id", distinct=True)):
        k = _key(r["k"])
        _add(rows, k, {"key": k, "label": _label(dimension, r["k"], tuple(r[n] for n in names))},
             {"events": r["events"], "stations": r["stations"]})
    details: dict = {}
    for r in events.annotate(**key, detail=F("parameter__code")).values("k", *names, "detail").annotate(
            events=Count("pk")):
        k = _key(r["k"])
        _add(details, (k, r["detail"]), {"key": k, "label": _label(dimension, r["k"], tuple(r[n] for n in names)),
                                         "detail": r["detail"]}, {"events": r["events"]})
    total = events.aggregate(events=Count("pk"), stations=Count("station_id", distinct=True)) if rows else {}
    ordered = _ordered(rows, dimension, columns)
    return Statistic(measure="exceedances", dimension=dimension, first_year=first_year, last_year=last_year,
                     columns=columns, rows=ordered, total=total, detail_label=_("Parameter"),
                     detail_columns=columns[:1], details=_ordered_details(details, ordered, "events"))


NO_DATA = "no_data"
AQI_CACHE_SECONDS = 3600


def aqi_columns() -> tuple[Column, ...]:
    """One column per VN_AQI category (Decision 1459 Table 1, in its colours), then the days without an AQI."""
    language = get_language()
    return (*(Column(c.key, c.name(language), charted=True, colour=c.hex) for c in load_aqi_table().categories),
            Column(NO_DATA, _("No data")))


def _daily_aqi(station_ids: list[int], first: dt.date, last: dt.date) -> dict:
    # The monitoring service's daily AQI over any span (month_of_aqi is the same call for one month).
    from monitoring.services.aqi import days_of_aqi

    return days_of_aqi(stations=station_ids, first=first, last=last)


def station_day_counts(station_ids: list[int], first: dt.date, last: dt.date) -> dict[int, Counter]:
    """{station id: Counter((year, category key or NO_DATA))} of the days first..last.

    Computed a calendar year at a time (one day-statistics query each) and cached for an hour
    per year and set of stations: a year of 5-minute readings takes PostgreSQL seconds (about
    5 s for the ten demo air stations), while the counts are small, so switching the dimension,
    downloading the table or widening the range reuses them.
    """
    counts: dict[int, Counter] = {s: Counter() for s in station_ids}
    stations = ",".join(map(str, sorted(station_ids)))
    for year in range(first.year, last.year + 1):
        start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
        digest = hashlib.sha256(f"{stations}|{start}|{end}".encode()).hexdigest()[:32]
        key = f"workspace:aqi-days:{digest}"
        part = cache.get(key)
        if part is None:
            part = {station_id: Counter(d.result.category.key if d.result.aqi is not None else NO_DATA for d in days)
                    for station_id, days in _daily_aqi(station_ids, start, end).items()}
            cache.set(key, part, AQI_CACHE_SECONDS)
        for station_id, by_category in part.items():
            counts[station_id].update({(year, category): n for category, n in by_category.items()})
    return counts


def aqi_days(*, user, dimension: str, first_year: int, last_year: int,
             today: dt.date | None = None) -> Statistic:
    """Station-days of the ambient air stations in scope by daily VN_AQI category, by dimension.

    Days after `today` (local) are not counted; a day with too few readings for an AQI counts as no data.
    """
    columns = aqi_columns()
    keys = [c.key for c in columns]
    stations = Station.objects.for_user_private(user).filter(kind=StationKind.AMBIENT_AIR).order_by()
    first = dt.date(first_year, 1, 1)
    last = min(dt.date(last_year, 12, 31), today or timezone.localdate())
    rows: dict = {}
    if dimension == YEAR:
        groups = dict.fromkeys(stations.values_list("pk", flat=True))
    else:
        key, names = _station_dimension(dimension, "")
        groups = {r["pk"]: (_key(r["k"]), _label(dimension, r["k"], tuple(r[n] for n in names)))
                  for r in stations.annotate(**key).values("pk", "k", *names)}
    if groups and first <= last:
        for station_id, counts in station_day_counts(list(groups), first, last).items():
            for (year, category), n in counts.items():
                key, label = (str(year), str(year)) if dimension == YEAR else groups[station_id]
                _add(rows, key, {"key": key, "label": label, **dict.fromkeys(keys, 0)}, {category: n})
    total = {k: sum(r[k] for r in rows.values()) for k in keys} if rows else {}
    return Statistic(measure="aqi_days", dimension=dimension, first_year=first_year, last_year=last_year,
                     columns=columns, rows=_ordered(rows, dimension, columns), total=total)


# --- the catalogue of measures -------------------------------------------------------------------

@dataclass(frozen=True)
class MeasureSpec:
    """A measure of the statistics page: its label, unit, where its figures come from, and its selector."""

    label: Any
    basis: Any  # which records count (said on the page)
    selector: Callable[..., Statistic]
    analytics: str = ""  # the reports.analytics measure it totals
    detail: bool = False  # with a breakdown table (CTNH code, waste kind, parameter)

    @property
    def unit(self) -> str:
        return REPORT_MEASURES[self.analytics].unit if self.analytics else ""


REPORT_BASIS = _("Counted: the annual reports received in your scope (submitted at least once, whatever their "
                 "review status), with the data of their latest submission; drafts never count. Values that are "
                 "not plain numbers are left out and counted as ignored.")
MEASURES: dict[str, MeasureSpec] = {
    "wastewater": MeasureSpec(_("Wastewater volume"), REPORT_BASIS, wastewater_volume, "wastewater_m3"),
    "hazardous_waste": MeasureSpec(_("Hazardous waste"), REPORT_BASIS, hazardous_waste, "hazardous_waste_kg",
                                   detail=True),
    "solid_waste": MeasureSpec(_("Ordinary solid waste"), REPORT_BASIS, solid_waste, "solid_waste_kg", detail=True),
    "exceedances": MeasureSpec(
        _("Exceedances"), _("Counted: the exceedance events of the monitoring stations in your scope, in the year "
                            "they started (local time)."), exceedances, detail=True),
    "aqi_days": MeasureSpec(
        _("AQI days by category"), _("Counted: station-days of the ambient air stations in your scope by their daily "
                                     "VN_AQI (Decision 1459/QĐ-TCMT); a day without enough readings is “no data”; "
                                     "days still to come are not counted. Recomputed at most every hour."),
        aqi_days),
}


def statistic(*, measure: str, user, dimension: str, first_year: int, last_year: int) -> Statistic:
    """Dispatch to the measure's selector, after checking the measure, dimension and range."""
    if measure not in MEASURES or dimension not in DIMENSIONS:
        raise ValueError(f"unknown measure or dimension: {measure}, {dimension}")
    if not 0 <= last_year - first_year < MAX_YEARS:
        raise ValueError(f"a range covers 1 to {MAX_YEARS} years")
    return MEASURES[measure].selector(user=user, dimension=dimension, first_year=first_year, last_year=last_year)


__all__ = ["DIMENSIONS", "MAX_YEARS", "MEASURES", "Column", "Statistic", "aqi_days", "exceedances",
           "hazardous_waste", "solid_waste", "statistic", "wastewater_volume"]
