"""What the station page, the outfall table and the AQI map need besides the selectors:
the limit in force for a station's parameter, and the station and parameter status colours.

Limits (monitoring.domain.limits holds the rules): a limit written in the permit for the
station's discharge stream wins (Decree 08/2022); otherwise the regulation and column the
stream names (QCVN 40:2011 B, ...) with its Kq×Kf or Kp×Kv applied; for an ambient station
of the city network, the ambient regulation in force (QCVN 05:2023). The rows come from the
LimitValue and PermitLimit tables (loaded from fixtures/), in three queries for any number
of stations.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.choices import Averaging, Medium, ReadingStatus, StationKind
from monitoring.domain import limits as domain
from monitoring.domain.units import UnitError, convert
from monitoring.models import LimitSet, LimitValue, PermitLimit, Station

# A station that sent nothing for an hour is shown as "no data" (Circular 10/2021: values
# are transmitted within 5 minutes of being produced).
NO_DATA_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class StatusStyle:
    key: str
    label: str
    colour: str


STATUS_STYLES = {
    "measuring": StatusStyle("measuring", gettext_lazy("Measuring"), "#1a9641"),
    "calibrating": StatusStyle("calibrating", gettext_lazy("Calibrating"), "#2b83ba"),
    "error": StatusStyle("error", gettext_lazy("Instrument error"), "#d7191c"),
    "no_data": StatusStyle("no_data", gettext_lazy("No data for over an hour"), "#8a949e"),
}
_STATUS_KEYS = {ReadingStatus.MEASURING: "measuring", ReadingStatus.CALIBRATING: "calibrating",
                ReadingStatus.ERROR: "error"}


def reading_status(status: int | None, observed_at: dt.datetime | None, *, now: dt.datetime) -> StatusStyle:
    """The colour of a parameter (or station) from its last reading: its status, or "no data" when older than 1 h."""
    if observed_at is None or now - observed_at > NO_DATA_AFTER:
        return STATUS_STYLES["no_data"]
    return STATUS_STYLES[_STATUS_KEYS.get(status, "error")]


def station_status(statuses: Iterable[StatusStyle]) -> StatusStyle:
    """A station's colour: the worst of its parameters' (error, calibrating, measuring; no data if all are)."""
    keys = {s.key for s in statuses}
    for key in ("error", "calibrating", "measuring"):
        if key in keys:
            return STATUS_STYLES[key]
    return STATUS_STYLES["no_data"]


@dataclass(frozen=True)
class LimitLine:
    """A limit drawn on a chart or compared in a table: bounds in the parameter's unit, and where it comes from."""

    averaging: str
    lower: float | None
    upper: float | None
    source: str
    certainty: str

    @property
    def label(self) -> str:
        bounds = (f"{self.lower:g}–{self.upper:g}" if self.lower is not None and self.upper is not None
                  else f"≥ {self.lower:g}" if self.lower is not None else f"≤ {self.upper:g}")
        return f"{self.source}, {Averaging(self.averaging).label}: {bounds}"

    def exceeded_by(self, value: float | None) -> bool:
        limit = domain.Limit(_dec(self.lower), _dec(self.upper), "", self.averaging)
        return domain.exceeds(value, limit)

    def as_json(self) -> dict:
        return {"averaging": self.averaging, "lower": self.lower, "upper": self.upper, "label": self.label,
                "certainty": self.certainty}


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def _in_unit(value: float | None, unit: str, parameter) -> float | None:
    """A limit bound in the parameter's canonical unit; UnitError when it does not convert."""
    if value is None or unit == parameter.unit.code:
        return value
    # Ambient and stack analysers report at reference conditions (25 °C, 760 mmHg): m³ = Nm³.
    return convert(value, unit, parameter.unit.code, molar_mass=parameter.molar_mass, reference_conditions=True)


def _line(limit: domain.Limit, parameter) -> LimitLine | None:
    try:
        lower = _in_unit(float(limit.lower) if limit.lower is not None else None, limit.unit, parameter)
        upper = _in_unit(float(limit.upper) if limit.upper is not None else None, limit.unit, parameter)
    except UnitError:
        return None  # a limit we cannot express in the reading's unit is not drawn
    if lower is None and upper is None:
        return None
    return LimitLine(limit.averaging, lower, upper, limit.source, limit.certainty)


def _value_row(v: LimitValue, regulation: str) -> domain.LimitValue:
    return domain.LimitValue(parameter=str(v.parameter_id), averaging=v.averaging, lower=_dec(v.lower),
                             upper=_dec(v.upper), unit=v.unit.code, effective_from=v.valid_from,
                             effective_to=v.valid_to, multiplied=v.multiplied, certainty=v.certainty,
                             regulation=regulation)


def _ambient_set_q(day: dt.date) -> Q:
    return (Q(medium=Medium.AMBIENT_AIR, effective_from__lte=day)
            & (Q(effective_to__isnull=True) | Q(effective_to__gte=day)))


def limits_for(stations: Sequence[Station], *, at: dt.datetime) -> dict[tuple[int, int], dict[str, LimitLine]]:
    """(station pk, parameter pk) → averaging → the limit in force at `at` (permit first).

    `stations` should come with select_related("discharge_stream") (one query for all)."""
    day = domain.local_day(at)
    out: dict[tuple[int, int], dict[str, LimitLine]] = defaultdict(dict)
    streams = {s.discharge_stream_id: s for s in stations if s.discharge_stream_id}
    # 1. regulation columns named by the discharge streams, and the ambient regulation
    wanted: dict[tuple[str, str], list[Station]] = defaultdict(list)
    ambient = [s for s in stations if s.kind == StationKind.AMBIENT_AIR and not s.discharge_stream_id]
    for s in stations:
        stream = s.discharge_stream if s.discharge_stream_id else None
        if stream is not None and stream.regulation:
            wanted[(stream.regulation.strip().lower(), stream.regulation_column.strip().lower())].append(s)
    set_q = Q(pk__in=[])
    for code, column in wanted:
        set_q |= Q(code__iexact=code, column__iexact=column)
    if ambient:
        set_q |= _ambient_set_q(day)
    sets = list(LimitSet.objects.filter(set_q)) if (wanted or ambient) else []
    values: dict[int, list[LimitValue]] = defaultdict(list)
    for v in LimitValue.objects.filter(limit_set__in=sets).select_related("unit", "parameter__unit"):
        values[v.limit_set_id].append(v)
    parameters = {v.parameter_id: v.parameter for rows in values.values() for v in rows}
    for limit_set in sets:
        rows = values[limit_set.pk]
        label = str(limit_set)
        domain_rows = [_value_row(v, label) for v in rows]
        multiplied = {v.parameter_id: v.multiplied for v in rows}
        if limit_set.medium == Medium.AMBIENT_AIR and (limit_set.code.lower(), limit_set.column.lower()) not in wanted:
            targets = ambient
        else:
            targets = wanted.get((limit_set.code.lower(), limit_set.column.lower()), [])
        for station in targets:
            stream = station.discharge_stream if station.discharge_stream_id else None
            for parameter_id, averaging in {(v.parameter_id, v.averaging) for v in rows}:
                limit = domain.limit_in_force(domain_rows, parameter=str(parameter_id), averaging=averaging, at=day)
                if limit is None:
                    continue
                if stream is not None:
                    limit = _with_factors(limit, stream, multiplied[parameter_id])
                line = _line(limit, parameters[parameter_id])
                if line is not None:
                    out[(station.pk, parameter_id)][averaging] = line
    # 2. the permit's own limits take precedence
    if streams:
        for pl in PermitLimit.objects.filter(discharge_stream__in=list(streams)).select_related(
                "unit", "parameter__unit"):
            limit = domain.Limit(_dec(pl.lower), _dec(pl.upper), pl.unit.code, pl.averaging, _("permit"))
            line = _line(limit, pl.parameter)
            if line is not None:
                out[(streams[pl.discharge_stream_id].pk, pl.parameter_id)][pl.averaging] = line
    return dict(out)


def _with_factors(limit: domain.Limit, stream, multiplied: bool) -> domain.Limit:
    """Cmax = C × Kq × Kf (QCVN 40:2011) or C × Kp × Kv (QCVN 19:2009), with the stream's factors."""
    water = {"kq": stream.factor_kq, "kf": stream.factor_kf}
    air = {"kp": stream.factor_kp, "kv": stream.factor_kv}
    factors = {k: v for k, v in water.items() if v is not None} or {k: v for k, v in air.items() if v is not None}
    if not factors:
        return limit
    return domain.apply_factors(limit, multiplied=multiplied, **factors)


# Which window's limit a chart shows, by the chart's step: the closest averaging first.
_PREFERENCE = {
    "raw": (Averaging.INSTANT, Averaging.HOUR, Averaging.EIGHT_HOURS, Averaging.DAY),
    "hour": (Averaging.HOUR, Averaging.INSTANT, Averaging.EIGHT_HOURS, Averaging.DAY),
    "day": (Averaging.DAY, Averaging.HOUR, Averaging.INSTANT, Averaging.EIGHT_HOURS),
}


def chart_limit(lines: dict[str, LimitLine] | None, step: str) -> LimitLine | None:
    """The limit line to draw on a chart of `step` ("raw", "hour", "day"); the yearly limit never."""
    for averaging in _PREFERENCE[step]:
        if lines and averaging in lines:
            return lines[averaging]
    return None


# Which limit the outfall disclosure compares: each result (QCVN 40/19 set no averaging
# time), else the permit's hourly limit, else a daily one.
_COMPLIANCE = (Averaging.INSTANT, Averaging.HOUR, Averaging.DAY)


def compliance_limit(lines: dict[str, LimitLine] | None) -> LimitLine | None:
    """The limit a facility's daily figure is compared with on the disclosure page, or None."""
    for averaging in _COMPLIANCE:
        if lines and averaging in lines:
            return lines[averaging]
    return None


@dataclass(frozen=True)
class DayFigures:
    """One local day of a station's parameter: the largest valid reading, the largest hourly mean, the daily mean."""

    max_reading: float
    max_hourly: float
    mean: float

    def for_limit(self, line: LimitLine | None) -> float:
        """The figure comparable with `line`: a reading for an instant limit, an hourly mean for 1 h, the day's mean for 24 h."""
        if line is None or line.averaging == Averaging.INSTANT:
            return self.max_reading
        return self.max_hourly if line.averaging != Averaging.DAY else self.mean


def daily_maxima(*, start: dt.datetime, end: dt.datetime, station_ids: Sequence[int], readings=None
                 ) -> dict[int, dict[dt.date, dict[int, DayFigures]]]:
    """{station: {local day: {parameter: DayFigures}}} of the valid readings in [start, end), in one query.

    Built on selectors.readings_source (bounded on the partition key, scoped by `readings`);
    days and hours are Vietnam's (Asia/Ho_Chi_Minh), as in monitoring.selectors.
    """
    from django.db import connection

    from monitoring.domain.windows import LOCAL_TZ
    from monitoring.selectors import readings_source

    source, params = readings_source(start=start, end=end, readings=readings, station_ids=station_ids,
                                     valid_only=True)
    sql = (f"SELECT h.station_id, h.parameter_id, (h.hour AT TIME ZONE '{LOCAL_TZ}')::date AS day, "
           "max(h.top), max(h.mean), avg(h.mean) FROM ("
           f"SELECT r.station_id, r.parameter_id, date_trunc('hour', r.observed_at, '{LOCAL_TZ}') AS hour, "
           f"avg(r.value) AS mean, max(r.value) AS top FROM ({source}) r GROUP BY 1, 2, 3) h "
           "GROUP BY 1, 2, 3 ORDER BY 1, 3, 2")
    out: dict[int, dict[dt.date, dict[int, DayFigures]]] = defaultdict(lambda: defaultdict(dict))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for station_id, parameter_id, day, top, hourly, mean in cursor.fetchall():
            out[station_id][day][parameter_id] = DayFigures(float(top), float(hourly), float(mean))
    return {s: dict(d) for s, d in out.items()}
