"""A station's batch of readings, parsed, checked against the station and the catalogue,
converted to canonical units and written all or nothing.

The same path serves the push API (JSON or datalogger text) and the file-drop ingester:
parse (monitoring.ingest.parsing, with `resolver(station)` as the parameter look-up), then
`ingest_batch()`. Rules, beyond the parser's (see its docstring):

- Any rejected row refuses the whole batch: nothing is written and every rejected row is
  listed with its reason, so the sender can correct and re-send the transmission as is.
- A parameter must be one the station measures (StationParameter); a known parameter the
  station does not measure is a row error ("not_measured"), never silently stored.
- Values are stored in the parameter's canonical unit (monitoring.domain.units.convert, with
  the parameter's molar mass for ppm ↔ µg/m³). An empty unit means the canonical unit. An
  unknown unit, or one that does not convert, is a row error ("unit").
- For ambient-air parameters m³ is taken as Nm³: ambient analysers report at reference
  conditions, which VN_AQI (µg/m³) and QCVN 05:2023 (µg/Nm³) both assume [U] (see units.py).
  For stacks the two differ by the flue-gas conditions, so mg/m³ → mg/Nm³ is refused.
- Parameter names are matched on the code and the aliases, ignoring case, diacritics,
  spaces and the separators "-_.,"; a name several media share ("COD", "Temp", "SO2") is
  taken as the parameter the station measures, else the one of the station's medium.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from monitoring.choices import Medium, ReadingStatus, StationKind
from monitoring.domain.units import UnitError, convert, normalise_parameter_text, unit_code
from monitoring.ingest.parsing import ErrorCode, ParseResult, ReadingColumns, ReadingRow
from monitoring.models import Parameter, Station, StationParameter, Unit
from monitoring.services.ingest import write_readings

# Row error codes added to monitoring.ingest.parsing.ErrorCode by the checks made here.
NOT_MEASURED = "not_measured"
UNIT = "unit"
# File-level codes that mean "the body is over a size limit" (HTTP 413 in the push API).
SIZE_CODES = frozenset({str(ErrorCode.TOO_LARGE), str(ErrorCode.TOO_MANY_ROWS)})

KIND_MEDIUM: dict[str, str] = {
    StationKind.AMBIENT_AIR: Medium.AMBIENT_AIR,
    StationKind.SURFACE_WATER: Medium.WATER,
    StationKind.GROUNDWATER: Medium.WATER,
    StationKind.SEAWATER: Medium.WATER,
    StationKind.WASTEWATER: Medium.WASTEWATER,
    StationKind.STACK: Medium.EMISSION,
}
_STATUS = {name: ReadingStatus[name.upper()].value for name in ("measuring", "calibrating", "error")}


def fold_parameter_name(text: str) -> str:
    """The form parameter names are compared in: no case, diacritics, spaces or "-_.,"."""
    decomposed = unicodedata.normalize("NFKD", normalise_parameter_text(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    """What the ingest needs of a catalogue parameter (no model instance kept per row)."""

    pk: int
    code: str
    unit: str  # canonical unit code
    medium: str
    molar_mass: Decimal | None = None


class ParameterLookup:
    """The parameter catalogue as a look-up (text as written -> parameter code), for one station or none.

    Built once per request or file; callable, so it is the parsers' ``resolve_parameter``.
    """

    def __init__(self, parameters: Iterable[ParameterInfo], aliases: dict[str, tuple[str, ...]] | None = None, *,
                 station: Station | None = None, measured: Iterable[int] = ()) -> None:
        self.by_code: dict[str, ParameterInfo] = {info.code: info for info in parameters}
        self.station_id = station.pk if station is not None else None
        self.medium = KIND_MEDIUM.get(station.kind) if station is not None else None
        self.measured = frozenset(measured)
        self._spellings: dict[str, list[str]] = {}
        # Exact codes first, so that with no station to prefer, "SO2" is the parameter coded SO2.
        for info in self.by_code.values():
            self._spellings.setdefault(fold_parameter_name(info.code), []).append(info.code)
        for code, names in (aliases or {}).items():
            for alias in names:
                codes = self._spellings.setdefault(fold_parameter_name(alias), [])
                if code not in codes:
                    codes.append(code)

    def for_station(self, station: Station, measured: Iterable[int]) -> ParameterLookup:
        """The same catalogue, preferring what `station` measures, then its medium."""
        lookup = copy.copy(self)
        lookup.station_id, lookup.medium = station.pk, KIND_MEDIUM.get(station.kind)
        lookup.measured = frozenset(measured)
        return lookup

    def candidates(self, text: str) -> list[str]:
        """Every parameter code `text` may mean, in catalogue order."""
        return self._spellings.get(fold_parameter_name(text), [])

    def __call__(self, text: str) -> str | None:
        codes = self.candidates(text)
        if len(codes) > 1:
            for prefer in (lambda i: i.pk in self.measured, lambda i: i.medium == self.medium):
                chosen = [c for c in codes if prefer(self.by_code[c])]
                if chosen:
                    return chosen[0]
        return codes[0] if codes else None

    def get(self, code: str) -> ParameterInfo:
        """The parameter with this code (as the look-up returned it); raises KeyError."""
        return self.by_code[code]


def _catalogue() -> tuple[list[ParameterInfo], dict[str, tuple[str, ...]]]:
    infos, aliases = [], {}
    rows = Parameter.objects.order_by("pk").values_list("pk", "code", "unit__code", "medium", "molar_mass", "aliases")
    for pk, code, unit, medium, molar_mass, names in rows:
        infos.append(ParameterInfo(pk, code, unit, medium, molar_mass))
        aliases[code] = tuple(names or ())
    return infos, aliases


def measured_parameter_ids(station: Station) -> frozenset[int]:
    """The parameters `station` measures (StationParameter)."""
    return frozenset(StationParameter.objects.filter(station=station).values_list("parameter_id", flat=True))


# The catalogue look-up is built once and kept in the cache: a datalogger pushes every few
# minutes and the catalogue changes a few times a year. Saving or deleting a parameter or a
# unit drops it (signals below); another process's copy lives at most CATALOGUE_TTL seconds.
CATALOGUE_CACHE_KEY = "monitoring:parameter-lookup:v1"
CATALOGUE_TTL = 60


def catalogue_lookup() -> ParameterLookup:
    """The whole catalogue as a look-up, with no station preference (cached)."""
    lookup = cache.get(CATALOGUE_CACHE_KEY)
    if lookup is None:
        infos, aliases = _catalogue()
        lookup = ParameterLookup(infos, aliases)
        cache.set(CATALOGUE_CACHE_KEY, lookup, CATALOGUE_TTL)
    return lookup


@receiver([post_save, post_delete], sender=Parameter, dispatch_uid="monitoring-catalogue-parameter")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="monitoring-catalogue-unit")
def forget_catalogue_lookup(**_kwargs: Any) -> None:
    """A parameter or unit changed: the next batch rebuilds the look-up."""
    cache.delete(CATALOGUE_CACHE_KEY)


def resolver(station: Station | None = None) -> ParameterLookup:
    """The parameter look-up (the catalogue from the cache, and one query for what `station`
    measures), preferring `station`'s parameters."""
    lookup = catalogue_lookup()
    if station is None:
        return lookup
    return lookup.for_station(station, measured_parameter_ids(station))


@dataclass
class PushResult:
    """What happened to a batch: rows written, rows already there, rows refused (with reasons)."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    refused: bool = False  # the batch as a whole (size, format, empty...), not row by row
    received_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def too_large(self) -> bool:
        """True when the batch is over a size limit (bytes or rows)."""
        return self.refused and any(e.get("code") in SIZE_CODES for e in self.rejected)

    def to_dict(self) -> dict[str, Any]:
        """The API body: {"accepted", "duplicates", "rejected": [...]}."""
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def _identity(value: float) -> float:
    return value


def unit_converter(unit: str, info: ParameterInfo) -> Callable[[float], float]:
    """A function taking a value in `unit` to `info`'s canonical unit; raises UnitError."""
    if not unit or unit == info.unit:
        return _identity
    reference = info.medium == Medium.AMBIENT_AIR
    source, target = unit_code(unit), unit_code(info.unit)
    if source == target:
        return _identity
    convert(1.0, source, target, molar_mass=info.molar_mass, reference_conditions=reference)  # raises now
    return functools.partial(convert, from_unit=source, to_unit=target, molar_mass=info.molar_mass,
                             reference_conditions=reference)


def unit_error_message(unit: str, info: ParameterInfo) -> str:
    """Why `unit` cannot be stored as `info`'s canonical unit (unknown, or not convertible)."""
    try:
        unit_code(unit)
    except UnitError:
        return _("Unknown unit “%(unit)s”.") % {"unit": unit[:100]}
    return _("“%(unit)s” cannot be converted to %(canonical)s, the unit of %(parameter)s.") % {
        "unit": unit[:100], "canonical": info.unit, "parameter": info.code}


def _plan(info: ParameterInfo, unit: str, measured: frozenset[int],
          ) -> tuple[int, Callable[[float], float] | None, dict[str, str] | None]:
    """(parameter id, conversion or None, row error or None) for a parameter written with `unit`."""
    if info.pk not in measured:
        return info.pk, None, {"code": NOT_MEASURED, "field": "parameter", "message": _(
            "%(parameter)s is not measured by this station.") % {"parameter": info.code}}
    try:
        conv = unit_converter(unit, info)
    except UnitError:
        return info.pk, None, {"code": UNIT, "field": "unit", "message": unit_error_message(unit, info)}
    return info.pk, (None if conv is _identity else conv), None


def _sort_key(error: dict[str, Any]) -> int:
    return error.get("line", error.get("index", -1))


def _columns_to_copy_rows(columns: ReadingColumns, *, station_id: int, lookup: ParameterLookup,
                          measured: frozenset[int]) -> list[tuple] | None:
    """COPY rows for a clean batch whose parameters are all measured here and written in their
    canonical unit, built by C-level zip/map; None otherwise (the row-by-row path converts
    units and explains errors)."""
    pk_of: dict[str, int] = {}
    for parameter, unit in set(zip(columns.parameters, columns.units, strict=True)):
        pk, conv, error = _plan(lookup.get(parameter), unit, measured)
        if conv is not None or error is not None:
            return None
        pk_of[parameter] = pk
    count = len(columns)
    return list(zip(itertools.repeat(station_id, count), map(pk_of.__getitem__, columns.parameters),
                    columns.observed, columns.values, map(_STATUS.__getitem__, columns.statuses),
                    itertools.repeat(None, count), strict=True))


def ingest_batch(*, station: Station, parse_result: ParseResult[ReadingRow], now: dt.datetime,
                 lookup: ParameterLookup | None = None,
                 position: Literal["line", "index"] | None = None) -> PushResult:
    """Check, convert and write a parsed batch for `station`, all or nothing.

    :param parse_result: from parse_json_batch / parse_datalogger_text with ``lookup`` as the resolver.
    :param now: the time of receipt (the parser's clock).
    :param lookup: the look-up the batch was parsed with; built from the database when omitted.
    :param position: "line" (text) or "index" (JSON) in row errors; guessed from the parse result.
    :returns: the counts, or every rejected row when nothing was written.
    """
    if position is None:
        position = "line" if "encoding" in parse_result.meta else "index"
    rejected = [e.to_dict() for e in parse_result.errors]
    if parse_result.refused:
        return PushResult(rejected=rejected, refused=True, received_at=now)
    if lookup is None:
        lookup = resolver(station)
    measured = lookup.measured if lookup.station_id == station.pk else measured_parameter_ids(station)
    # One plan per (parameter, unit) as written: the parameter id and the conversion (None when
    # the unit is the canonical one), or the row error. A batch repeats a few pairs many times.
    plans: dict[tuple[str, str], tuple[int, Callable[[float], float] | None, dict[str, str] | None]] = {}
    rows = parse_result.rows
    if isinstance(rows, ReadingColumns):
        readings = _columns_to_copy_rows(rows, station_id=station.pk, lookup=lookup, measured=measured)
        if readings is not None:
            written = write_readings(readings)
            return PushResult(accepted=written.accepted, duplicates=written.duplicates, received_at=now)
    # Plain tuples in COPY column order (ResolvedReading's layout): building a named tuple per
    # reading cost a tenth of the push path.
    readings: list[tuple] = []
    append, station_id, statuses = readings.append, station.pk, _STATUS
    for row in rows:
        key = (row.parameter, row.unit)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _plan(lookup.get(row.parameter), row.unit, measured)
        pk, conv, error = plan
        if error is not None:
            rejected.append({**error, position: row.line,
                             "value": (row.parameter_code if error["field"] == "parameter" else row.unit)[:100]})
            continue
        append((station_id, pk, row.observed_at, row.value if conv is None else conv(row.value),
                statuses[row.status], None))
    if rejected:
        rejected.sort(key=_sort_key)
        return PushResult(rejected=rejected, received_at=now)
    written = write_readings(readings)
    return PushResult(accepted=written.accepted, duplicates=parse_result.duplicates_in_batch + written.duplicates,
                      received_at=now)
