"""The clean-batch path of the push API (columns built without a Python loop) must read a batch
exactly as the reading-by-reading path does, and hand every unusual batch to that path."""
from __future__ import annotations

import datetime as dt
import json
import unicodedata
from datetime import UTC, datetime

import pytest

from monitoring.ingest.parsing import ErrorCode, ReadingColumns, load_json_body, parse_json_batch
from monitoring.models import Reading
from monitoring.services.push import ingest_batch, resolver
from monitoring.tests.test_push_api import Net, push, reading, stored

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
CATALOGUE = {"PM2.5": "pm25", "SO2": "so2", "pH": "ph"}


def item(**overrides):
    base = {"parameter": "PM2.5", "value": 12.5, "unit": "µg/m³", "observed_at": "2026-01-05T07:00:00+07:00",
            "status": "00"}
    return {**base, **overrides}


def clean_batch(n=6):
    """n readings: two parameters, n/2 five-minute steps."""
    start = datetime(2026, 1, 5, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return [item(parameter=p, value=float(i), observed_at=(start + dt.timedelta(minutes=5 * i)).isoformat())
            for i in range(n // 2) for p in ("PM2.5", "SO2")]


def parse(readings):
    return parse_json_batch({"readings": readings}, now=NOW, resolve_parameter=CATALOGUE.get)


def slow(readings):
    """The same batch through the reading-by-reading path (a trailing repeat forces it)."""
    result = parse([*readings, readings[0]])
    assert not isinstance(result.rows, ReadingColumns) and result.duplicates_in_batch == 1
    return result


def test_clean_batch_is_read_as_columns_equal_to_the_row_path():
    readings = clean_batch()
    fast = parse(readings)
    assert isinstance(fast.rows, ReadingColumns) and fast.ok
    assert list(fast.rows) == slow(readings).rows
    assert fast.rows == slow(readings).rows
    first = fast.rows[0]
    assert (first.parameter, first.value, first.unit, first.status) == ("pm25", 0.0, "µg/m³", "measuring")
    assert first.observed_at == datetime(2026, 1, 4, 23, 0, tzinfo=UTC)
    assert fast.rows[-1].line == len(readings) - 1 and len(fast.rows[1:3]) == 2
    with pytest.raises(IndexError):
        fast.rows[len(readings)]


def test_unicode_forms_and_spaces_are_normalised_on_the_column_path():
    decomposed = unicodedata.normalize("NFD", "đơn vị")  # as some keyboards send Vietnamese
    assert decomposed != "đơn vị"
    readings = [item(parameter=" PM2.5 ", unit=" " + decomposed, status=" Measuring ")]
    fast = parse(readings)
    assert isinstance(fast.rows, ReadingColumns)
    row = fast.rows[0]
    assert (row.parameter_code, row.parameter, row.unit, row.status) == ("PM2.5", "pm25", "đơn vị", "measuring")


@pytest.mark.parametrize("odd", [
    {"value": "12,5"},  # a number as text
    {"value": True},  # a boolean is not a number
    {"value": float("nan")},
    {"value": 1e13},  # beyond the magnitude check
    {"status": 0},  # mixed status types in one batch
    {"status": "99"},  # unknown status
    {"parameter": "NO2"},  # unknown parameter
    {"observed_at": "2026-01-05T07:00:00"},  # no offset
    {"observed_at": "2027-01-05T07:00:00+07:00"},  # in the future
    {"unit": None},
    {"extra": "ignored", "parameter": ["PM2.5"]},  # not text
])
def test_unusual_batches_take_the_row_path_and_read_the_same_as_before(odd):
    readings = [*clean_batch(4), item(**odd)]
    result = parse(readings)
    assert not isinstance(result.rows, ReadingColumns)
    # Whatever the odd reading is, the clean ones read exactly as the column path reads them.
    assert [r for r in result.rows if r.line < 4] == list(parse(clean_batch(4)).rows)


def test_a_missing_field_or_a_non_object_takes_the_row_path():
    missing = {k: v for k, v in item().items() if k != "status"}
    result = parse([*clean_batch(2), missing])
    assert [e.code for e in result.errors] == [ErrorCode.MISSING] and result.errors[0].index == 2
    result = parse([*clean_batch(2), "not an object"])
    assert [e.code for e in result.errors] == [ErrorCode.FORMAT]


def test_load_json_body_falls_back_for_what_orjson_refuses():
    assert load_json_body(b'{"readings": []}') == {"readings": []}
    nan = load_json_body(b'{"readings": [{"value": NaN}]}')
    assert nan["readings"][0]["value"] != nan["readings"][0]["value"]
    # Beyond 64 bits orjson reads a float: the magnitude check refuses it either way.
    huge = parse([item(value=load_json_body(b'{"v": 123456789012345678901234567890}')["v"])])
    assert [e.code for e in huge.errors] == [ErrorCode.RANGE]
    with pytest.raises(ValueError):
        load_json_body(b"{not json")


@pytest.mark.django_db
def test_ingest_writes_a_clean_batch_and_converts_units_on_the_row_path():
    net = Net()
    start = net.t0
    readings = [reading("PM2.5", 10.0 + i, at=start + dt.timedelta(minutes=5 * i)) for i in range(3)]
    readings += [reading("SO2", 100.0, unit="ppb", at=start)]  # a unit to convert: row path
    lookup = resolver(net.station)
    now = dt.datetime.now(UTC)
    parsed = parse_json_batch({"readings": readings}, now=now, resolve_parameter=lookup)
    assert isinstance(parsed.rows, ReadingColumns)
    result = ingest_batch(station=net.station, parse_result=parsed, now=now, lookup=lookup)
    assert (result.accepted, result.duplicates) == (4, 0)
    so2 = Reading.objects.get(station=net.station, parameter=net.so2)
    assert so2.value == pytest.approx(100.0 * 64.066 / 24.45, rel=1e-3)  # ppb → µg/Nm³ at 25 °C
    clean = parse_json_batch({"readings": readings[:3]}, now=now, resolve_parameter=lookup)
    again = ingest_batch(station=net.station, parse_result=clean, now=now, lookup=lookup)
    assert (again.accepted, again.duplicates) == (0, 3)


@pytest.mark.django_db
def test_push_api_with_nan_explains_the_value(client):
    net = Net()
    body = json.dumps({"readings": [reading(at=net.t0, value=float("nan"))]})
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 400
    assert [(e["index"], e["code"]) for e in response.json()["errors"]["rejected"]] == [(0, "number")]
    assert not stored(net.station).exists()


@pytest.mark.parametrize("repeat", [
    item(),  # the same reading twice
    item(parameter="PM25"),  # an alias of the same parameter at the same time
    item(observed_at="2026-01-05T00:00:00+00:00"),  # the same instant written in UTC
])
def test_repeats_in_a_batch_are_counted_even_when_written_differently(repeat):
    result = parse_json_batch({"readings": [item(), repeat]}, now=NOW,
                              resolve_parameter={**CATALOGUE, "PM25": "pm25"}.get)
    assert not isinstance(result.rows, ReadingColumns)
    assert (len(result.rows), result.duplicates_in_batch, result.duplicate_lines) == (1, 1, [1])
