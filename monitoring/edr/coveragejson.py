"""CoverageJSON (OGC Community Standard 21-069r2) for station time series, as pure functions.

One station and one parameter make one `PointSeries` coverage: axes x, y (the station, in
CRS84 longitude/latitude) and t (the observation times), and one NdArray range whose values
line up with t. A query's answer is a `CoverageCollection` of those coverages, with the
parameters and the referencing stated once at the collection level (the spec's "common
members"), so each parameter keeps its own time axis and no value is padded with null.
No database and no Django: the views hand in plain tuples.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MEDIA_TYPE = "application/prs.coverage+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
POINT_SERIES = "PointSeries"


@dataclass(frozen=True)
class ParameterInfo:
    """What CoverageJSON says of a parameter: its code, names per language and unit symbol."""

    code: str
    label: Mapping[str, str]
    unit: str
    description: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    """One station's values of one parameter; `values[i]` was observed at `times[i]` (None: no valid value)."""

    station: str
    lon: float
    lat: float
    parameter: str
    times: Sequence[dt.datetime]
    values: Sequence[float | None]

    def __post_init__(self) -> None:
        if len(self.times) != len(self.values):
            raise ValueError(f"{self.station}/{self.parameter}: {len(self.times)} times, {len(self.values)} values")


def iso_time(value: dt.datetime) -> str:
    """An aware datetime as RFC 3339 UTC with a Z ("2026-01-01T00:05:00Z")."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("CoverageJSON times must be aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: float | None) -> float | None:
    # JSON has no NaN or infinity; a value that is not a finite number is "no value".
    if value is None or not math.isfinite(value):
        return None
    return value


def parameter_json(info: ParameterInfo) -> dict[str, Any]:
    """The CoverageJSON Parameter object of `info` (unit symbol as a plain string)."""
    doc: dict[str, Any] = {
        "type": "Parameter",
        "observedProperty": {"id": info.code, "label": dict(info.label)},
        "unit": {"label": {"en": info.unit}, "symbol": info.unit},
    }
    if info.description:
        doc["description"] = dict(info.description)
    return doc


def referencing() -> list[dict[str, Any]]:
    """x/y in CRS84 (longitude, latitude) and t in the Gregorian calendar (UTC)."""
    return [
        {"coordinates": ["x", "y"], "system": {"type": "GeographicCRS", "id": CRS84}},
        {"coordinates": ["t"], "system": {"type": "TemporalRS", "calendar": "Gregorian"}},
    ]


def point_series(series: Series, *, with_common: bool = False,
                 parameters: Mapping[str, ParameterInfo] | None = None) -> dict[str, Any]:
    """One `PointSeries` Coverage; `with_common` adds referencing and parameters (a stand-alone coverage)."""
    domain: dict[str, Any] = {
        "type": "Domain",
        "domainType": POINT_SERIES,
        "axes": {
            "x": {"values": [series.lon]},
            "y": {"values": [series.lat]},
            "t": {"values": [iso_time(t) for t in series.times]},
        },
    }
    coverage: dict[str, Any] = {
        "type": "Coverage",
        "domain": domain,
        "ranges": {
            series.parameter: {
                "type": "NdArray",
                "dataType": "float",
                "axisNames": ["t"],
                "shape": [len(series.values)],
                "values": [_number(v) for v in series.values],
            },
        },
        # Not a CoverageJSON member: which station the series comes from (custom members are allowed).
        "station": series.station,
    }
    if with_common:
        domain["referencing"] = referencing()
        info = (parameters or {}).get(series.parameter)
        coverage["parameters"] = {series.parameter: parameter_json(info)} if info else {}
    return coverage


def coverage_collection(series: Iterable[Series], parameters: Mapping[str, ParameterInfo]) -> dict[str, Any]:
    """A `CoverageCollection` of PointSeries, the parameters that appear in it stated once (ValueError if one is unknown)."""
    coverages = [point_series(s) for s in series]
    used = list(dict.fromkeys(code for c in coverages for code in c["ranges"]))
    missing = [code for code in used if code not in parameters]
    if missing:
        # A range without its Parameter object is not valid CoverageJSON.
        raise ValueError(f"no parameter description for {', '.join(missing)}")
    return {
        "type": "CoverageCollection",
        "domainType": POINT_SERIES,
        "parameters": {code: parameter_json(parameters[code]) for code in used},
        "referencing": referencing(),
        "coverages": coverages,
    }
