"""Coordinate reference systems: conversion, parsing and plausibility checks (pure, no DB).

Everything the portal stores is EPSG:4326; people bring coordinates in VN-2000
(TM-3 105°45′ for Hai Phong, 105°30′ for the former Hai Duong, UTM 48N), in
WGS 84 / UTM 48N or in WGS 84 degrees. This module turns those into (lon, lat)
and back, with PROJ through EPSG codes only (never hand-typed proj strings).

Two conventions to keep apart (DOMAIN.md section 5):

* **GIS order** (pyproj ``always_xy``, PostGIS, GeoJSON): x = easting or longitude,
  y = northing or latitude. ``to_wgs84``/``from_wgs84`` use it.
* **Vietnamese survey order**: X = northing (≈ 2 300 000 m in Hai Phong),
  Y = easting (≈ 600 000 m). A permit listing "X = 2 304 118, Y = 606 437" is (N, E).
  ``projected_to_wgs84(northing=, easting=)`` and ``vn2000_to_wgs84`` take the
  names explicitly and refuse values that look swapped.

VN-2000 → WGS 84 needs a datum shift; without it a point is ≈ 200 m off. The
transformers are pinned to **EPSG:6960 "VN-2000 to WGS 84 (2)"** (Vietnam onshore)
and the module refuses to build one that does not use it (EPSG:5194 is the Mekong
delta offshore variant and must not be used for Hai Phong).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError
from pyproj.transformer import AreaOfInterest

# --- EPSG codes -----------------------------------------------------------------------
WGS84 = 4326
VN2000_GEOGRAPHIC = 4756
VN2000_TM3_105_45 = 9210   # Hai Phong (central meridian 105°45′, k0 = 0.9999)
VN2000_TM3_105_30 = 9209   # former Hai Duong province (105°30′)
VN2000_UTM48N = 3405
WGS84_UTM48N = 32648
VN2000_TO_WGS84_OPERATION = 6960  # "VN-2000 to WGS 84 (2)", Vietnam onshore, 1 m

Axis = Literal["lat", "lon"]

# --- Bounds (EPSG:4326, west, south, east, north) --------------------------------------
# Mainland Vietnam with its islands (Hoàng Sa/Trường Sa longitudes); layers/ uses this one.
VIETNAM_BOUNDS = (102.1, 8.1, 117.9, 23.4)
# The merged Hai Phong city (2025) incl. the Bạch Long Vĩ special zone, with a margin.
HAI_PHONG_BOUNDS = (105.9, 19.9, 108.0, 21.5)
# Plausible VN-2000/UTM metres for Hai Phong (Vietnamese X = northing, Y = easting).
# 1.9–2.7 million m northing ≈ 17.2–24.4° N; 300–800 thousand m easting covers every
# TM-3 zone and UTM 48N over Hai Phong (Bạch Long Vĩ ≈ 790 000 m in UTM 48N).
NORTHING_RANGE = (1_900_000.0, 2_700_000.0)
EASTING_RANGE = (300_000.0, 800_000.0)

# The area PROJ uses to pick the datum transformation: only EPSG:6960 covers it
# (EPSG:5194's area is the Mekong delta).
_PINNING_AREA = AreaOfInterest(*HAI_PHONG_BOUNDS)


class CoordinateError(ValueError):
    """A coordinate that cannot be read or converted; the message is for the user.

    ``field`` names the offending part when known: "northing", "easting", "lat",
    "lon", or None for the whole input.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Supported input CRSs ------------------------------------------------------------
@dataclass(frozen=True)
class InputCrs:
    """A coordinate system users may type coordinates in."""

    key: str        # stable identifier for forms and the API ("9210", "4326-dms", ...)
    srid: int
    kind: Literal["degrees", "dms", "projected"]
    label_vi: str
    label_en: str

    @property
    def label(self) -> str:
        """The label in the active language (Vietnamese unless English is active)."""
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi

    @property
    def projected(self) -> bool:
        return self.kind == "projected"

    @property
    def vn2000(self) -> bool:
        return self.srid in VN2000_PROJECTED


SUPPORTED_INPUT_CRS: tuple[InputCrs, ...] = (
    InputCrs("9210", VN2000_TM3_105_45, "projected",
             "VN-2000 Hải Phòng, kinh tuyến trục 105°45′, múi chiếu 3° (EPSG:9210)",
             "VN-2000 / Hai Phong TM-3 105°45′ (EPSG:9210)"),
    InputCrs("9209", VN2000_TM3_105_30, "projected",
             "VN-2000 Hải Dương cũ, kinh tuyến trục 105°30′, múi chiếu 3° (EPSG:9209)",
             "VN-2000 / former Hai Duong TM-3 105°30′ (EPSG:9209)"),
    InputCrs("3405", VN2000_UTM48N, "projected",
             "VN-2000 UTM múi 48N (EPSG:3405)",
             "VN-2000 / UTM zone 48N (EPSG:3405)"),
    InputCrs("32648", WGS84_UTM48N, "projected",
             "WGS 84 UTM múi 48N (EPSG:32648)",
             "WGS 84 / UTM zone 48N (EPSG:32648)"),
    InputCrs("4326", WGS84, "degrees",
             "WGS 84 – độ thập phân (EPSG:4326)",
             "WGS 84 – decimal degrees (EPSG:4326)"),
    InputCrs("4326-dms", WGS84, "dms",
             "WGS 84 – độ, phút, giây (EPSG:4326)",
             "WGS 84 – degrees, minutes, seconds (EPSG:4326)"),
)
VN2000_PROJECTED = frozenset({VN2000_TM3_105_45, VN2000_TM3_105_30, VN2000_UTM48N})
PROJECTED_SRIDS = frozenset(c.srid for c in SUPPORTED_INPUT_CRS if c.projected)
SUPPORTED_SRIDS = frozenset(c.srid for c in SUPPORTED_INPUT_CRS)
_BY_KEY = {c.key: c for c in SUPPORTED_INPUT_CRS}


def input_crs(key: str | int) -> InputCrs:
    """The supported input CRS for a key ("9210", "4326-dms") or an SRID (9210)."""
    found = _BY_KEY.get(str(key).strip())
    if found is None:
        raise CoordinateError(_("Unsupported coordinate system: %(crs)s.") % {"crs": key})
    return found


# --- Transformations -------------------------------------------------------------------
class LonLat(NamedTuple):
    lon: float
    lat: float


class NorthingEasting(NamedTuple):
    """Projected metres in the Vietnamese order: X = northing, Y = easting."""

    northing: float
    easting: float


def _operation_codes(node: Any) -> set[int]:
    """Every EPSG code (direct or inverse) referenced in a PROJJSON tree."""
    codes: set[int] = set()
    if isinstance(node, dict):
        ident = node.get("id")
        if isinstance(ident, dict) and "EPSG" in str(ident.get("authority", "")):
            try:
                codes.add(int(ident["code"]))
            except (KeyError, TypeError, ValueError):
                pass
        for value in node.values():
            codes |= _operation_codes(value)
    elif isinstance(node, list):
        for value in node:
            codes |= _operation_codes(value)
    return codes


def _datum(srid: int) -> int | None:
    geodetic = CRS.from_epsg(srid).geodetic_crs
    return geodetic.to_epsg() if geodetic is not None else None


@lru_cache(maxsize=64)
def get_transformer(from_srid: int, to_srid: int) -> Transformer:
    """A cached, thread-safe ``Transformer`` in GIS order (always_xy).

    Pinned through the area of interest: PROJ picks the operation valid over Hai
    Phong, which for VN-2000 ↔ WGS 84 is only EPSG:6960. A transformer that would
    cross between the two datums without EPSG:6960 is refused (wrong proj.db).
    """
    try:
        transformer = Transformer.from_crs(
            CRS.from_epsg(from_srid), CRS.from_epsg(to_srid),
            always_xy=True, area_of_interest=_PINNING_AREA,
        )
    except (CRSError, ProjError) as exc:
        raise CoordinateError(_("Unsupported coordinate system: %(crs)s.") % {
            "crs": f"EPSG:{from_srid} → EPSG:{to_srid}"}) from exc
    if {_datum(from_srid), _datum(to_srid)} == {VN2000_GEOGRAPHIC, WGS84}:
        if VN2000_TO_WGS84_OPERATION not in _operation_codes(transformer.to_json_dict()):
            raise RuntimeError(  # a deployment fault, not user input
                f"PROJ did not select EPSG:{VN2000_TO_WGS84_OPERATION} for EPSG:{from_srid} → "
                f"EPSG:{to_srid} (got: {transformer.description}); check proj.db."
            )
    return transformer


def datum_operation_codes(from_srid: int, to_srid: int) -> set[int]:
    """The EPSG codes of the operations the pinned transformer uses (for checks and tests)."""
    return _operation_codes(get_transformer(from_srid, to_srid).to_json_dict())


def _finite(*values: float) -> bool:
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def _check_lonlat(lon: float, lat: float) -> None:
    if not _finite(lon, lat):
        raise CoordinateError(_("The coordinates must be finite numbers."))
    if not -90 <= lat <= 90:
        if -90 <= lon <= 90 and -180 <= lat <= 180:
            raise CoordinateError(_("The latitude must be between -90 and 90 degrees; latitude and "
                                    "longitude look swapped."), field="lat")
        raise CoordinateError(_("The latitude must be between -90 and 90 degrees."), field="lat")
    if not -180 <= lon <= 180:
        raise CoordinateError(_("The longitude must be between -180 and 180 degrees."), field="lon")


def _run(from_srid: int, to_srid: int, x: float, y: float) -> tuple[float, float]:
    if not _finite(x, y):
        raise CoordinateError(_("The coordinates must be finite numbers."))
    try:
        out_x, out_y = get_transformer(from_srid, to_srid).transform(x, y, errcheck=True)
    except ProjError as exc:
        raise CoordinateError(_("These coordinates cannot be converted from EPSG:%(from)s to "
                                "EPSG:%(to)s.") % {"from": from_srid, "to": to_srid}) from exc
    if not _finite(out_x, out_y):
        raise CoordinateError(_("These coordinates cannot be converted from EPSG:%(from)s to "
                                "EPSG:%(to)s.") % {"from": from_srid, "to": to_srid})
    return float(out_x), float(out_y)


def to_wgs84(x: float, y: float, srid: int) -> LonLat:
    """(x, y) in GIS order (easting, northing or lon, lat) of ``srid`` → (lon, lat) in 4326.

    For VN-2000 survey coordinates (X = northing) use ``vn2000_to_wgs84`` instead.
    """
    if srid == WGS84:
        _check_lonlat(x, y)
        return LonLat(float(x), float(y))
    lon, lat = _run(srid, WGS84, x, y)
    _check_lonlat(lon, lat)
    return LonLat(lon, lat)


def from_wgs84(lon: float, lat: float, srid: int) -> tuple[float, float]:
    """(lon, lat) in 4326 → (x, y) of ``srid`` in GIS order (easting, northing)."""
    _check_lonlat(lon, lat)
    if srid == WGS84:
        return float(lon), float(lat)
    return _run(WGS84, srid, lon, lat)


def check_axis_order(northing: float, easting: float) -> None:
    """Refuse projected metres that are not plausible for Hai Phong, saying when X and Y
    look swapped (the most common mistake: X is the northing in Vietnamese usage)."""
    if not _finite(northing, easting):
        raise CoordinateError(_("The coordinates must be finite numbers."))
    n_lo, n_hi = NORTHING_RANGE
    e_lo, e_hi = EASTING_RANGE
    n_ok = n_lo <= northing <= n_hi
    e_ok = e_lo <= easting <= e_hi
    if n_ok and e_ok:
        return
    if n_lo <= easting <= n_hi and e_lo <= northing <= e_hi:
        raise CoordinateError(_(
            "X and Y look swapped: in VN-2000, X is the northing (about 2 300 000 m in Hai Phong) "
            "and Y the easting (about 600 000 m)."))
    if not n_ok:
        raise CoordinateError(_(
            "X (northing) = %(value)s m is outside the range for Hai Phong "
            "(%(low)s to %(high)s m).") % {"value": _metres(northing), "low": _metres(n_lo),
                                           "high": _metres(n_hi)}, field="northing")
    raise CoordinateError(_(
        "Y (easting) = %(value)s m is outside the range for Hai Phong "
        "(%(low)s to %(high)s m).") % {"value": _metres(easting), "low": _metres(e_lo),
                                       "high": _metres(e_hi)}, field="easting")


def _metres(value: float) -> str:
    """Metres for a message, grouped the way the active language writes numbers."""
    rounded = round(value, 3)
    shown: float | int = int(rounded) if rounded.is_integer() else rounded
    return number_format(shown, use_l10n=True, force_grouping=True)


def projected_to_wgs84(*, northing: float, easting: float, srid: int) -> LonLat:
    """Projected metres given by name (Vietnamese X = northing, Y = easting) → (lon, lat)."""
    if srid not in PROJECTED_SRIDS:
        raise CoordinateError(_("Unsupported coordinate system: %(crs)s.") % {"crs": f"EPSG:{srid}"})
    check_axis_order(northing, easting)
    return to_wgs84(easting, northing, srid)


def vn2000_to_wgs84(northing: float, easting: float, srid: int = VN2000_TM3_105_45) -> LonLat:
    """VN-2000 X (northing), Y (easting) in metres → WGS 84 (lon, lat), datum shift EPSG:6960."""
    if srid not in VN2000_PROJECTED:
        raise CoordinateError(_("EPSG:%(srid)s is not a VN-2000 projected system.") % {"srid": srid})
    return projected_to_wgs84(northing=northing, easting=easting, srid=srid)


def wgs84_to_projected(lon: float, lat: float, srid: int) -> NorthingEasting:
    """WGS 84 (lon, lat) → projected metres in the Vietnamese order (northing, easting)."""
    if srid not in PROJECTED_SRIDS:
        raise CoordinateError(_("Unsupported coordinate system: %(crs)s.") % {"crs": f"EPSG:{srid}"})
    easting, northing = from_wgs84(lon, lat, srid)
    return NorthingEasting(northing, easting)


def wgs84_to_vn2000(lon: float, lat: float, srid: int = VN2000_TM3_105_45) -> NorthingEasting:
    """WGS 84 (lon, lat) → VN-2000 X (northing), Y (easting), datum shift EPSG:6960."""
    if srid not in VN2000_PROJECTED:
        raise CoordinateError(_("EPSG:%(srid)s is not a VN-2000 projected system.") % {"srid": srid})
    return wgs84_to_projected(lon, lat, srid)


# --- Bounds checks ---------------------------------------------------------------------
def _within(bounds: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    west, south, east, north = bounds
    return _finite(lon, lat) and west <= lon <= east and south <= lat <= north


def in_vietnam(lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies in the bounding box of Vietnam with its islands."""
    return _within(VIETNAM_BOUNDS, lon, lat)


def in_hai_phong(lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies in the bounding box of Hai Phong incl. Bạch Long Vĩ."""
    return _within(HAI_PHONG_BOUNDS, lon, lat)


# --- Degrees, minutes, seconds ---------------------------------------------------------
# Hemisphere words and letters → (axis, sign). Vietnamese: B = Bắc (north),
# Đ/D = Đông (east), T = Tây (west), "Nam" = south.
#
# The single letter "N" is ambiguous: English North, Vietnamese Nam (south). We read
# it as **North**: Vietnam lies wholly in the northern hemisphere, Vietnamese texts
# write north as "B", and a south reading would put the point ~4 000 km away in the
# open sea, which the Vietnam check refuses anyway. Write "S" or "Nam" for south.
_HEMISPHERES: dict[str, tuple[Axis, int]] = {
    "N": ("lat", 1), "NORTH": ("lat", 1), "B": ("lat", 1), "BẮC": ("lat", 1), "BAC": ("lat", 1),
    "S": ("lat", -1), "SOUTH": ("lat", -1), "NAM": ("lat", -1),
    "E": ("lon", 1), "EAST": ("lon", 1), "Đ": ("lon", 1), "D": ("lon", 1), "ĐÔNG": ("lon", 1),
    "DONG": ("lon", 1),
    "W": ("lon", -1), "WEST": ("lon", -1), "T": ("lon", -1), "TÂY": ("lon", -1), "TAY": ("lon", -1),
}
_SYMBOLS = {
    "°": "°", "º": "°", "˚": "°", "∘": "°",
    "'": "'", "′": "'", "’": "'", "‘": "'", "´": "'", "`": "'",
    '"': '"', "″": '"', "”": '"', "“": '"',
}
_MINUS = "-−–"  # hyphen-minus, minus sign, en dash
_WORD = r"[A-ZĐÂẮÔÊƠƯÁÀẢÃẠĂÂÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]+"
_LEADING_WORD = re.compile(rf"^({_WORD})\.?\s*")
_TRAILING_WORD = re.compile(rf"\s*({_WORD})\.?$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([°'\"])?")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().upper()
    text = text.replace("''", '"')  # two primes typed for seconds
    return "".join(_SYMBOLS.get(ch, ch) for ch in text)


def _split_hemisphere(text: str) -> tuple[str, tuple[Axis, int] | None]:
    hemisphere = None
    for pattern in (_LEADING_WORD, _TRAILING_WORD):
        match = pattern.search(text)
        if match:
            word = match.group(1)
            if word not in _HEMISPHERES:
                raise CoordinateError(_("Unknown hemisphere “%(word)s”: use N/S/E/W or B/Nam/Đ/T.")
                                      % {"word": word})
            if hemisphere is not None:
                raise CoordinateError(_("Give the hemisphere only once."))
            hemisphere = _HEMISPHERES[word]
            text = text[:match.start()] + text[match.end():]
    return text.strip(), hemisphere


def parse_dms_ex(text: str, *, axis: Axis | None = None) -> tuple[float, Axis | None]:
    """Read one angle; returns (signed decimal degrees, axis named by its hemisphere or None).

    Accepts decimal degrees ("-20.5", "20,8268"), degrees and decimal minutes
    ("20°49.6'N") and degrees, minutes, seconds ("20°49'36.5\\"N", "20° 49′ 36.5″ B",
    "106 46 28.2 E"); see ``_HEMISPHERES`` for the hemisphere rule. A decimal comma
    is a decimal point here: angles never carry thousands separators. Minutes and
    seconds must be below 60, only the last part may have decimals, and a minus sign
    may not be combined with a hemisphere.
    """
    if not isinstance(text, str) or not text.strip():
        raise CoordinateError(_("Enter a coordinate."))
    if len(text) > 64:
        raise CoordinateError(_("The coordinate is too long."))
    body, hemisphere = _split_hemisphere(_normalise(text))
    if hemisphere and axis and hemisphere[0] != axis:
        raise CoordinateError(
            _("This is a longitude (E/W), not a latitude.") if axis == "lat"
            else _("This is a latitude (N/S), not a longitude."), field=axis)
    sign = 1
    if body[:1] and body[0] in _MINUS + "+":
        sign = -1 if body[0] in _MINUS else 1
        body = body[1:].lstrip()
        if hemisphere:
            raise CoordinateError(_("Use either a minus sign or a hemisphere letter, not both."))
    # A comma between digits is a decimal comma (Vietnamese usage).
    body = re.sub(r"(?<=\d),(?=\d)", ".", body)

    parts: list[tuple[str, int]] = []
    position = -1
    end = 0
    for match in _PART.finditer(body):
        if body[end:match.start()].strip():
            break
        symbol = match.group(2)
        position = {"°": 0, "'": 1, '"': 2}[symbol] if symbol else position + 1
        if parts and position <= parts[-1][1]:
            raise CoordinateError(_("Write degrees, then minutes, then seconds."))
        if position > 2:
            raise CoordinateError(_("Too many numbers: write degrees, minutes and seconds at most."))
        parts.append((match.group(1), position))
        end = match.end()
    if not parts or body[end:].strip():
        raise CoordinateError(_("“%(text)s” is not a coordinate in degrees, minutes and seconds.")
                              % {"text": text.strip()})
    if [pos for _number, pos in parts] != list(range(len(parts))):
        raise CoordinateError(_("Write degrees, then minutes, then seconds."))
    if any("." in number for number, _pos in parts[:-1]):
        raise CoordinateError(_("Only the last part (degrees, minutes or seconds) may have decimals."))

    values = [float(number) for number, _pos in parts] + [0.0, 0.0]
    degrees, minutes, seconds = values[0], values[1], values[2]
    if minutes >= 60:
        raise CoordinateError(_("Minutes must be less than 60."))
    if seconds >= 60:
        raise CoordinateError(_("Seconds must be less than 60."))
    degrees = degrees + minutes / 60 + seconds / 3600
    named_axis = hemisphere[0] if hemisphere else None
    if hemisphere:
        sign = hemisphere[1]
    value = sign * degrees
    limit_axis = named_axis or axis
    if limit_axis == "lat" and abs(value) > 90:
        raise CoordinateError(_("The latitude must be between -90 and 90 degrees."), field="lat")
    if abs(value) > 180:
        raise CoordinateError(_("The longitude must be between -180 and 180 degrees."), field="lon")
    return value, named_axis


def parse_dms(text: str, *, axis: Axis | None = None) -> float:
    """Read one angle (decimal degrees or DMS, see ``parse_dms_ex``) as signed degrees.

    Hemispheres: N/B/Bắc = north, S/Nam = south, E/Đ/D/Đông = east, W/T/Tây = west, before
    or after the number. A lone "N" means **North** (not Vietnamese "Nam"): Vietnam is
    wholly north of the equator and Vietnamese writes north as "B"; spell south "S" or "Nam".
    """
    return parse_dms_ex(text, axis=axis)[0]


_PAIR_LETTER = re.compile(rf"(?<![A-ZĐ]){_WORD}(?![A-ZĐ])")


def _split_pair(text: str) -> tuple[str, str]:
    norm = _normalise(text)
    if ";" in norm:
        halves = norm.split(";")
    elif re.search(r",(?!\d)|(?<!\d),", norm):  # a comma that is not a decimal comma
        halves = re.split(r",(?!\d)|(?<!\d),", norm)
    elif norm.count(",") == 1 and "." in norm:  # "20.8268,106.7745"
        halves = norm.split(",")
    else:
        letters = [m for m in _PAIR_LETTER.finditer(norm) if m.group(0) in _HEMISPHERES]
        if len(letters) == 2:
            first, second = letters
            cut = second.start() if first.start() == 0 else first.end()
            halves = [norm[:cut], norm[cut:]]
        elif norm.count("°") == 2:
            second_degree = [m for m in re.finditer(r"[\d.]+\s*°", norm)][1]
            halves = [norm[:second_degree.start()], norm[second_degree.start():]]
        else:
            tokens = norm.split()
            if len(tokens) not in (2, 4, 6):
                raise CoordinateError(_("Could not tell the latitude from the longitude: separate "
                                        "them with a semicolon, e.g. 20°49'36.5\"N; 106°46'28.2\"E."))
            half = len(tokens) // 2
            halves = [" ".join(tokens[:half]), " ".join(tokens[half:])]
    halves = [h.strip() for h in halves]
    if len(halves) != 2 or not all(halves):
        raise CoordinateError(_("Enter exactly two coordinates: latitude and longitude."))
    return halves[0], halves[1]


def parse_coordinate_pair(text: str) -> LonLat:
    """Read a latitude/longitude pair in decimal degrees or DMS → (lon, lat).

    Hemisphere letters decide which value is which; without them the order is
    latitude, longitude (as GPS receivers and web maps show it), unless the first
    value is beyond ±90°, which only a longitude can be. Separate the two values
    with ";" (always safe), ", " or spaces.
    """
    if not isinstance(text, str) or not text.strip():
        raise CoordinateError(_("Enter a coordinate."))
    if len(text) > 128:
        raise CoordinateError(_("The coordinate is too long."))
    first_text, second_text = _split_pair(text)
    first, first_axis = parse_dms_ex(first_text)
    second, second_axis = parse_dms_ex(second_text)
    if first_axis and second_axis and first_axis == second_axis:
        raise CoordinateError(_("Both values are latitudes or both are longitudes."))
    if first_axis == "lon" or second_axis == "lat":
        lon, lat = first, second
    elif first_axis == "lat" or second_axis == "lon":
        lat, lon = first, second
    elif abs(first) > 90:
        lon, lat = first, second
    else:
        lat, lon = first, second
    _check_lonlat(lon, lat)
    return LonLat(lon, lat)


# --- Vietnamese number formats ----------------------------------------------------------
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "}
_NUMBER_CHARS = re.compile(r"^[+\-−]?\d[\d., ]*$")


def _grouped(int_part: str, sep: str) -> str:
    """Digits of an integer part written with thousands separator ``sep``."""
    groups = int_part.split(sep)
    head, tail = groups[0], groups[1:]
    if (not tail or not 1 <= len(head) <= 3 or not head.isdigit()
            or (len(head) > 1 and head[0] == "0")
            or any(len(g) != 3 or not g.isdigit() for g in tail)):
        raise ValueError(f"badly grouped number: {int_part!r}")
    return "".join(groups)


def _integer(int_part: str) -> str:
    if " " in int_part:
        return _grouped(int_part, " ")
    if not int_part.isdigit():
        raise ValueError(f"not a number: {int_part!r}")
    return int_part


def parse_vn_number_ex(text: str) -> tuple[Decimal, bool]:
    """Read a number written the Vietnamese way; returns (value, ambiguous).

    Vietnamese writes "," as the decimal mark and "." (or a space) between thousands:
    "3074,5" = 3074.5, "1.234.567,89" = 1234567.89, "2 304 118,25" = 2304118.25.
    English-style input is accepted where it cannot be misread ("12.5", "1,234,567",
    "1,234.5"). The rules:

    * both "." and "," present: the last one is the decimal mark;
    * several dots (or several commas): thousands separators ("1.234.567");
    * a single dot followed by **exactly 3 digits** ("1.949") is a thousands separator
      (Vietnamese usage) → 1949, **ambiguous** (English reads 1.949);
    * a single dot followed by 1–2 or 4+ digits ("12.5", "20.8268"), or after a leading
      "0" ("0.949"), or after a space-grouped integer, is a decimal point;
    * a single comma is the decimal mark; followed by exactly 3 digits ("1,949") it is
      **ambiguous** (English reads 1949).

    Importers should flag ambiguous values as "needs review". NaN, infinities,
    exponents, empty text and badly grouped digits raise ValueError.
    """
    if not isinstance(text, str):
        raise TypeError("parse_vn_number_ex() takes text")
    s = "".join(_SPACES.get(ch, ch) for ch in text).strip()
    s = re.sub(r" +", " ", s)
    if not s or not _NUMBER_CHARS.match(s) or s.endswith((".", ",", " ")):
        raise ValueError(f"not a number: {text!r}")
    sign = ""
    if s[0] in "+-−":
        sign = "-" if s[0] in "-−" else ""
        s = s[1:]
    ambiguous = False
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_mark = "." if s.rfind(".") > s.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if s.count(decimal_mark) != 1:
            raise ValueError(f"several decimal marks: {text!r}")
        int_part, frac = s.split(decimal_mark)
        digits = _grouped(int_part, group_mark)
    elif dots > 1 or commas > 1:
        digits, frac = _grouped(s, "." if dots else ","), ""
    elif dots == 1 or commas == 1:
        mark = "." if dots else ","
        int_part, frac = s.split(mark)
        thousands_like = (len(frac) == 3 and " " not in int_part and 1 <= len(int_part) <= 3
                          and not (len(int_part) > 1 and int_part[0] == "0") and int_part != "0")
        if mark == "." and thousands_like:
            digits, frac, ambiguous = int_part + frac, "", True
        else:
            ambiguous = mark == "," and thousands_like
            digits = _integer(int_part)
    else:
        digits, frac = _integer(s), ""
    if frac and not frac.isdigit():
        raise ValueError(f"not a number: {text!r}")
    try:
        value = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern above forbids it
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():  # pragma: no cover - idem
        raise ValueError(f"not a finite number: {text!r}")
    return value, ambiguous


def parse_vn_number(text: str) -> Decimal:
    """Read a number written the Vietnamese way (see ``parse_vn_number_ex`` for the rules)."""
    return parse_vn_number_ex(text)[0]


def parse_metres(text: str, *, field: str) -> float:
    """A projected coordinate in metres typed by a person (Vietnamese or English style).

    The ambiguous case of ``parse_vn_number_ex`` ("606.437") keeps the Vietnamese
    reading (606 437 m): read as 606.437 m it could never be a coordinate in Vietnam,
    and "606437.535" (6 digits before the dot) is a decimal point anyway. ``field``
    ("northing"/"easting") names the value in errors.
    """
    try:
        value = parse_vn_number(text)
    except (TypeError, ValueError) as exc:
        raise CoordinateError(_("“%(text)s” is not a number.") % {"text": str(text)[:40]},
                              field=field) from exc
    return float(value)
