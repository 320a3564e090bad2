"""Pure parsing of monitoring data: datalogger files, JSON push batches, periodic result tables.

No database: the look-ups are plain dicts. Every malformed case the monitoring issue lists
has a row in a table below.
"""
from __future__ import annotations

import codecs
import io
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from monitoring.ingest.config import (
    CALIBRATING,
    DEFAULT_FORMAT,
    ERROR,
    MEASURING,
    DataloggerFormat,
    format_from_settings,
)
from monitoring.ingest.parsing import (
    ErrorCode,
    FileIdentity,
    IngestRefused,
    parse_datalogger_stream,
    parse_datalogger_text,
    parse_filename,
    parse_json_batch,
    parse_machine_number,
    parse_periodic_table,
    read_csv,
    read_xlsx,
)

# 08:00 in Hai Phong (UTC+7) on 5 January 2026 is 01:00 UTC.
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
CATALOGUE = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "COD": "cod", "pH": "ph", "TSS": "tss"}
POINTS = {"NM-01": "nm01", "NM-02": "nm02", "KK-05": "kk05"}
FILENAME = "HP_CTY01_TR1_20260105080000.txt"


def resolve(code: str) -> str | None:
    return CATALOGUE.get(code)


def resolve_point(code: str) -> str | None:
    return POINTS.get(code)


def logger_file(*lines: str, newline: str = "\n") -> bytes:
    return newline.join(lines).encode("utf-8")


def parse(data: bytes, fmt: DataloggerFormat = DEFAULT_FORMAT, **kwargs):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("resolve_parameter", resolve)
    return parse_datalogger_text(data, fmt=fmt, **kwargs)


def codes(result) -> list[str]:
    return [str(e.code) for e in result.errors]


GOOD_LINE = "PM2.5\t12.5\tµg/m³\t20260105080000\t00"


# --- Datalogger text: the happy path ------------------------------------------------------
def test_default_layout_reads_values_local_time_and_status():
    """Lines of the default layout become readings in UTC, with their status and unit."""
    result = parse(logger_file(GOOD_LINE, "SO2\t3,2\tµg/m³\t20260105080000\t01", "TSS\t40\tmg/L\t20260105075500\t02"),
                   filename=FILENAME)
    assert result.ok, result.errors
    assert [(r.parameter_code, r.parameter, r.value, r.status, r.line) for r in result.rows] == [
        ("PM2.5", "pm25", 12.5, MEASURING, 1), ("SO2", "so2", 3.2, CALIBRATING, 2), ("TSS", "tss", 40.0, ERROR, 3)]
    assert result.rows[0].observed_at == datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    assert result.rows[2].observed_at == datetime(2026, 1, 5, 0, 55, tzinfo=UTC)
    assert result.rows[0].unit == "µg/m³"
    assert result.meta["identity"] == FileIdentity("HP", "CTY01", "TR1", datetime(2026, 1, 5, 1, 0, tzinfo=UTC),
                                                   FILENAME)


@pytest.mark.parametrize("data", [
    pytest.param(logger_file(GOOD_LINE, "SO2\t3\tµg/m³\t20260105080000\t00", newline="\r\n") + b"\r\n", id="crlf"),
    pytest.param(codecs.BOM_UTF8 + logger_file(GOOD_LINE, "SO2\t3\tµg/m³\t20260105080000\t00"), id="utf8-bom"),
    pytest.param(logger_file(GOOD_LINE, "SO2\t3\tµg/m³\t20260105080000\t00", newline="\r"), id="cr-only"),
    pytest.param(f"{GOOD_LINE}\nSO2\t3\tµg/m³\t20260105080000\t00".encode("utf-16"), id="utf16-bom"),
    pytest.param(f"{GOOD_LINE}\nSO2\t3\tµg/m³\t20260105080000\t00".encode("cp1258"), id="windows-1258"),
    pytest.param(logger_file("# station TR1, firmware 2.1", "", GOOD_LINE, "   ", "SO2\t3\tµg/m³\t20260105080000\t00",
                             ""), id="comments-and-blank-lines"),
    pytest.param(logger_file(GOOD_LINE + "\t", "SO2\t3\tµg/m³\t20260105080000\t00\t "), id="trailing-separator"),
    pytest.param(logger_file(" PM2.5 \t 12.5 \t µg/m³ \t 20260105080000 \t 00 ", "SO2\t3\tµg/m³\t20260105080000\t00"),
                 id="padded-fields"),
])
def test_line_endings_encodings_and_padding_are_tolerated(data):
    """CRLF, CR, BOMs, Windows-1258, comments, blank lines and a trailing tab all read the same two rows."""
    result = parse(data)
    assert result.ok, result.errors
    assert [(r.parameter, r.value, r.unit) for r in result.rows] == [("pm25", 12.5, "µg/m³"), ("so2", 3.0, "µg/m³")]


@pytest.mark.parametrize("raw, expected", [
    ("12.5", 12.5), ("12,5", 12.5), ("-3", -3.0), ("+0.5", 0.5), (".5", 0.5), ("12.", 12.0),
    ("1.2E+03", 1200.0), ("1e12", 1e12), ("-1e12", -1e12), (" 7 ", 7.0), (0, 0.0), (7, 7.0), (2.5, 2.5),
])
def test_machine_numbers_accepted(raw, expected):
    """Instrument numbers take "." or "," as the decimal mark, and exponents."""
    assert parse_machine_number(raw) == expected


@pytest.mark.parametrize("raw, error", [
    ("NaN", ValueError), ("nan", ValueError), ("inf", ValueError), ("-Infinity", ValueError), ("", ValueError),
    ("1,234.5", ValueError), ("1.234,5", ValueError), ("1_000", ValueError), ("12 5", ValueError),
    ("0x1A", ValueError), (True, ValueError), (None, ValueError), (float("nan"), ValueError),
    (float("inf"), ValueError), ("1e13", OverflowError), (-2e12, OverflowError), (10**400, OverflowError),
])
def test_machine_numbers_refused(raw, error):
    """NaN, infinities, empty text, thousands separators, booleans and magnitudes above 1e12 are refused."""
    with pytest.raises(error):
        parse_machine_number(raw)


# --- Datalogger text: malformed lines -----------------------------------------------------
@pytest.mark.parametrize("line, code, field", [
    # wrong columns
    ("PM2.5\t12\tµg/m³\t20260105080000", ErrorCode.COLUMNS, ""),
    ("PM2.5\t12\tµg/m³\t20260105080000\t00\textra", ErrorCode.COLUMNS, ""),
    ("PM2.5 12 µg/m³ 20260105080000 00", ErrorCode.COLUMNS, ""),
    ("PM2.5;12;µg/m³;20260105080000;00", ErrorCode.COLUMNS, ""),
    # bad numbers
    ("PM2.5\tabc\tµg/m³\t20260105080000\t00", ErrorCode.NUMBER, "value"),
    ("PM2.5\tNaN\tµg/m³\t20260105080000\t00", ErrorCode.NUMBER, "value"),
    ("PM2.5\tinf\tµg/m³\t20260105080000\t00", ErrorCode.NUMBER, "value"),
    ("PM2.5\t1,234.5\tµg/m³\t20260105080000\t00", ErrorCode.NUMBER, "value"),
    ("PM2.5\t\tµg/m³\t20260105080000\t00", ErrorCode.MISSING, "value"),
    ("PM2.5\t1e13\tµg/m³\t20260105080000\t00", ErrorCode.RANGE, "value"),
    # unknown parameters
    ("PM1\t12\tµg/m³\t20260105080000\t00", ErrorCode.UNKNOWN_PARAMETER, "parameter"),
    ("pm2.5\t12\tµg/m³\t20260105080000\t00", ErrorCode.UNKNOWN_PARAMETER, "parameter"),  # the resolver decides case
    ("\t12\tµg/m³\t20260105080000\t00", ErrorCode.MISSING, "parameter"),
    # bad times
    ("PM2.5\t12\tµg/m³\t20261305080000\t00", ErrorCode.TIME, "time"),
    ("PM2.5\t12\tµg/m³\t2026-01-05 08:00\t00", ErrorCode.TIME, "time"),
    ("PM2.5\t12\tµg/m³\t202601050800\t00", ErrorCode.TIME, "time"),
    ("PM2.5\t12\tµg/m³\t\t00", ErrorCode.MISSING, "time"),
    # future timestamps (now is 08:00 local; 10 minutes of clock drift are allowed)
    ("PM2.5\t12\tµg/m³\t20260105081001\t00", ErrorCode.FUTURE, "time"),
    ("PM2.5\t12\tµg/m³\t20270105080000\t00", ErrorCode.FUTURE, "time"),
    # wrong time zone: an explicit offset other than Vietnam's
    ("PM2.5\t12\tµg/m³\t20260105010000Z\t00", ErrorCode.TIME_ZONE, "time"),
    ("PM2.5\t12\tµg/m³\t20260105010000+0000\t00", ErrorCode.TIME_ZONE, "time"),
    ("PM2.5\t12\tµg/m³\t20260105090000+08:00\t00", ErrorCode.TIME_ZONE, "time"),
    # unknown status codes
    ("PM2.5\t12\tµg/m³\t20260105080000\t03", ErrorCode.STATUS, "status"),
    ("PM2.5\t12\tµg/m³\t20260105080000\t0\t", ErrorCode.STATUS, "status"),
    ("PM2.5\t12\tµg/m³\t20260105080000\t\t", ErrorCode.STATUS, "status"),
])
def test_malformed_lines_are_reported_with_a_code(line, code, field):
    """Each malformed line gives one error with its line number; the good line next to it is still read."""
    result = parse(logger_file(GOOD_LINE.replace("PM2.5", "SO2"), line))
    assert [(e.code, e.field, e.line) for e in result.errors] == [(code, field, 2)]
    assert not result.ok and not result.refused and result.rejected_rows == 1
    assert [r.line for r in result.rows] == [1]
    assert result.errors[0].message


def test_every_fault_of_a_line_is_reported():
    """A line with several faults lists each of them (one rejected row)."""
    result = parse(logger_file("XX\tNaN\tx\t20260105090000+0000\t07"))
    assert sorted(codes(result)) == ["number", "status", "time_zone", "unknown_parameter"]
    assert result.rejected_rows == 1
    assert {e.line for e in result.errors} == {1}


@pytest.mark.parametrize("stamp, ok", [
    ("20260105081000", True),   # exactly now + 10 minutes
    ("20260105081001", False),
    ("20250105080000", True),   # a year late: late data is accepted
    ("20000101000000", True),
    ("20260105080000+0700", True),  # an explicit offset equal to Vietnam's
])
def test_future_limit_and_late_data(stamp, ok):
    """Times up to 10 minutes ahead of receipt pass; late data of any age passes."""
    result = parse(logger_file(f"PM2.5\t1\tµg/m³\t{stamp}\t00"))
    assert result.ok is ok, result.errors


def test_max_future_is_a_parameter():
    """The drift allowance is the caller's choice."""
    data = logger_file("PM2.5\t1\tµg/m³\t20260105090000\t00")
    assert codes(parse(data)) == ["future"]
    assert parse(data, max_future=timedelta(hours=1)).ok


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError):
        parse(logger_file(GOOD_LINE), now=datetime(2026, 1, 5, 8, 0))


def test_error_messages_are_translated_text():
    """Messages are gettext strings with the offending value; to_dict is JSON-ready."""
    with translation.override("en"):
        result = parse(logger_file("PM1\t12\tµg/m³\t20260105080000\t00"))
    assert result.errors[0].message == "Unknown parameter “PM1”."
    assert result.errors[0].to_dict() == {"code": "unknown_parameter", "message": "Unknown parameter “PM1”.",
                                          "line": 1, "field": "parameter", "value": "PM1"}


# --- Duplicates ---------------------------------------------------------------------------
def test_duplicates_in_a_batch_keep_the_first_and_are_counted():
    """A repeated (parameter, time) is dropped and counted, not an error; the first value wins."""
    result = parse(logger_file(
        GOOD_LINE,
        "PM2.5\t99\tµg/m³\t20260105080000\t00",     # same parameter and time: duplicate
        "PM2.5\t13\tµg/m³\t20260105080500\t00",     # another time: kept
        "SO2\t5\tµg/m³\t20260105080000\t00",        # another parameter: kept
        "PM2.5\t12.5\tµg/m³\t20260105080000+07:00\t00",  # the same instant written with its offset
    ))
    assert result.ok
    assert [(r.parameter, r.value, r.line) for r in result.rows] == [("pm25", 12.5, 1), ("pm25", 13.0, 3),
                                                                     ("so2", 5.0, 4)]
    assert result.duplicates_in_batch == 2
    assert result.duplicate_lines == [2, 5]


def test_rows_with_errors_are_not_counted_as_duplicates():
    result = parse(logger_file("PM2.5\tbad\tµg/m³\t20260105080000\t00", GOOD_LINE, GOOD_LINE))
    assert codes(result) == ["number"]
    assert result.duplicates_in_batch == 1 and [r.line for r in result.rows] == [2]


def test_two_codes_for_one_parameter_are_duplicates():
    """The check is on the catalogue key the resolver returns, not on the text as written."""
    result = parse(logger_file(GOOD_LINE, "PM25\t12.5\tµg/m³\t20260105080000\t00"),
                   resolve_parameter={"PM2.5": "pm25", "PM25": "pm25"}.get)
    assert result.duplicates_in_batch == 1 and len(result.rows) == 1


# --- Whole-file refusals ------------------------------------------------------------------
@pytest.mark.parametrize("data", [
    pytest.param(b"", id="zero-bytes"),
    pytest.param(b"\n\r\n  \n", id="blank-lines"),
    pytest.param(b"# header only\n", id="comment-only"),
    pytest.param(codecs.BOM_UTF8, id="bom-only"),
])
def test_empty_file_is_refused(data):
    result = parse(data)
    assert codes(result) == ["empty"] and result.refused and not result.rows


@pytest.mark.parametrize("data", [
    pytest.param(b"\xff\xfe\x00\xd8broken", id="broken-utf16"),
    pytest.param(b"PM2.5\x0012\x00", id="nul-bytes"),
    pytest.param(b"\x81\x8d\x8f\x90\x9d", id="undecodable"),
])
def test_binary_content_is_refused(data):
    result = parse(data)
    assert codes(result) == ["encoding"] and result.refused


def test_too_large_is_refused_before_decoding():
    """Bytes over the limit are refused by size: invalid UTF-8 never reaches the decoder."""
    fmt = DataloggerFormat(max_file_bytes=1000)
    assert codes(parse(b"\x81" * 1001, fmt)) == ["too_large"]
    assert codes(parse(b"\x81" * 1000, fmt)) == ["encoding"]


class LazyFile(io.RawIOBase):
    """A binary file of `size` bytes made up as it is read (nothing is held in memory)."""

    def __init__(self, size: int, pattern: bytes):
        self.size, self.pattern, self.position = size, pattern, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.position)
        block = (self.pattern * (n // len(self.pattern) + 1))[:n]
        buffer[:n] = block
        self.position += n
        return n


def test_a_100_mb_file_is_refused_by_size_quickly():
    """A 100 MB transmission is refused after reading just past the limit, before any decoding."""
    stream = LazyFile(100 * 1024 * 1024, b"PM2.5\t\x81\x8d\t\t\t\n")  # invalid UTF-8: decoding would say "encoding"
    started = time.perf_counter()
    result = parse_datalogger_stream(stream, fmt=DEFAULT_FORMAT, now=NOW, resolve_parameter=resolve,
                                     filename=FILENAME)
    elapsed = time.perf_counter() - started
    assert codes(result) == ["too_large"] and result.refused and not result.rows
    assert stream.position <= DEFAULT_FORMAT.max_file_bytes + 64 * 1024
    assert elapsed < 2.0


def test_stream_within_the_limit_is_parsed():
    result = parse_datalogger_stream(io.BytesIO(logger_file(GOOD_LINE)), fmt=DEFAULT_FORMAT, now=NOW,
                                     resolve_parameter=resolve, filename=FILENAME)
    assert result.ok and len(result.rows) == 1 and result.meta["identity"].station == "TR1"


@pytest.mark.parametrize("lines, refused", [(3, False), (4, True)])
def test_too_many_lines(lines, refused):
    """More data lines than max_lines refuse the file; comments and blank lines do not count."""
    fmt = DataloggerFormat(max_lines=3)
    data = logger_file("# comment", "", *(f"PM2.5\t{i}\tµg/m³\t2026010507{i:02d}00\t00" for i in range(lines)))
    result = parse(data, fmt)
    assert result.refused is refused
    assert codes(result) == (["too_many_rows"] if refused else [])
    assert len(result.rows) == (0 if refused else lines)


# --- File names ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("HP_CTY01_TR1_20260105080000.txt", ("HP", "CTY01", "TR1", datetime(2026, 1, 5, 1, 0, tzinfo=UTC))),
    ("HP_CTY01_TR1_20260105080000.TXT", ("HP", "CTY01", "TR1", datetime(2026, 1, 5, 1, 0, tzinfo=UTC))),
    ("31_DINHVU-2_NT-01_20251231235959.txt", ("31", "DINHVU-2", "NT-01", datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC))),
    ("HP_CTY01_TR1_20260105080000", None),
    ("HP_CTY01_TR1_20260105080000.csv", None),
    ("HP_CTY01_20260105080000.txt", None),           # no station
    ("HP_CTY_01_TR1_20260105080000.txt", None),      # an underscore inside a code
    ("HP_CTY01_TR1_2026010508000.txt", None),        # 13-digit stamp
    ("HP_CTY01_TR1_20261305080000.txt", None),       # month 13
    ("../HP_CTY01_TR1_20260105080000.txt", None),    # path separators
    ("in/HP_CTY01_TR1_20260105080000.txt", None),
    ("in\\HP_CTY01_TR1_20260105080000.txt", None),
    (".HP_CTY01_TR1_20260105080000.txt", None),
    ("HP_CTY01_TR\x001_20260105080000.txt", None),
    ("HP_CTY01_TR1\n_20260105080000.txt", None),
    ("", None),
])
def test_parse_filename(name, expected):
    """Station identity comes from the file name; anything else, including paths, is refused."""
    identity = parse_filename(name, fmt=DEFAULT_FORMAT)
    if expected is None:
        assert identity is None
    else:
        assert (identity.province, identity.facility, identity.station, identity.stamp) == expected


def test_file_with_a_bad_name_is_refused():
    """An unknown station is the caller's look-up; a name without a station at all is refused here."""
    result = parse(logger_file(GOOD_LINE), filename="readings.txt")
    assert codes(result) == ["filename"] and result.refused and not result.rows
    # A well-formed name with a station the registry does not know still parses: the caller resolves it.
    assert parse(logger_file(GOOD_LINE), filename="HP_NOBODY_X9_20260105080000.txt").meta["identity"].station == "X9"


# --- Configuration ------------------------------------------------------------------------
def test_format_from_settings_defaults():
    assert format_from_settings(None) == DEFAULT_FORMAT
    assert format_from_settings({}) == DEFAULT_FORMAT
    assert DEFAULT_FORMAT.separator == "\t" and DEFAULT_FORMAT.time_zone == "Asia/Ho_Chi_Minh"
    assert DEFAULT_FORMAT.columns == {"parameter": 0, "value": 1, "unit": 2, "time": 3, "status": 4}
    assert DEFAULT_FORMAT.status_codes == {"00": MEASURING, "01": CALIBRATING, "02": ERROR}


def test_config_override_separator_column_order_time_format_and_status_codes():
    """Another layout (";" separated, time first, status letters, UTC times) is read through the setting."""
    fmt = format_from_settings({
        "separator": ";",
        "columns": {"time": 0, "parameter": 1, "status": 2, "value": 3, "unit": 4},
        "time_format": "%Y-%m-%d %H:%M",
        "time_zone": "UTC",
        "status_codes": {"M": "measuring", "C": "calibrating", "E": "error"},
        "filename_pattern": r"(?P<province>\w+)-(?P<facility>\w+)-(?P<station>\w+)-(?P<stamp>\d{12})\.dat",
        "filename_time_format": "%Y%m%d%H%M",
    })
    data = logger_file("2026-01-05 01:00;PM2.5;M;12,5;µg/m³", "2026-01-05 01:00;SO2;C;3;µg/m³",
                       "2026-01-05 01:00;PM10;00;3;µg/m³", "PM2.5\t12.5\tµg/m³\t20260105080000\t00")
    result = parse(data, fmt, filename="HP-CTY01-TR1-202601050100.dat")
    assert [(r.parameter, r.value, r.status, r.observed_at) for r in result.rows] == [
        ("pm25", 12.5, MEASURING, datetime(2026, 1, 5, 1, 0, tzinfo=UTC)),
        ("so2", 3.0, CALIBRATING, datetime(2026, 1, 5, 1, 0, tzinfo=UTC))]
    assert [(e.code, e.line) for e in result.errors] == [(ErrorCode.STATUS, 3), (ErrorCode.COLUMNS, 4)]
    assert result.meta["identity"].stamp == datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    assert parse_filename(FILENAME, fmt=fmt) is None


def test_layout_without_unit_and_status_columns():
    fmt = DataloggerFormat(columns={"parameter": 0, "time": 1, "value": 2}, default_status=MEASURING, header_lines=1)
    result = parse(logger_file("parameter\ttime\tvalue", "COD\t20260105080000\t41.5"), fmt)
    assert result.ok and [(r.parameter, r.value, r.unit, r.status) for r in result.rows] == [
        ("cod", 41.5, "", MEASURING)]


@pytest.mark.parametrize("mode, suffix, code", [
    ("match", "+0700", None), ("match", "+07:00", None), ("match", "Z", "time_zone"), ("match", "+0000", "time_zone"),
    ("reject", "+0700", "time_zone"), ("reject", "", None),
    ("convert", "Z", None), ("convert", "+0000", None), ("convert", "+2500", "time"),
])
def test_zone_suffix_modes(mode, suffix, code):
    """Whether a datalogger time may carry an offset, and whether it must be Vietnam's, is configured."""
    fmt = DataloggerFormat(zone_suffix=mode)
    stamp = "20260105080000" if suffix in ("+0700", "+07:00", "") else "20260105010000"
    result = parse(logger_file(f"PM2.5\t1\tµg/m³\t{stamp}{suffix}\t00"), fmt)
    assert codes(result) == ([code] if code else [])
    if code is None:
        assert result.rows[0].observed_at == datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", [
    {"colour": "red"},
    {"columns": {"parameter": 0, "unit": 2}},                       # no value, no time
    {"columns": {"parameter": 0, "value": 0, "time": 1, "status": 2}},  # two fields, one column
    {"columns": {"parameter": -1, "value": 0, "time": 1, "status": 2}},
    {"columns": {"parameter": 0, "value": 1, "time": 2, "flag": 3, "status": 4}},
    {"columns": {"parameter": 0, "value": 1, "time": 2}},            # no status and no default_status
    {"status_codes": {"00": "measuring", "09": "maintenance"}},
    {"time_zone": "Asia/Nowhere"},
    {"separator": ""},
    {"zone_suffix": "maybe"},
    {"encoding": "klingon"},
    {"filename_pattern": r"(?P<province>\w+)_(?P<stamp>\d+)\.txt"},
    {"filename_pattern": r"(unclosed"},
    {"max_file_bytes": 0},
    {"max_lines": -5},
    ["not", "a", "dict"],
])
def test_bad_settings_fail_fast(value):
    with pytest.raises(ImproperlyConfigured):
        format_from_settings(value)


# --- JSON push batches --------------------------------------------------------------------
def reading(**overrides):
    item = {"parameter": "PM2.5", "value": 12.3, "unit": "µg/m³", "observed_at": "2026-01-05T08:00:00+07:00",
            "status": "measuring"}
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not ...}


def parse_json(readings, **kwargs):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("resolve_parameter", resolve)
    return parse_json_batch({"readings": readings} if isinstance(readings, list) else readings, **kwargs)


def test_json_batch_reads_readings_in_utc():
    result = parse_json([reading(), reading(parameter="SO2", value="3,5", status="01", observed_at="2026-01-05T01:00Z"),
                         reading(parameter="pH", value=7, unit=None, status=2, observed_at="2026-01-04T18:00:00-07:00")])
    assert result.ok, result.errors
    assert [(r.parameter, r.value, r.unit, r.status, r.observed_at, r.line) for r in result.rows] == [
        ("pm25", 12.3, "µg/m³", MEASURING, datetime(2026, 1, 5, 1, 0, tzinfo=UTC), 0),
        ("so2", 3.5, "µg/m³", CALIBRATING, datetime(2026, 1, 5, 1, 0, tzinfo=UTC), 1),
        ("ph", 7.0, "", ERROR, datetime(2026, 1, 5, 1, 0, tzinfo=UTC), 2)]


@pytest.mark.parametrize("overrides, code, field", [
    ({"observed_at": "2026-01-05T08:00:00"}, ErrorCode.TIME_ZONE, "observed_at"),     # naive: wrong time zone
    ({"observed_at": "2026-01-05 08:00"}, ErrorCode.TIME_ZONE, "observed_at"),
    ({"observed_at": "yesterday"}, ErrorCode.TIME, "observed_at"),
    ({"observed_at": 1767574800}, ErrorCode.TIME, "observed_at"),
    ({"observed_at": "2026-02-30T08:00:00+07:00"}, ErrorCode.TIME, "observed_at"),
    ({"observed_at": ...}, ErrorCode.MISSING, "observed_at"),
    ({"observed_at": "2026-01-05T08:10:01+07:00"}, ErrorCode.FUTURE, "observed_at"),
    ({"observed_at": "2026-01-05T01:10:01+00:00"}, ErrorCode.FUTURE, "observed_at"),
    ({"value": "NaN"}, ErrorCode.NUMBER, "value"),
    ({"value": float("nan")}, ErrorCode.NUMBER, "value"),
    ({"value": float("inf")}, ErrorCode.NUMBER, "value"),
    ({"value": True}, ErrorCode.NUMBER, "value"),
    ({"value": [1]}, ErrorCode.NUMBER, "value"),
    ({"value": "12 µg"}, ErrorCode.NUMBER, "value"),
    ({"value": ""}, ErrorCode.MISSING, "value"),
    ({"value": None}, ErrorCode.MISSING, "value"),
    ({"value": ...}, ErrorCode.MISSING, "value"),
    ({"value": 2e12}, ErrorCode.RANGE, "value"),
    ({"value": 10**400}, ErrorCode.RANGE, "value"),
    ({"parameter": "PM1"}, ErrorCode.UNKNOWN_PARAMETER, "parameter"),
    ({"parameter": ""}, ErrorCode.MISSING, "parameter"),
    ({"parameter": ...}, ErrorCode.MISSING, "parameter"),
    ({"parameter": 25}, ErrorCode.FORMAT, "parameter"),
    ({"unit": 5}, ErrorCode.FORMAT, "unit"),
    ({"status": "03"}, ErrorCode.STATUS, "status"),
    ({"status": "maintenance"}, ErrorCode.STATUS, "status"),
    ({"status": 3}, ErrorCode.STATUS, "status"),
    ({"status": True}, ErrorCode.STATUS, "status"),
    ({"status": ...}, ErrorCode.MISSING, "status"),
])
def test_json_malformed_readings(overrides, code, field):
    """Each malformed reading gives one error at its 0-based index; the good one next to it is read."""
    result = parse_json([reading(parameter="SO2"), reading(**overrides)])
    assert [(e.code, e.field, e.index, e.line) for e in result.errors] == [(code, field, 1, None)]
    assert [r.line for r in result.rows] == [0] and result.rejected_rows == 1


@pytest.mark.parametrize("status, expected", [
    ("measuring", MEASURING), ("Calibrating", CALIBRATING), ("error", ERROR),
    ("00", MEASURING), ("01", CALIBRATING), ("02", ERROR), (0, MEASURING), (1, CALIBRATING), (2, ERROR),
])
def test_json_status_names_and_codes(status, expected):
    assert parse_json([reading(status=status)]).rows[0].status == expected


@pytest.mark.parametrize("payload, code", [
    ([], ErrorCode.EMPTY),
    ({"readings": {}}, ErrorCode.FORMAT),
    ({"data": []}, ErrorCode.FORMAT),
    ("readings", ErrorCode.FORMAT),
    (None, ErrorCode.FORMAT),
    ([reading()] * 11, ErrorCode.TOO_MANY_ROWS),
])
def test_json_batch_refused_as_a_whole(payload, code):
    result = parse_json(payload, max_rows=10)
    assert codes(result) == [code] and result.refused and not result.rows


def test_json_item_that_is_not_an_object():
    result = parse_json([reading(), "PM2.5=12"])
    assert [(e.code, e.index) for e in result.errors] == [(ErrorCode.FORMAT, 1)]


def test_json_duplicates_compare_instants_not_text():
    """08:00+07:00 and 01:00Z are the same reading: the second is counted as a duplicate."""
    result = parse_json([reading(), reading(observed_at="2026-01-05T01:00:00Z", value=99),
                         reading(observed_at="2026-01-05T07:55:00+07:00")])
    assert result.ok and [r.value for r in result.rows] == [12.3, 12.3]
    assert result.duplicates_in_batch == 1 and result.duplicate_lines == [1]


def test_json_late_data_accepted():
    assert parse_json([reading(observed_at="2024-06-01T00:00:00+07:00")]).ok


# --- Periodic results ---------------------------------------------------------------------
VI_CSV = (
    "Đợt quan trắc;Điểm;Thông số;Giá trị;Đơn vị;Thời gian lấy mẫu;Ghi chú\r\n"
    "Đợt 1/2025;NM-01;COD;12,5;mg/L;05/03/2025;\r\n"
    "Đợt 1/2025;NM-01;TSS;<0,5;mg/L;05/03/2025 09:30;dưới giới hạn phát hiện\r\n"
    "Đợt 1/2025;NM-02;pH;7,2;;2025-03-06;\r\n"
    ";;;;;;\r\n"
)


def periodic(rows, **kwargs):
    kwargs.setdefault("resolve_parameter", resolve)
    kwargs.setdefault("resolve_point", resolve_point)
    return parse_periodic_table(rows, **kwargs)


@pytest.mark.parametrize("data", [
    pytest.param(VI_CSV.encode("utf-8"), id="utf8"),
    pytest.param(codecs.BOM_UTF8 + VI_CSV.encode("utf-8"), id="utf8-bom"),
    pytest.param(VI_CSV.replace("\r\n", "\n").rstrip("\n").encode(), id="lf-no-final-newline"),
])
def test_csv_with_semicolons_and_vietnamese_headers(data):
    """A Vietnamese Excel export (";" separated, decimal commas, dd/mm/yyyy, "<0,5") reads as results."""
    result = periodic(read_csv(io.BytesIO(data), max_bytes=1024 * 1024))
    assert result.ok, result.errors
    assert [(r.campaign, r.point, r.parameter, r.value, r.unit, r.sampled_at, r.below_detection, r.line)
            for r in result.rows] == [
        ("Đợt 1/2025", "nm01", "cod", 12.5, "mg/L", date(2025, 3, 5), False, 2),
        ("Đợt 1/2025", "nm01", "tss", 0.5, "mg/L", datetime(2025, 3, 5, 2, 30, tzinfo=UTC), True, 3),
        ("Đợt 1/2025", "nm02", "ph", 7.2, "", date(2025, 3, 6), False, 4)]
    assert result.rows[1].note == "dưới giới hạn phát hiện"


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Text as Windows writes Vietnamese in code page 1258: base letters with a combining tone mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out.append((base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(out)


def test_csv_in_windows_1258():
    """Excel on Vietnamese Windows saves CSV in the ANSI code page; headers still map."""
    text = "Điểm;Thông số;Giá trị;Đơn vị;Thời gian lấy mẫu;Đợt quan trắc\nNM-01;COD;3;mg/L;05/03/2025;Đợt 1\n"
    result = periodic(read_csv(to_cp1258(text), max_bytes=10_000))
    assert result.ok, result.errors
    assert result.rows[0].campaign == "Đợt 1"


def test_csv_with_commas_and_english_headers():
    data = (b'campaign,point,parameter,value,unit,sampled_at,note\n'
            b'2025-Q1,KK-05,PM10,"45,2",ug/m3,2025-03-05T08:00:00+07:00,\n'
            b'2025-Q1,KK-05,SO2,0.031,mg/m3,05/03/2025,"comma, inside"\n')
    result = periodic(read_csv(data, max_bytes=10_000))
    assert result.ok, result.errors
    assert [(r.point, r.parameter, r.value, r.sampled_at, r.note) for r in result.rows] == [
        ("kk05", "pm10", 45.2, datetime(2025, 3, 5, 1, 0, tzinfo=UTC), ""),
        ("kk05", "so2", 0.031, date(2025, 3, 5), "comma, inside")]


HEADERS = ["Đợt quan trắc", "Điểm", "Thông số", "Giá trị", "Đơn vị", "Thời gian lấy mẫu"]


def table(*rows, headers=HEADERS):
    return [dict(zip(headers, row, strict=True)) for row in rows]


GOOD_ROW = ("Đợt 1", "NM-01", "COD", "12", "mg/L", "05/03/2025")


@pytest.mark.parametrize("row, code, field", [
    (("Đợt 1", "NM-99", "COD", "12", "mg/L", "05/03/2025"), ErrorCode.UNKNOWN_POINT, "point"),
    (("Đợt 1", "NM-01", "BOD7", "12", "mg/L", "05/03/2025"), ErrorCode.UNKNOWN_PARAMETER, "parameter"),
    (("", "NM-01", "COD", "12", "mg/L", "05/03/2025"), ErrorCode.MISSING, "campaign"),
    (("Đợt 1", "", "COD", "12", "mg/L", "05/03/2025"), ErrorCode.MISSING, "point"),
    (("Đợt 1", "NM-01", "COD", "", "mg/L", "05/03/2025"), ErrorCode.MISSING, "value"),
    (("Đợt 1", "NM-01", "COD", "mười", "mg/L", "05/03/2025"), ErrorCode.NUMBER, "value"),
    (("Đợt 1", "NM-01", "COD", "KPH", "mg/L", "05/03/2025"), ErrorCode.NUMBER, "value"),
    (("Đợt 1", "NM-01", "COD", "ND", "mg/L", "05/03/2025"), ErrorCode.NUMBER, "value"),
    (("Đợt 1", "NM-01", "COD", ">500", "mg/L", "05/03/2025"), ErrorCode.NUMBER, "value"),
    (("Đợt 1", "NM-01", "COD", "NaN", "mg/L", "05/03/2025"), ErrorCode.NUMBER, "value"),
    (("Đợt 1", "NM-01", "COD", float("nan"), "mg/L", "05/03/2025"), ErrorCode.MISSING, "value"),
    (("Đợt 1", "NM-01", "COD", 5e12, "mg/L", "05/03/2025"), ErrorCode.RANGE, "value"),
    (("Đợt 1", "NM-01", "COD", "12", "mg/L", "31/02/2025"), ErrorCode.TIME, "sampled_at"),
    (("Đợt 1", "NM-01", "COD", "12", "mg/L", "tháng 3"), ErrorCode.TIME, "sampled_at"),
    (("Đợt 1", "NM-01", "COD", "12", "mg/L", ""), ErrorCode.MISSING, "sampled_at"),
    (("Đợt 1", "NM-01", "COD", "12", "mg/L", "06/01/2026"), ErrorCode.FUTURE, "sampled_at"),
    (("Đợt 1", "NM-01", "COD", "12", "mg/L", "05/01/2026 08:30"), ErrorCode.FUTURE, "sampled_at"),
])
def test_periodic_malformed_rows(row, code, field):
    result = periodic(table(GOOD_ROW, row), now=NOW)
    assert [(e.code, e.field, e.line) for e in result.errors] == [(code, field, 3)]
    assert [r.line for r in result.rows] == [2]


@pytest.mark.parametrize("raw, value, below", [
    ("<0.5", 0.5, True), ("<0,5", 0.5, True), ("< 0,05", 0.05, True), ("0,5", 0.5, False), (0.5, 0.5, False),
    (12, 12.0, False), ("3.074,5", 3074.5, False),
])
def test_periodic_values_and_detection_limit(raw, value, below):
    """"<0.5" keeps the detection limit 0.5 as the value, flagged below_detection."""
    result = periodic(table(GOOD_ROW[:3] + (raw,) + GOOD_ROW[4:]))
    assert result.ok, result.errors
    assert (result.rows[0].value, result.rows[0].below_detection) == (value, below)


def test_ambiguous_spreadsheet_number_is_a_warning():
    """"1.949" is read the Vietnamese way (1949) and flagged for review, not refused."""
    result = periodic(table(GOOD_ROW[:3] + ("1,949",) + GOOD_ROW[4:]))
    assert result.ok and result.rows[0].value == 1.949
    assert [(w.code, w.line) for w in result.warnings] == [(ErrorCode.AMBIGUOUS_NUMBER, 2)]


@pytest.mark.parametrize("headers, code", [
    (["Đợt quan trắc", "Điểm", "Thông số", "Giá trị", "Đơn vị"], ErrorCode.MISSING_COLUMN),
    (["Đợt", "Điểm", "Thông số", "Kết quả", "Đơn vị", "Ngày lấy mẫu"], None),
    (["campaign", "Điểm quan trắc", "Chỉ tiêu", "Value", "ĐVT", "Sampled at"], None),
    (["Đợt quan trắc", "Điểm", "Thông số", "Giá trị", "Kết quả", "Thời gian lấy mẫu"], ErrorCode.DUPLICATE_COLUMN),
])
def test_periodic_header_aliases(headers, code):
    """Vietnamese and English headers map to the fields, diacritics and case aside."""
    rows = table(GOOD_ROW[:len(headers)], headers=headers)
    result = periodic(rows)
    if code is None:
        assert result.ok, result.errors
    else:
        assert code in codes(result) and result.refused


def test_periodic_duplicates_and_empty_table():
    result = periodic(table(GOOD_ROW, GOOD_ROW, ("Đợt 2",) + GOOD_ROW[1:]))
    assert result.ok and len(result.rows) == 2 and result.duplicates_in_batch == 1 and result.duplicate_lines == [3]
    assert codes(periodic([])) == ["empty"]
    assert codes(periodic(read_csv(b"Diem;Thong so\n", max_bytes=100))) == ["empty"]


def test_table_readers_refuse_large_and_long_files():
    data = VI_CSV.encode()
    with pytest.raises(IngestRefused) as refused:
        list(read_csv(io.BytesIO(data), max_bytes=len(data) - 1))
    assert refused.value.reason == ErrorCode.TOO_LARGE
    result = periodic(read_csv(io.BytesIO(data), max_bytes=len(data), max_rows=2))
    assert codes(result) == ["too_many_rows"] and not result.rows
    with pytest.raises(IngestRefused) as refused:
        list(read_csv(b"a;b\n\x00\x00;1\n", max_bytes=100))
    assert refused.value.reason == ErrorCode.ENCODING


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_round_trip():
    """Typed cells (dates, datetimes, numbers) and "<0,5" text read back as results."""
    data = xlsx_bytes([
        HEADERS + ["Ghi chú"],
        ["Đợt 1/2025", "NM-01", "COD", 12.5, "mg/L", datetime(2025, 3, 5), None],
        ["Đợt 1/2025", "NM-01", "TSS", "<0,5", "mg/L", datetime(2025, 3, 5, 9, 30), "KPH"],
        [None] * 7,
        ["Đợt 1/2025", "NM-02", "pH", 7, None, date(2025, 3, 6), None],
    ])
    result = periodic(read_xlsx(io.BytesIO(data), max_bytes=len(data)))
    assert result.ok, result.errors
    assert [(r.point, r.parameter, r.value, r.unit, r.sampled_at, r.below_detection, r.note, r.line)
            for r in result.rows] == [
        ("nm01", "cod", 12.5, "mg/L", date(2025, 3, 5), False, "", 2),
        ("nm01", "tss", 0.5, "mg/L", datetime(2025, 3, 5, 2, 30, tzinfo=UTC), True, "KPH", 3),
        ("nm02", "ph", 7.0, "", date(2025, 3, 6), False, "", 5)]


@pytest.mark.parametrize("data, max_bytes, reason", [
    (b"PK\x03\x04 not really a zip", 1000, ErrorCode.FORMAT),
    (b"Diem;Thong so\n", 1000, ErrorCode.FORMAT),
    (b"PK\x03\x04" + b"\x00" * 2000, 1000, ErrorCode.TOO_LARGE),
])
def test_xlsx_refused(data, max_bytes, reason):
    with pytest.raises(IngestRefused) as refused:
        list(read_xlsx(io.BytesIO(data), max_bytes=max_bytes))
    assert refused.value.reason == reason


def test_xlsx_row_cap():
    data = xlsx_bytes([HEADERS, *[list(GOOD_ROW)] * 5])
    assert codes(periodic(read_xlsx(data, max_bytes=len(data), max_rows=4))) == ["too_many_rows"]
    assert periodic(read_xlsx(data, max_bytes=len(data), max_rows=5)).duplicates_in_batch == 4
