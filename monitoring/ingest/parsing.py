"""Reading monitoring data as it arrives: datalogger text files, JSON push batches, and
tables of periodic sampling results (CSV, XLSX).

Pure functions: no database, no models. The caller injects the look-ups
(``resolve_parameter``, ``resolve_point``: text as written -> the catalogue's key, or None
when unknown), gives the clock (``now``), and owns the policy: a batch is all-or-nothing,
so any error in a ``ParseResult`` means nothing is written; the parsers only say, row by
row, what is wrong (``RowError``: code, field, message in the active language).

Decisions (see also monitoring/ingest/config.py for the file layout, DOMAIN.md section 2 [U]):

- Times are stored in UTC. Datalogger times are local (``DataloggerFormat.time_zone``);
  JSON times must carry their offset: a naive time is a "time_zone" error, never a guess.
- "Late data accepted": there is no lower bound on times. Times more than ``max_future``
  (10 minutes by default, a clock drift allowance) after ``now`` are refused.
- Numbers from machines ("12.5", "12,5", "1.2E+03") are read with "." or "," as the
  decimal mark, never as a thousands separator; NaN, infinities and empty text are
  refused, and so is any magnitude above 1e12, which no analyser reports.
- A (parameter, time) seen twice in one batch keeps its first row; the later ones are
  counted in ``duplicates_in_batch`` and are not errors (a re-sent line). Rows with
  errors do not take part in that check.
- Spreadsheet numbers follow the portal's Vietnamese reading (layers.imports.parsing:
  "3,5" = 3.5, "1.949" = 1949 with a warning). "<0.5" (below the detection limit) is
  stored as 0.5 with ``below_detection=True`` [U: our assumption, the reporting forms do
  not say how such results are kept]; "KPH"/"ND" without the limit is an error.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import math
import operator
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import orjson
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from layers.imports.parsing import CellError, clean_text, column_key, fold, is_blank, parse_date, parse_number
from layers.imports.readers import check_xlsx
from layers.imports.report import ImportRefused
from monitoring.ingest.config import DEFAULT_STATUS_CODES, READING_STATUSES, DataloggerFormat

# Beyond this magnitude a value is a transmission fault, not a measurement (the largest
# plausible figures, flows in m³/day or stack flows in m³/h, stay far below it).
MAX_MAGNITUDE = 1e12
DEFAULT_MAX_FUTURE = timedelta(minutes=10)
MAX_JSON_ROWS = 10_000
MAX_TABLE_ROWS = 10_000
# Formatted but empty spreadsheet rows tolerated in a row before the sheet is taken as ended.
BLANK_ROW_SLACK = 2000
CHUNK = 64 * 1024
_RAW_SHOWN = 100  # characters of an offending value echoed back in an error

ResolveCode = Callable[[str], str | None]


class ErrorCode(StrEnum):
    """Why a row (or the whole file, when the error has no line or index) is refused."""

    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    EMPTY = "empty"
    ENCODING = "encoding"
    FILENAME = "filename"
    FORMAT = "format"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    COLUMNS = "columns"
    MISSING = "missing"
    NUMBER = "number"
    RANGE = "range"
    UNKNOWN_PARAMETER = "unknown_parameter"
    UNKNOWN_POINT = "unknown_point"
    TIME = "time"
    TIME_ZONE = "time_zone"
    FUTURE = "future"
    STATUS = "status"
    # A warning, not an error: a spreadsheet number with two plausible readings.
    AMBIGUOUS_NUMBER = "ambiguous_number"


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row is refused; with neither line nor index it concerns the whole file."""

    code: ErrorCode
    message: str
    line: int | None = None  # 1-based line of a text file, or row of a table
    index: int | None = None  # 0-based position in a JSON batch's "readings"
    field: str = ""
    value: str = ""  # the offending text as received, shortened

    @property
    def is_file_error(self) -> bool:
        """True when the whole file or batch is refused, not one row."""
        return self.line is None and self.index is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for an API response or a reason file."""
        return {k: (str(v) if k == "code" else v) for k, v in asdict(self).items()
                if v not in (None, "") or k in ("code", "message")}


@dataclass(slots=True)
class ReadingRow:
    """One datalogger reading: value in ``unit`` as received, time in UTC."""

    parameter_code: str  # as written by the sender
    parameter: str  # what resolve_parameter returned for it (the catalogue's key)
    value: float
    unit: str
    observed_at: datetime  # aware, UTC
    status: str  # "measuring" | "calibrating" | "error"
    line: int  # 1-based line in a text file; 0-based index in a JSON batch


class ReadingColumns(Sequence):
    """The readings of a clean JSON batch, column by column. Reads like a list of ReadingRow
    (rows are made on access), and lets the writer build its COPY rows without a Python
    loop (PERFORMANCE.md: the push path must keep at least half the rate of a raw COPY)."""

    __slots__ = ("parameter_codes", "parameters", "values", "units", "observed", "statuses")

    def __init__(self, *, parameter_codes: Sequence[str], parameters: Sequence[str], values: Sequence[float],
                 units: Sequence[str], observed: Sequence[datetime], statuses: Sequence[str]):
        self.parameter_codes, self.parameters, self.values = parameter_codes, parameters, values
        self.units, self.observed, self.statuses = units, observed, statuses

    def __len__(self) -> int:
        return len(self.parameters)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return ReadingRow(self.parameter_codes[index], self.parameters[index], self.values[index],
                          self.units[index], self.observed[index], self.statuses[index], index)

    def __iter__(self) -> Iterator[ReadingRow]:
        return map(ReadingRow, self.parameter_codes, self.parameters, self.values, self.units, self.observed,
                   self.statuses, range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(slots=True)
class PeriodicRow:
    """One result of a periodic sampling campaign, from a CSV or XLSX table."""

    campaign: str
    point_code: str  # as written
    point: str  # what resolve_point returned
    parameter_code: str  # as written
    parameter: str  # what resolve_parameter returned
    value: float
    unit: str
    sampled_at: date | datetime  # a date when no time was given; else aware, UTC
    note: str
    below_detection: bool
    line: int


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Who sent a datalogger file, from its name: codes as written, stamp in UTC."""

    province: str
    facility: str
    station: str
    stamp: datetime
    name: str


RowT = TypeVar("RowT", ReadingRow, PeriodicRow)


@dataclass
class ParseResult(Generic[RowT]):
    """The rows read from one batch, the errors found, and what was dropped as a repeat."""

    rows: list[RowT] | ReadingColumns = field(default_factory=list)  # columns: a clean JSON batch
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    duplicates_in_batch: int = 0
    duplicate_lines: list[int] = field(default_factory=list)
    # e.g. "identity" (FileIdentity from the file name), "encoding", "columns" (table headers)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong: the caller may write the rows."""
        return not self.errors

    @property
    def refused(self) -> bool:
        """True when the whole file or batch is refused (size, encoding, shape...)."""
        return any(e.is_file_error for e in self.errors)

    @property
    def rejected_rows(self) -> int:
        """How many rows have at least one error."""
        return len({(e.line, e.index) for e in self.errors if not e.is_file_error})

    def first_in_batch(self, seen: set, key: tuple, line: int) -> bool:
        """True the first time `key` is met in the batch; a repeat is counted and dropped
        (the first occurrence wins)."""
        if key in seen:
            self.duplicates_in_batch += 1
            self.duplicate_lines.append(line)
            return False
        seen.add(key)
        return True

    def refuse(self, code: ErrorCode, message: str, **extra: Any) -> ParseResult[RowT]:
        """Refuse the whole batch: no rows are kept."""
        self.rows.clear()
        self.errors.append(RowError(code, message, **extra))
        return self


class IngestRefused(ImportRefused):
    """A table file refused as a whole (size, encoding, rows); ``reason`` is an ErrorCode."""

    def __init__(self, reason: ErrorCode, message: str):
        super().__init__(message)
        self.reason = reason


# --- Small readers ------------------------------------------------------------------------
def _shown(raw: Any) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= _RAW_SHOWN else text[:_RAW_SHOWN] + "…"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()) if not text.isascii() else text.strip()


def _field_label(name: str) -> str:
    labels = {
        "parameter": _("parameter"), "value": _("value"), "unit": _("unit"), "time": _("time"),
        "observed_at": _("time"), "status": _("status"), "campaign": _("sampling campaign"),
        "point": _("monitoring point"), "sampled_at": _("sampling time"), "note": _("note"),
    }
    return str(labels.get(name, name))


def _missing(name: str, **where: Any) -> RowError:
    return RowError(ErrorCode.MISSING, _("No %(field)s.") % {"field": _field_label(name)}, field=name, **where)


_MACHINE_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,3})?")


def parse_machine_number(raw: Any) -> float:
    """A number as an instrument writes it: 12.5, "12.5", "12,5", "-1.2E+03"; raises ValueError
    (NaN, infinities, empty, thousands separators) or OverflowError (magnitude above 1e12)."""
    kind = type(raw)
    if kind is float or kind is int:
        number = float(raw)  # OverflowError for huge JSON integers
        if -MAX_MAGNITUDE <= number <= MAX_MAGNITUDE:  # False for NaN: the checks below say why
            return number
    if isinstance(raw, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(raw, int | float):
        number = float(raw)  # OverflowError for huge JSON integers
    elif isinstance(raw, str):
        text = raw.strip()
        if not _MACHINE_NUMBER.fullmatch(text):
            raise ValueError(f"not a number: {raw!r}")
        number = float(text.replace(",", "."))
    else:
        raise ValueError(f"not a number: {raw!r}")
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {raw!r}")
    if abs(number) > MAX_MAGNITUDE:
        raise OverflowError(f"beyond ±{MAX_MAGNITUDE:g}: {raw!r}")
    return number


def _value_error(raw: Any, exc: Exception, **where: Any) -> RowError:
    if isinstance(exc, OverflowError):
        return RowError(ErrorCode.RANGE, _("%(value)s is beyond ±10¹²: not a measurement.") % {"value": _shown(raw)},
                        field="value", value=_shown(raw), **where)
    return RowError(ErrorCode.NUMBER, _("“%(value)s” is not a number.") % {"value": _shown(raw)},
                    field="value", value=_shown(raw), **where)


def _check_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")


def _future_error(shown: str, max_future: timedelta, raw: str, **where: Any) -> RowError:
    return RowError(ErrorCode.FUTURE, _("%(time)s is more than %(minutes)d minutes after the time of receipt.")
                    % {"time": shown, "minutes": max_future.total_seconds() // 60}, value=_shown(raw), **where)


def _resolver(resolve: ResolveCode) -> ResolveCode:
    """The look-up with a cache: a batch names the same few parameters over and over."""
    cache: dict[str, str | None] = {}

    def cached(code: str) -> str | None:
        try:
            return cache[code]
        except KeyError:
            cache[code] = found = resolve(code)
            return found

    return cached


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- File names ---------------------------------------------------------------------------
def parse_filename(name: str, *, fmt: DataloggerFormat) -> FileIdentity | None:
    """The station identity in a datalogger file name, or None when the name does not fit."""
    if (not name or len(name) > 255 or "/" in name or "\\" in name or name.startswith(".")
            or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name)):
        return None
    match = fmt.filename_regex.fullmatch(name)
    if not match:
        return None
    codes = {key: _nfc(match.group(key)) for key in ("province", "facility", "station")}
    if not all(codes.values()):
        return None
    try:
        local = datetime.strptime(match.group("stamp"), fmt.filename_time_format)
    except ValueError:
        return None
    stamp = local.replace(tzinfo=fmt.zone).astimezone(UTC) if local.tzinfo is None else local.astimezone(UTC)
    return FileIdentity(stamp=stamp, name=name, **codes)


# --- Datalogger text ----------------------------------------------------------------------
_ZONE_SUFFIX = re.compile(r"(?:Z|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))$", re.IGNORECASE)
_COMPACT = "%Y%m%d%H%M%S"


def _strptime_local(text: str, time_format: str) -> datetime:
    if time_format == _COMPACT:
        # The default layout, without strptime's cost (about 10 µs a call) nor its leniency
        # (strptime takes "202601050800" as 08:00:00).
        if len(text) != 14 or not text.isascii() or not text.isdigit():
            raise ValueError(f"not yyyyMMddHHmmss: {text!r}")
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]),
                        int(text[8:10]), int(text[10:12]), int(text[12:14]))
    return datetime.strptime(text, time_format)


def _logger_time(raw: str, fmt: DataloggerFormat, zone: ZoneInfo) -> datetime | tuple[ErrorCode, str]:
    """A datalogger time in UTC, or (code, message)."""
    try:
        local = _strptime_local(raw, fmt.time_format)
    except ValueError:
        local = None
    if local is not None and local.tzinfo is not None:  # the format itself has %z
        offset = local.utcoffset()
        if fmt.zone_suffix == "convert" or offset == local.replace(tzinfo=None).replace(tzinfo=zone).utcoffset():
            return local.astimezone(UTC)
        return ErrorCode.TIME_ZONE, _("“%(value)s” carries the offset %(offset)s; the dataloggers write %(zone)s "
                                      "time.") % {"value": raw, "offset": _offset_text(offset), "zone": fmt.time_zone}
    if local is not None:
        return local.replace(tzinfo=zone).astimezone(UTC)
    suffix = _ZONE_SUFFIX.search(raw)
    if suffix:
        try:
            local = _strptime_local(raw[:suffix.start()].rstrip(), fmt.time_format)
        except ValueError:
            local = None
        if local is not None:
            if suffix.group(0).upper() == "Z":
                offset = timedelta(0)
            else:
                offset = timedelta(hours=int(suffix["hh"]), minutes=int(suffix["mm"]))
                offset = -offset if suffix["sign"] == "-" else offset
            if offset >= timedelta(hours=24):
                return ErrorCode.TIME, _("“%(value)s” is not a time in the format %(format)s.") % {
                    "value": raw, "format": fmt.time_format}
            if fmt.zone_suffix == "reject":
                return ErrorCode.TIME_ZONE, _("“%(value)s” carries a time-zone offset, which this file format does "
                                              "not allow.") % {"value": raw}
            expected = local.replace(tzinfo=zone).utcoffset()
            if fmt.zone_suffix == "match" and offset != expected:
                return ErrorCode.TIME_ZONE, _("“%(value)s” carries the offset %(offset)s; the dataloggers write "
                                              "%(zone)s time (%(expected)s).") % {
                    "value": raw, "offset": _offset_text(offset), "zone": fmt.time_zone,
                    "expected": _offset_text(expected)}
            return local.replace(tzinfo=timezone(offset)).astimezone(UTC)
    return ErrorCode.TIME, _("“%(value)s” is not a time in the format %(format)s.") % {
        "value": raw, "format": fmt.time_format}


def _decode(data: bytes, fmt: DataloggerFormat) -> tuple[str, str] | None:
    """(text, encoding used), or None when no configured encoding reads the bytes."""
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = (fmt.encoding, *fmt.fallback_encodings)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def parse_datalogger_text(data: bytes, *, fmt: DataloggerFormat, now: datetime, resolve_parameter: ResolveCode,
                          filename: str | None = None,
                          max_future: timedelta = DEFAULT_MAX_FUTURE) -> ParseResult[ReadingRow]:
    """The readings of one datalogger transmission (a file, or the body of a push request)."""
    _check_now(now)
    result: ParseResult[ReadingRow] = ParseResult()
    # Size first: a huge body is refused before a byte of it is decoded.
    if len(data) > fmt.max_file_bytes:
        return result.refuse(ErrorCode.TOO_LARGE, _("The file is larger than the limit of %(limit)s.")
                             % {"limit": filesizeformat(fmt.max_file_bytes)})
    if filename is not None:
        identity = parse_filename(filename, fmt=fmt)
        if identity is None:
            return result.refuse(ErrorCode.FILENAME, _("The file name “%(name)s” does not follow the pattern "
                                                       "<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt.")
                                 % {"name": _shown(filename)}, value=_shown(filename))
        result.meta["identity"] = identity
    decoded = _decode(data, fmt)
    if decoded is None or "\x00" in decoded[0]:
        return result.refuse(ErrorCode.ENCODING, _("The file is not text in %(encodings)s.")
                             % {"encodings": ", ".join((fmt.encoding, *fmt.fallback_encodings))})
    text, result.meta["encoding"] = decoded
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    zone = fmt.zone
    sep, width = fmt.separator, fmt.column_count
    columns = fmt.columns
    i_param, i_value, i_time = columns["parameter"], columns["value"], columns["time"]
    i_unit, i_status = columns.get("unit"), columns.get("status")
    comment = fmt.comment_prefix
    resolve = _resolver(resolve_parameter)
    times: dict[str, datetime | tuple[ErrorCode, str]] = {}
    latest = now + max_future
    seen: set[tuple[str, datetime]] = set()
    data_lines = 0

    for number, line in enumerate(lines, start=1):
        if number <= fmt.header_lines:
            continue
        body = line.strip()
        if not body or (comment and body.startswith(comment)):
            continue
        data_lines += 1
        if data_lines > fmt.max_lines:
            return result.refuse(ErrorCode.TOO_MANY_ROWS, _("The file has more than %(max)d lines of readings.")
                                 % {"max": fmt.max_lines})
        parts = line.split(sep)
        # A separator at the end of the line (a trailing tab) is tolerated.
        while len(parts) > width and not parts[-1].strip():
            parts.pop()
        if len(parts) != width:
            result.errors.append(RowError(
                ErrorCode.COLUMNS, _("The line has %(n)d fields; %(expected)d are expected, separated by %(sep)s.")
                % {"n": len(parts), "expected": width, "sep": repr(sep)}, line=number, value=_shown(line)))
            continue
        errors = result.errors
        before = len(errors)

        code = _nfc(parts[i_param])
        parameter = resolve(code) if code else None
        if not code:
            errors.append(_missing("parameter", line=number))
        elif parameter is None:
            errors.append(RowError(ErrorCode.UNKNOWN_PARAMETER, _("Unknown parameter “%(code)s”.")
                                   % {"code": _shown(code)}, line=number, field="parameter", value=_shown(code)))

        raw_value = parts[i_value].strip()
        value = 0.0
        if not raw_value:
            errors.append(_missing("value", line=number))
        else:
            try:
                value = parse_machine_number(raw_value)
            except (ValueError, OverflowError) as exc:
                errors.append(_value_error(raw_value, exc, line=number))

        raw_time = parts[i_time].strip()
        observed = times.get(raw_time)
        if observed is None:
            observed = times[raw_time] = _logger_time(raw_time, fmt, zone) if raw_time else (
                ErrorCode.MISSING, _("No %(field)s.") % {"field": _field_label("time")})
        if isinstance(observed, tuple):
            errors.append(RowError(observed[0], observed[1], line=number, field="time", value=_shown(raw_time)))
        elif observed > latest:
            errors.append(_future_error(observed.astimezone(zone).isoformat(), max_future, raw_time, line=number,
                                        field="time"))

        if i_status is None:
            status = fmt.default_status or ""
        else:
            raw_status = parts[i_status].strip()
            status = fmt.status_codes.get(raw_status, "")
            if not status:
                errors.append(RowError(ErrorCode.STATUS, _("Unknown instrument status “%(value)s” (expected %(codes)s).")
                                       % {"value": _shown(raw_status), "codes": ", ".join(fmt.status_codes)},
                                       line=number, field="status", value=_shown(raw_status)))

        if len(errors) > before:
            continue
        if not result.first_in_batch(seen, (parameter, observed), number):
            continue
        unit = _nfc(parts[i_unit]) if i_unit is not None else ""
        result.rows.append(ReadingRow(code, parameter, value, unit, observed, status, number))

    if data_lines == 0:
        return result.refuse(ErrorCode.EMPTY, _("The file holds no readings."))
    return result


def read_capped(stream: IO[bytes], limit: int) -> bytes | None:
    """At most ``limit`` bytes of a binary stream, or None as soon as it holds more (the rest is never read)."""
    chunks, size = [], 0
    while chunk := stream.read(min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def parse_datalogger_stream(stream: IO[bytes], *, fmt: DataloggerFormat, now: datetime,
                            resolve_parameter: ResolveCode, filename: str | None = None,
                            max_future: timedelta = DEFAULT_MAX_FUTURE) -> ParseResult[ReadingRow]:
    """Like parse_datalogger_text, reading a file or request stream no further than the size limit."""
    data = read_capped(stream, fmt.max_file_bytes)
    if data is None:
        _check_now(now)
        return ParseResult().refuse(ErrorCode.TOO_LARGE, _("The file is larger than the limit of %(limit)s.")
                                    % {"limit": filesizeformat(fmt.max_file_bytes)})
    return parse_datalogger_text(data, fmt=fmt, now=now, resolve_parameter=resolve_parameter, filename=filename,
                                 max_future=max_future)


# --- JSON push batches --------------------------------------------------------------------
def _iso_time(raw: Any) -> datetime | tuple[ErrorCode, str]:
    if not isinstance(raw, str) or not raw.strip():
        return ErrorCode.TIME, _("“%(value)s” is not an ISO 8601 time.") % {"value": _shown(raw)}
    try:
        parsed = datetime.fromisoformat(raw.strip())
    except ValueError:
        return ErrorCode.TIME, _("“%(value)s” is not an ISO 8601 time.") % {"value": _shown(raw)}
    if parsed.tzinfo is None:
        return ErrorCode.TIME_ZONE, _("“%(value)s” has no time-zone offset; write it like "
                                      "2026-01-05T08:00:00+07:00.") % {"value": _shown(raw)}
    return parsed.astimezone(UTC)


def load_json_body(data: bytes) -> Any:
    """The JSON document in a pushed body; raises ValueError (or RecursionError) when it is not
    JSON. orjson reads a 10,000-reading batch four times faster than the json module; the
    json module's reading is the fallback, for what orjson refuses but a datalogger may send
    (NaN, integers beyond 64 bits): the checks then explain the offending value."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


_FIELDS = tuple(map(operator.itemgetter, ("parameter", "value", "unit", "observed_at", "status")))
_NUMBER_TYPES = frozenset({float, int})


def _status_of(raw: str | int, status_codes: Mapping[str, str]) -> str:
    """The reading status for a status as sent ("" when unknown), as parse_json_batch reads it."""
    if isinstance(raw, str):
        key = raw.strip()
        return key.lower() if key.lower() in READING_STATUSES else status_codes.get(key, "")
    return status_codes.get(f"{raw:02d}", "") if 0 <= raw < 100 else ""  # 0 for "00"


def _clean_batch_columns(readings: list, *, latest: datetime, resolve: ResolveCode,
                         status_codes: Mapping[str, str]) -> ReadingColumns | None:
    """The batch as columns when every reading is well formed, or None: then the reading-by-
    reading check below finds and explains what is wrong. The checks run on the distinct
    values (a batch names a few parameters, one unit, one status, a few hundred times) and
    on whole columns with C-level map/set/zip, so a clean batch costs no Python loop."""
    try:
        # One pass per field: transposing with zip(*rows) costs ten times more.
        codes, values, units, times, statuses = (list(map(getter, readings)) for getter in _FIELDS)
    except (KeyError, TypeError, AttributeError, IndexError):  # not all objects, or a field missing
        return None
    if (set(map(type, codes)) != {str} or set(map(type, units)) != {str} or set(map(type, times)) != {str}
            or not set(map(type, values)) <= _NUMBER_TYPES or len(set(map(type, statuses))) != 1
            or type(statuses[0]) not in (str, int)):
        return None
    code_map: dict[str, tuple[str, str]] = {}
    for raw in set(codes):
        code = _nfc(raw)
        parameter = resolve(code) if code else None
        if parameter is None:
            return None
        code_map[raw] = (code, parameter)
    unit_map = {raw: _nfc(raw) for raw in set(units)}
    status_map = {raw: _status_of(raw, status_codes) for raw in set(statuses)}
    if not all(status_map.values()):
        return None
    time_map: dict[str, datetime] = {}
    for raw in set(times):
        observed = _iso_time(raw)
        if isinstance(observed, tuple) or observed > latest:
            return None
        time_map[raw] = observed
    try:
        floats = list(map(float, values))
    except OverflowError:  # a JSON integer beyond float
        return None
    if not all(map(math.isfinite, floats)) or min(floats) < -MAX_MAGNITUDE or max(floats) > MAX_MAGNITUDE:
        return None
    parameter_of = {raw: parameter for raw, (_code, parameter) in code_map.items()}
    # Repeats in the batch are counted reading by reading (the row path). When no two texts
    # name the same parameter or the same instant, comparing the texts as sent is enough, and
    # hashing strings is much cheaper than hashing (parameter, datetime) pairs.
    if (len(set(parameter_of.values())) == len(parameter_of) and len(set(time_map.values())) == len(time_map)):
        repeats = len(set(zip(codes, times, strict=True))) != len(readings)
    else:
        repeats = len(set(zip(map(parameter_of.__getitem__, codes), map(time_map.__getitem__, times),
                              strict=True))) != len(readings)
    if repeats:
        return None
    return ReadingColumns(parameter_codes=list(map({raw: code for raw, (code, _p) in code_map.items()}.__getitem__,
                                                   codes)),
                          parameters=list(map(parameter_of.__getitem__, codes)), values=floats,
                          units=list(map(unit_map.__getitem__, units)), observed=list(map(time_map.__getitem__, times)),
                          statuses=list(map(status_map.__getitem__, statuses)))


def parse_json_batch(payload: Any, *, now: datetime, resolve_parameter: ResolveCode, max_rows: int = MAX_JSON_ROWS,
                     max_future: timedelta = DEFAULT_MAX_FUTURE,
                     status_codes: Mapping[str, str] = DEFAULT_STATUS_CODES) -> ParseResult[ReadingRow]:
    """The readings of a pushed JSON batch ``{"readings": [{parameter, value, unit, observed_at, status}]}``."""
    _check_now(now)
    result: ParseResult[ReadingRow] = ParseResult()
    readings = payload.get("readings") if isinstance(payload, Mapping) else None
    if not isinstance(readings, list):
        return result.refuse(ErrorCode.FORMAT, _("The batch must be a JSON object with a list “readings”."))
    if len(readings) > max_rows:
        return result.refuse(ErrorCode.TOO_MANY_ROWS, _("The batch has %(n)d readings; the limit is %(max)d.")
                             % {"n": len(readings), "max": max_rows})
    if not readings:
        return result.refuse(ErrorCode.EMPTY, _("The batch holds no readings."))
    resolve = _resolver(resolve_parameter)
    columns = _clean_batch_columns(readings, latest=now + max_future, resolve=resolve, status_codes=status_codes)
    if columns is not None:
        result.rows = columns
        return result
    times: dict[str, datetime | tuple[ErrorCode, str]] = {}
    latest = now + max_future
    seen: set[tuple[str, datetime]] = set()
    errors = result.errors

    # Reading by reading: a batch the column path above did not take holds something unusual,
    # and each error is explained here.
    for index, item in enumerate(readings):
        if type(item) is not dict and not isinstance(item, Mapping):
            errors.append(RowError(ErrorCode.FORMAT, _("Reading %(index)d is not a JSON object.") % {"index": index},
                                   index=index))
            continue
        before = len(errors)

        raw_code = item.get("parameter")
        code = _nfc(raw_code) if isinstance(raw_code, str) else ""
        parameter = resolve(code) if code else None
        if raw_code is not None and not isinstance(raw_code, str):
            errors.append(RowError(ErrorCode.FORMAT, _("“%(field)s” must be text.") % {"field": "parameter"},
                                   index=index, field="parameter", value=_shown(raw_code)))
        elif not code:
            errors.append(_missing("parameter", index=index))
        elif parameter is None:
            errors.append(RowError(ErrorCode.UNKNOWN_PARAMETER, _("Unknown parameter “%(code)s”.")
                                   % {"code": _shown(code)}, index=index, field="parameter", value=_shown(code)))

        raw_value = item.get("value")
        value = 0.0
        if raw_value is None or (isinstance(raw_value, str) and not raw_value.strip()):
            errors.append(_missing("value", index=index))
        else:
            try:
                value = parse_machine_number(raw_value)
            except (ValueError, OverflowError) as exc:
                errors.append(_value_error(raw_value, exc, index=index))

        raw_unit = item.get("unit", "")
        if raw_unit is None:
            raw_unit = ""
        if not isinstance(raw_unit, str):
            errors.append(RowError(ErrorCode.FORMAT, _("“%(field)s” must be text.") % {"field": "unit"},
                                   index=index, field="unit", value=_shown(raw_unit)))
            raw_unit = ""

        raw_time = item.get("observed_at")
        if raw_time is None:
            errors.append(_missing("observed_at", index=index))
        else:
            observed = times.get(raw_time) if isinstance(raw_time, str) else None
            if observed is None:
                observed = _iso_time(raw_time)
                if isinstance(raw_time, str):
                    times[raw_time] = observed
            if isinstance(observed, tuple):
                errors.append(RowError(observed[0], observed[1], index=index, field="observed_at",
                                       value=_shown(raw_time)))
            elif observed > latest:
                errors.append(_future_error(_shown(raw_time), max_future, raw_time, index=index,
                                            field="observed_at"))

        raw_status = item.get("status")
        status = ""
        if raw_status is None:
            errors.append(_missing("status", index=index))
        else:
            if isinstance(raw_status, str) or (isinstance(raw_status, int) and not isinstance(raw_status, bool)):
                status = _status_of(raw_status, status_codes)
            if not status:
                errors.append(RowError(ErrorCode.STATUS, _("Unknown instrument status “%(value)s” (expected %(codes)s).")
                                       % {"value": _shown(raw_status),
                                          "codes": ", ".join((*READING_STATUSES, *status_codes))},
                                       index=index, field="status", value=_shown(raw_status)))

        if len(errors) > before:
            continue
        if not result.first_in_batch(seen, (parameter, observed), index):
            continue
        result.rows.append(ReadingRow(code, parameter, value, _nfc(raw_unit), observed, status, index))
    return result


# --- Periodic results (CSV, XLSX) ---------------------------------------------------------
# Canonical field -> accepted headers, folded by layers.imports.parsing.column_key
# ("Đợt quan trắc" -> "dot_quan_trac").
PERIODIC_HEADERS: Mapping[str, tuple[str, ...]] = {
    "campaign": ("dot_quan_trac", "dot", "dot_lay_mau", "campaign", "sampling_campaign"),
    "point": ("diem", "diem_quan_trac", "ma_diem", "ma_diem_quan_trac", "diem_lay_mau", "vi_tri",
              "point", "point_code", "sampling_point", "monitoring_point"),
    "parameter": ("thong_so", "chi_tieu", "thong_so_quan_trac", "parameter", "parameter_code"),
    "value": ("gia_tri", "ket_qua", "value", "result"),
    "unit": ("don_vi", "don_vi_tinh", "dvt", "unit"),
    "sampled_at": ("thoi_gian_lay_mau", "ngay_lay_mau", "thoi_gian", "ngay", "sampled_at", "sampled_on",
                   "sampling_time", "sampling_date", "date"),
    "note": ("ghi_chu", "note", "notes", "remark", "remarks"),
}
REQUIRED_PERIODIC = ("campaign", "point", "parameter", "value", "unit", "sampled_at")
_HEADER_FIELD = {alias: name for name, aliases in PERIODIC_HEADERS.items() for alias in aliases}
# Lab shorthand for "not detected" that lacks the detection limit to store.
_NOT_DETECTED = {"kph", "khong phat hien", "nd", "n.d", "n.d.", "not detected", "<ld", "<lod"}
_DMY_TIME = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?")


class TableRow(dict):
    """A table row as header -> cell, with the row's number in its file."""

    line: int = 0


def map_periodic_headers(headers: Iterable[str]) -> tuple[dict[str, str], list[RowError]]:
    """Source header -> canonical field for a results table, and the file errors (missing or doubled columns)."""
    mapping: dict[str, str] = {}
    taken: dict[str, str] = {}
    errors: list[RowError] = []
    for header in headers:
        name = _HEADER_FIELD.get(column_key(header))
        if name is None:
            continue
        if name in taken:
            errors.append(RowError(ErrorCode.DUPLICATE_COLUMN, _("The columns “%(a)s” and “%(b)s” both hold the "
                                                                 "%(field)s.") % {"a": taken[name], "b": header,
                                                                                  "field": _field_label(name)}))
            continue
        taken[name] = header
        mapping[header] = name
    for name in REQUIRED_PERIODIC:
        if name not in taken:
            errors.append(RowError(ErrorCode.MISSING_COLUMN, _("The table has no column for the %(field)s (accepted "
                                                               "headers: %(aliases)s).")
                                   % {"field": _field_label(name), "aliases": ", ".join(PERIODIC_HEADERS[name])},
                                   field=name))
    return mapping, errors


def _periodic_value(raw: Any) -> tuple[float, bool, str]:
    """(value, below detection limit, ambiguity note) of a result cell; raises CellError or OverflowError."""
    below = False
    if isinstance(raw, str):
        text = raw.strip()
        if fold(text) in _NOT_DETECTED:
            raise CellError(_("“%(value)s” (not detected) needs the detection limit: write it as “<0.5”, "
                              "with the limit.") % {"value": _shown(text)})
        if text.startswith((">", "≥", "≤")):
            raise CellError(_("“%(value)s”: only “<” (below the detection limit) may precede a result.")
                            % {"value": _shown(text)})
        if text.startswith("<"):
            below, text = True, text[1:].strip()
        raw = text
    reading = parse_number(raw)
    if reading is None:
        raise CellError(_("“%(value)s” is not a number.") % {"value": _shown(raw)})
    number = float(reading.value)
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise OverflowError(str(raw))
    return number, below, reading.note


def _sampled_at(raw: Any, zone: ZoneInfo) -> date | datetime:
    """A sampling date or time: a date stays a date; a time without offset is local (``zone``), stored in UTC."""
    if isinstance(raw, datetime):
        if raw.tzinfo is not None:
            return raw.astimezone(UTC)
        # A spreadsheet date cell comes back as a datetime at midnight: that is a date.
        if raw.time() == time(0, 0):
            return raw.date()
        return raw.replace(tzinfo=zone).astimezone(UTC)
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise CellError(_("“%(value)s” is not a date (write it as dd/mm/yyyy).") % {"value": _shown(raw)})
    text = clean_text(raw)
    match = _DMY_TIME.fullmatch(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        try:
            local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        except ValueError:
            raise CellError(_("“%(value)s” is not a valid date and time.") % {"value": _shown(text)}) from None
        return local.replace(tzinfo=zone).astimezone(UTC)
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(_("“%(value)s” is not a valid date and time.") % {"value": _shown(text)}) from None
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=zone).astimezone(UTC)
    found = parse_date(text)
    if found is None:
        raise CellError(_("No %(field)s.") % {"field": _field_label("sampled_at")})
    return found


def parse_periodic_table(rows: Iterable[Mapping[str, Any]], *, resolve_parameter: ResolveCode,
                         resolve_point: ResolveCode, now: datetime | None = None,
                         time_zone: str = "Asia/Ho_Chi_Minh", max_rows: int = MAX_TABLE_ROWS,
                         first_line: int = 2) -> ParseResult[PeriodicRow]:
    """Periodic sampling results from table rows (read_csv / read_xlsx, or any header -> cell mappings)."""
    if now is not None:
        _check_now(now)
    zone = ZoneInfo(time_zone)
    result: ParseResult[PeriodicRow] = ParseResult()
    errors = result.errors
    resolve_param, resolve_pt = _resolver(resolve_parameter), _resolver(resolve_point)
    mapping: dict[str, str] | None = None
    seen: set[tuple[str, str, str, date | datetime]] = set()
    count = 0
    try:
        for position, row in enumerate(rows):
            line = getattr(row, "line", 0) or first_line + position
            if mapping is None:
                mapping, header_errors = map_periodic_headers(row.keys())
                result.meta["columns"] = dict(mapping)
                if header_errors:
                    result.rows.clear()
                    errors.extend(header_errors)
                    return result
            cells = {name: row.get(header) for header, name in mapping.items()}
            if all(is_blank(v) for v in row.values()):
                continue
            count += 1
            if count > max_rows:
                return result.refuse(ErrorCode.TOO_MANY_ROWS, _("The table has more than %(max)d rows.")
                                     % {"max": max_rows})
            before = len(errors)
            texts: dict[str, str] = {}
            for name in ("campaign", "point", "parameter", "unit", "note"):
                try:
                    texts[name] = clean_text(cells.get(name), max_length=200)
                except CellError as exc:
                    errors.append(RowError(ErrorCode.FORMAT, str(exc), line=line, field=name,
                                           value=_shown(cells.get(name))))
                    texts[name] = ""
            for name in ("campaign", "point", "parameter"):
                if not texts[name] and not any(e.field == name for e in errors[before:]):
                    errors.append(_missing(name, line=line))
            point = resolve_pt(texts["point"]) if texts["point"] else None
            if texts["point"] and point is None:
                errors.append(RowError(ErrorCode.UNKNOWN_POINT, _("Unknown monitoring point “%(code)s”.")
                                       % {"code": _shown(texts["point"])}, line=line, field="point",
                                       value=_shown(texts["point"])))
            parameter = resolve_param(texts["parameter"]) if texts["parameter"] else None
            if texts["parameter"] and parameter is None:
                errors.append(RowError(ErrorCode.UNKNOWN_PARAMETER, _("Unknown parameter “%(code)s”.")
                                       % {"code": _shown(texts["parameter"])}, line=line, field="parameter",
                                       value=_shown(texts["parameter"])))

            raw_value = cells.get("value")
            value, below = 0.0, False
            if is_blank(raw_value):
                errors.append(_missing("value", line=line))
            else:
                try:
                    value, below, note = _periodic_value(raw_value)
                except OverflowError as exc:
                    errors.append(_value_error(raw_value, exc, line=line))
                except CellError as exc:
                    errors.append(RowError(ErrorCode.NUMBER, str(exc), line=line, field="value",
                                           value=_shown(raw_value)))
                else:
                    if note:
                        result.warnings.append(RowError(ErrorCode.AMBIGUOUS_NUMBER, note, line=line, field="value",
                                                        value=_shown(raw_value)))

            raw_time = cells.get("sampled_at")
            sampled: date | datetime | None = None
            if is_blank(raw_time):
                errors.append(_missing("sampled_at", line=line))
            else:
                try:
                    sampled = _sampled_at(raw_time, zone)
                except CellError as exc:
                    errors.append(RowError(ErrorCode.TIME, str(exc), line=line, field="sampled_at",
                                           value=_shown(raw_time)))
                else:
                    if now is not None and _after(sampled, now, zone):
                        errors.append(RowError(ErrorCode.FUTURE, _("The sampling time %(time)s is in the future.")
                                               % {"time": _shown(str(raw_time))}, line=line, field="sampled_at",
                                               value=_shown(raw_time)))

            if len(errors) > before:
                continue
            if not result.first_in_batch(seen, (texts["campaign"], point, parameter, sampled), line):
                continue
            result.rows.append(PeriodicRow(
                campaign=texts["campaign"], point_code=texts["point"], point=point, parameter_code=texts["parameter"],
                parameter=parameter, value=value, unit=texts["unit"], sampled_at=sampled, note=texts["note"],
                below_detection=below, line=line))
    except IngestRefused as exc:
        return result.refuse(exc.reason, exc.message)
    if mapping is None or count == 0:
        return result.refuse(ErrorCode.EMPTY, _("The table holds no results."))
    return result


def _after(sampled: date | datetime, now: datetime, zone: ZoneInfo) -> bool:
    if isinstance(sampled, datetime):
        return sampled > now
    return sampled > now.astimezone(zone).date()


# --- Table readers ------------------------------------------------------------------------
def _read_all(fileobj: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if isinstance(fileobj, bytes | bytearray):
        data: bytes | None = bytes(fileobj) if len(fileobj) <= max_bytes else None
    else:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
        data = read_capped(fileobj, max_bytes)
    if data is None:
        raise IngestRefused(ErrorCode.TOO_LARGE, _("The file is larger than the limit of %(limit)s.")
                            % {"limit": filesizeformat(max_bytes)})
    return data


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _table_rows(records: Iterable[tuple[int, Sequence[Any]]], *, max_rows: int,
                blank_slack: int | None = None) -> Iterator[TableRow]:
    """Rows of (line, cells) records as header -> cell: the first non-blank record names the
    columns; blank records are skipped (past `blank_slack` in a row, the table has ended)."""
    headers: list[str] | None = None
    count = blanks = 0
    for line, record in records:
        if all(is_blank(cell) for cell in record):
            blanks += 1
            if blank_slack is not None and blanks > blank_slack:
                break
            continue
        blanks = 0
        if headers is None:
            headers = [clean_text(h) or f"column_{i}" for i, h in enumerate(record, start=1)]
            continue
        count += 1
        if count > max_rows:
            raise IngestRefused(ErrorCode.TOO_MANY_ROWS, _("The table has more than %(max)d rows.")
                                % {"max": max_rows})
        row = TableRow((h, record[i] if i < len(record) else None) for i, h in enumerate(headers))
        row.line = line
        yield row


def read_csv(fileobj: IO[bytes] | bytes, *, max_bytes: int, max_rows: int = MAX_TABLE_ROWS) -> Iterator[TableRow]:
    """The rows of a CSV table (";" or "," separated, UTF-8 with or without BOM, else Windows-1258)."""
    data = _read_all(fileobj, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Vietnamese Windows saves "CSV" in the ANSI code page.
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        raise IngestRefused(ErrorCode.ENCODING, _("The file is not text in %(encodings)s.")
                            % {"encodings": "UTF-8, Windows-1258"})
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        # line_num after each record: a quoted cell may span lines.
        yield from _table_rows(((reader.line_num, record) for record in reader), max_rows=max_rows)
    except csv.Error as exc:
        raise IngestRefused(ErrorCode.FORMAT, _("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def read_xlsx(fileobj: IO[bytes] | bytes, *, max_bytes: int, max_rows: int = MAX_TABLE_ROWS,
              sheet: str | None = None) -> Iterator[TableRow]:
    """The rows of the first (or the named) sheet of an .xlsx workbook, checked like every upload first."""
    data = _read_all(fileobj, max_bytes)
    if not data.startswith(b"PK\x03\x04"):
        raise IngestRefused(ErrorCode.FORMAT, _("The file is not a valid Excel workbook (.xlsx)."))
    import openpyxl

    with tempfile.TemporaryDirectory(prefix="geoportal-monitoring-") as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(data)
        del data
        try:
            check_xlsx(path)  # zip limits, no DOCTYPE/entities in any part
        except ImportRefused as exc:
            raise IngestRefused(ErrorCode.FORMAT, exc.message) from None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "no default style" and similar noise
                book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types (KeyError, InvalidFileException, zip errors) for a bad file
            raise IngestRefused(ErrorCode.FORMAT, _("The file is not a valid Excel workbook (.xlsx).")) from None
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise IngestRefused(ErrorCode.FORMAT, _("The workbook has no sheet “%(sheet)s”.") % {"sheet": sheet})
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
            yield from _table_rows(enumerate(worksheet.iter_rows(values_only=True), start=1), max_rows=max_rows,
                                   blank_slack=BLANK_ROW_SLACK)
        finally:
            book.close()
