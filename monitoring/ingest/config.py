"""The layout of datalogger text files, as configuration.

Circular 10/2021/TT-BTNMT Art. 39 fixes the fields a datalogger keeps (parameter, value,
unit, time, instrument status) but the file layout below is only the commonly implemented
one (DOMAIN.md section 2, tagged [U]): one file per transmission named
``<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt`` with lines
``parameter<TAB>value<TAB>unit<TAB>yyyyMMddHHmmss<TAB>status``, status 00 measuring,
01 calibrating, 02 instrument error. Every part of it is therefore a setting
(``MONITORING_DATALOGGER_FORMAT``, a dict of the fields of ``DataloggerFormat``); the
defaults are that layout.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MEASURING, CALIBRATING, ERROR = "measuring", "calibrating", "error"
# The instrument states of Circular 10/2021 Art. 39; monitoring.choices.ReadingStatus
# holds the same three (ReadingStatus[status.upper()]).
READING_STATUSES = (MEASURING, CALIBRATING, ERROR)

COLUMN_NAMES = ("parameter", "value", "unit", "time", "status")
REQUIRED_COLUMNS = ("parameter", "value", "time")

# Time-zone suffixes on datalogger times: "reject" (any suffix is an error), "match" (a
# suffix is allowed but must equal the configured zone's offset; a different one means the
# logger clock is not on the legal local time, which is reported, never silently shifted),
# "convert" (any explicit offset is trusted and converted).
ZONE_SUFFIX_MODES = ("reject", "match", "convert")

DEFAULT_COLUMNS: Mapping[str, int] = MappingProxyType(
    {"parameter": 0, "value": 1, "unit": 2, "time": 3, "status": 4})
DEFAULT_STATUS_CODES: Mapping[str, str] = MappingProxyType({"00": MEASURING, "01": CALIBRATING, "02": ERROR})
# [U] Anything but "_" in the three codes; the stamp is the transmission time in local time.
DEFAULT_FILENAME_PATTERN = (r"(?P<province>[^_]+)_(?P<facility>[^_]+)_(?P<station>[^_]+)_(?P<stamp>\d{14})\.txt")
# A transmission holds one line per parameter; a re-send of a backlog (the logger keeps
# 60 days, Art. 39) of 20 parameters at 5 minutes is ~350,000 lines and ~17 MB, which a
# sender should split; the limits bound the memory one file can take.
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_LINES = 200_000


@dataclass(frozen=True)
class DataloggerFormat:
    """How to read one datalogger text file; the defaults are DOMAIN.md section 2 [U]."""

    separator: str = "\t"
    # Field name -> 0-based column. "unit" and "status" may be left out (then the unit is
    # "" and the status is default_status).
    columns: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    time_format: str = "%Y%m%d%H%M%S"
    # [U] Dataloggers write local (Vietnam) time, UTC+7 without daylight saving.
    time_zone: str = "Asia/Ho_Chi_Minh"
    zone_suffix: str = "match"
    status_codes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_CODES))
    default_status: str | None = None
    encoding: str = "utf-8"
    # Loggers configured on Vietnamese Windows write "ANSI" (Windows-1258) units such as "µg/m³".
    fallback_encodings: tuple[str, ...] = ("cp1258",)
    filename_pattern: str = DEFAULT_FILENAME_PATTERN
    filename_time_format: str = "%Y%m%d%H%M%S"
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_lines: int = DEFAULT_MAX_LINES
    comment_prefix: str = "#"
    header_lines: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", dict(self.columns))
        object.__setattr__(self, "status_codes", {str(k): v for k, v in self.status_codes.items()})
        object.__setattr__(self, "fallback_encodings", tuple(self.fallback_encodings))
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """What is inconsistent in this format (empty when it can be used)."""
        out: list[str] = []
        if not self.separator:
            out.append("separator must not be empty")
        unknown = sorted(set(self.columns) - set(COLUMN_NAMES))
        if unknown:
            out.append(f"unknown columns {unknown}; known: {list(COLUMN_NAMES)}")
        missing = [name for name in REQUIRED_COLUMNS if name not in self.columns]
        if missing:
            out.append(f"columns must include {missing}")
        indexes = list(self.columns.values())
        if any(not isinstance(i, int) or isinstance(i, bool) or i < 0 for i in indexes):
            out.append("column indexes must be integers >= 0")
        elif len(set(indexes)) != len(indexes):
            out.append("two fields share a column")
        bad_status = sorted(set(self.status_codes.values()) - set(READING_STATUSES))
        if bad_status:
            out.append(f"status codes map to unknown states {bad_status}; known: {list(READING_STATUSES)}")
        if "status" not in self.columns and self.default_status not in READING_STATUSES:
            out.append("without a status column, default_status must be one of " + ", ".join(READING_STATUSES))
        elif self.default_status is not None and self.default_status not in READING_STATUSES:
            out.append(f"default_status {self.default_status!r} is not one of {list(READING_STATUSES)}")
        if self.zone_suffix not in ZONE_SUFFIX_MODES:
            out.append(f"zone_suffix must be one of {list(ZONE_SUFFIX_MODES)}")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            out.append(f"unknown time zone {self.time_zone!r}")
        for name in ("time_format", "filename_time_format"):
            try:
                datetime(2026, 1, 5, 8, 0, 0).strftime(getattr(self, name))
            except ValueError:
                out.append(f"{name} is not a strftime format")
        for encoding in (self.encoding, *self.fallback_encodings):
            try:
                codecs.lookup(encoding)
            except LookupError:
                out.append(f"unknown encoding {encoding!r}")
        try:
            groups = set(re.compile(self.filename_pattern).groupindex)
        except re.error as exc:
            out.append(f"filename_pattern is not a regular expression: {exc}")
        else:
            lacking = sorted({"province", "facility", "station", "stamp"} - groups)
            if lacking:
                out.append(f"filename_pattern lacks the named groups {lacking}")
        for name in ("max_file_bytes", "max_lines"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                out.append(f"{name} must be a positive integer")
        if not isinstance(self.header_lines, int) or self.header_lines < 0:
            out.append("header_lines must be an integer >= 0")
        return out

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone of the times in the file and its name."""
        return ZoneInfo(self.time_zone)

    @property
    def column_count(self) -> int:
        """How many fields a data line has."""
        return max(self.columns.values()) + 1

    @property
    def filename_regex(self) -> re.Pattern[str]:
        """The compiled file-name pattern (matched in full, case-insensitively)."""
        return re.compile(self.filename_pattern, re.IGNORECASE)


DEFAULT_FORMAT = DataloggerFormat()


def format_from_settings(value: Mapping[str, Any] | None) -> DataloggerFormat:
    """The datalogger format from the MONITORING_DATALOGGER_FORMAT setting (overrides of the defaults)."""
    from django.core.exceptions import ImproperlyConfigured

    if not value:
        return DEFAULT_FORMAT
    if not isinstance(value, Mapping):
        raise ImproperlyConfigured("MONITORING_DATALOGGER_FORMAT must be a dict of DataloggerFormat fields.")
    known = {f.name for f in fields(DataloggerFormat)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ImproperlyConfigured(f"MONITORING_DATALOGGER_FORMAT: unknown keys {unknown}; known: {sorted(known)}")
    try:
        return DataloggerFormat(**value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"MONITORING_DATALOGGER_FORMAT: {exc}") from None
