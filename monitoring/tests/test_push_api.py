"""The push API: station-token authentication only, JSON and datalogger text, all or nothing,
duplicates counted, values stored in canonical units, bounded queries."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from geoportal.accounts.services import token_create
from monitoring.choices import Medium, ReadingStatus, StationKind
from monitoring.ingest.parsing import MAX_JSON_ROWS
from monitoring.models import Reading, StationParameter, StationToken
from monitoring.services.push import ParameterInfo, ParameterLookup
from monitoring.services.tokens import station_token_create, station_token_revoke
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory
from tests.factories import UserFactory

PUSH = "/api/v1/monitoring/stations/{code}/readings/"
pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Net:
    """One station measuring PM2.5, PM10 and SO2; another station; their tokens."""

    def __init__(self):
        ug = UnitFactory(code="µg/Nm³")
        self.pm25 = ParameterFactory(code="PM2.5", aliases=["PM25", "Bụi PM2,5"], unit=ug)
        self.pm10 = ParameterFactory(code="PM10", aliases=["PM-10"], unit=ug)
        self.so2 = ParameterFactory(code="SO2", molar_mass=Decimal("64.066"), aliases=["SO₂"], unit=ug)
        self.no2 = ParameterFactory(code="NO2", molar_mass=Decimal("46.0055"), unit=ug)  # not measured here
        # A stack parameter answering to "SO2" too: an ambient station must not take it.
        ParameterFactory(code="SO2_EM", medium=Medium.EMISSION, aliases=["SO2"], unit=UnitFactory(code="mg/Nm³"))
        self.station = StationFactory(code="TR01")
        for parameter in (self.pm25, self.pm10, self.so2):
            StationParameter.objects.create(station=self.station, parameter=parameter)
        self.other = StationFactory(code="TR02")
        self.token, self.raw = station_token_create(station=self.station, actor=None)
        self.other_token, self.other_raw = station_token_create(station=self.other, actor=None)
        self.t0 = (timezone.now() - dt.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def net(db):
    return Net()


def reading(parameter="PM2.5", value=35.2, unit="µg/Nm³", at=None, status="00", **extra):
    return {"parameter": parameter, "value": value, "unit": unit, "observed_at": at.isoformat(), "status": status,
            **extra}


def batch(net, n=3, parameter="PM2.5", start=None, **kw):
    start = start or net.t0
    return {"readings": [reading(parameter, 10.0 + i, at=start + dt.timedelta(minutes=5 * i), **kw) for i in range(n)]}


def push(client, code, body, raw=None, content_type="application/json"):
    data = json.dumps(body) if content_type == "application/json" and not isinstance(body, str | bytes) else body
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return client.post(PUSH.format(code=code), data=data, content_type=content_type, **headers)


def stored(station):
    return Reading.objects.filter(station=station).order_by("parameter_id", "observed_at")


# --- Authentication ------------------------------------------------------------------------
@pytest.mark.parametrize("header", [None, "Bearer st_00000000_nope", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"])
def test_missing_or_bad_token_is_401_problem(net, client, header):
    """No token, an unknown one or a malformed header: 401 problem+json with a Bearer challenge."""
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(PUSH.format(code="TR01"), data=json.dumps(batch(net)), content_type="application/json",
                           **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    assert not stored(net.station).exists()


def test_revoked_and_expired_tokens_are_401(net, client):
    station_token_revoke(token=net.token, actor=None)
    assert push(client, "TR01", batch(net), net.raw).status_code == 401
    _token, raw = station_token_create(station=net.station, actor=None)
    StationToken.objects.filter(pk=_token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert push(client, "TR01", batch(net), raw).status_code == 401
    assert not stored(net.station).exists()


def test_another_stations_token_is_403_wrong_station(net, client):
    """A valid token used for another station's URL: 403 with the code "wrong_station", nothing written."""
    response = push(client, "TR01", batch(net), net.other_raw)
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_station"
    assert push(client, "NO-SUCH", batch(net), net.raw).status_code == 403  # no hint whether a code exists
    assert not stored(net.station).exists()


def test_session_and_user_api_tokens_do_not_authenticate(net, client):
    """A logged-in officer (session) or a user's API token is not a station: 401."""
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    assert push(client, "TR01", batch(net)).status_code == 401
    _api_token, api_raw = token_create(actor=user, user=user, name="t")
    assert push(Client(), "TR01", batch(net), api_raw).status_code == 401
    assert not stored(net.station).exists()


def test_no_csrf_check_with_a_station_token(net):
    """Token authentication takes no cookie, so no CSRF token is asked for."""
    response = push(Client(enforce_csrf_checks=True), "TR01", batch(net), net.raw)
    assert response.status_code == 200, response.content


# --- Bodies ----------------------------------------------------------------------------------
def test_json_batch_is_written(net, client):
    body = batch(net, 3)
    body["readings"][1]["status"] = "calibrating"
    body["readings"][2]["status"] = 2
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    rows = list(stored(net.station))
    assert [r.value for r in rows] == [10.0, 11.0, 12.0]
    assert [r.status for r in rows] == [ReadingStatus.MEASURING, ReadingStatus.CALIBRATING, ReadingStatus.ERROR]
    assert rows[0].observed_at == net.t0 and rows[0].parameter_id == net.pm25.pk
    net.station.refresh_from_db()
    assert net.station.last_reading_at == net.t0 + dt.timedelta(minutes=10)


def test_datalogger_text_is_written(net, client):
    """text/plain in the file layout: local (UTC+7) times, tab separated, status codes 00/01/02."""
    local = net.t0.astimezone(VN)
    lines = [f"PM-2.5\t21.5\tug/Nm3\t{local:%Y%m%d%H%M%S}\t00",
             f"PM10\t40,5\tµg/Nm³\t{local:%Y%m%d%H%M%S}\t01",
             f"SO₂\t12\tµg/Nm³\t{local:%Y%m%d%H%M%S}\t00", ""]
    response = push(client, "TR01", "\r\n".join(lines).encode(), net.raw, content_type="text/plain; charset=utf-8")
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    values = {r.parameter_id: (r.value, r.status, r.observed_at) for r in stored(net.station)}
    assert values[net.pm25.pk] == (21.5, 0, net.t0)
    assert values[net.pm10.pk] == (40.5, 1, net.t0)
    assert values[net.so2.pk][0] == 12.0  # "SO₂" at an ambient station is SO2, not the stack's SO2_EM


def test_text_errors_point_at_lines(net, client):
    local = net.t0.astimezone(VN)
    text = f"PM2.5\t21.5\tµg/Nm³\t{local:%Y%m%d%H%M%S}\t00\nPM10\tabc\tµg/Nm³\t{local:%Y%m%d%H%M%S}\t00\n"
    response = push(client, "TR01", text.encode(), net.raw, content_type="text/plain")
    assert response.status_code == 400
    rejected = response.json()["errors"]["rejected"]
    assert [(e["line"], e["code"], e["field"]) for e in rejected] == [(2, "number", "value")]
    assert not stored(net.station).exists()


def test_resend_is_idempotent_and_duplicates_are_counted(net, client):
    """The same batch twice: the second is all duplicates; repeats inside a batch count too."""
    body = batch(net, 4)
    assert push(client, "TR01", body, net.raw).json() == {"accepted": 4, "duplicates": 0, "rejected": []}
    assert push(client, "TR01", body, net.raw).json() == {"accepted": 0, "duplicates": 4, "rejected": []}
    body["readings"].append(dict(body["readings"][0]))  # a repeated line in the batch
    body["readings"].append(reading("PM2.5", 1.0, at=net.t0 + dt.timedelta(hours=1)))
    assert push(client, "TR01", body, net.raw).json() == {"accepted": 1, "duplicates": 5, "rejected": []}
    assert stored(net.station).count() == 5


def test_one_bad_row_rejects_the_batch(net, client):
    """All or nothing: a bad value in row 1 and an unknown parameter in row 2 -> 400 listing both, nothing written."""
    body = batch(net, 4)
    body["readings"][1]["value"] = "abc"
    body["readings"][2]["parameter"] = "XYZ"
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["code"] == "batch_rejected"
    assert problem["errors"]["accepted"] == 0 and problem["errors"]["duplicates"] == 0
    assert [(e["index"], e["code"], e["field"]) for e in problem["errors"]["rejected"]] == [
        (1, "number", "value"), (2, "unknown_parameter", "parameter")]
    assert all(e["message"] for e in problem["errors"]["rejected"])
    assert not stored(net.station).exists()


def test_parameter_not_measured_by_the_station_is_rejected(net, client):
    body = batch(net, 2)
    body["readings"].append(reading("NO2", 20.0, at=net.t0))
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 400
    [error] = response.json()["errors"]["rejected"]
    assert (error["index"], error["code"], error["field"]) == (2, "not_measured", "parameter")
    assert not stored(net.station).exists()


def test_values_are_stored_in_the_canonical_unit(net, client):
    """0.05 mg/Nm³ of PM10 is 50 µg/Nm³; 10 ppb of SO2 is 10 × 64.066 / 24.45 µg/m³ (25 °C, 1 atm)."""
    body = {"readings": [reading("PM10", 0.05, "mg/Nm3", at=net.t0), reading("SO2", 10, "ppb", at=net.t0),
                         reading("PM2.5", 12.5, "", at=net.t0)]}
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 200, response.content
    values = {r.parameter_id: r.value for r in stored(net.station)}
    assert values[net.pm10.pk] == pytest.approx(50.0)
    assert values[net.so2.pk] == pytest.approx(10 * 64.066 / 24.45)
    assert values[net.pm25.pk] == 12.5  # no unit: the canonical one


@pytest.mark.parametrize("unit", ["furlongs", "mg/L", "°C"])
def test_unknown_or_incompatible_unit_is_a_row_error(net, client, unit):
    body = batch(net, 2)
    body["readings"][1]["unit"] = unit
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 400
    [error] = response.json()["errors"]["rejected"]
    assert (error["index"], error["code"], error["field"]) == (1, "unit", "unit")
    assert not stored(net.station).exists()


def test_late_data_in_an_old_month_is_accepted(net, client):
    """A backlog from June 2023 (before the first partition): its month is created and the rows stored."""
    old = dt.datetime(2023, 6, 14, 1, 0, tzinfo=dt.UTC)
    response = push(client, "TR01", batch(net, 3, start=old), net.raw)
    assert response.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('monitoring_reading_y2023m06') IS NOT NULL")
        assert cursor.fetchone()[0]
    assert stored(net.station).filter(observed_at__lt=dt.datetime(2023, 7, 1, tzinfo=dt.UTC)).count() == 3


def test_future_timestamps_are_rejected(net, client):
    body = batch(net, 2)
    body["readings"].append(reading("PM10", 3.0, at=timezone.now() + dt.timedelta(hours=1)))
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == 400
    assert [(e["index"], e["code"]) for e in response.json()["errors"]["rejected"]] == [(2, "future")]
    assert not stored(net.station).exists()


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "parse_error"),
    (b'{"readings": []}', 400, "batch_rejected"),
    (b"[1, 2]", 400, "batch_rejected"),
    (b"", 400, "batch_rejected"),
])
def test_malformed_json_bodies(net, client, body, status, code):
    response = push(client, "TR01", body, net.raw)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_other_media_types_are_415(net, client):
    response = push(client, "TR01", b"<readings/>", net.raw, content_type="application/xml")
    assert response.status_code == 415


@override_settings(MONITORING_PUSH_MAX_BYTES=2000)
def test_body_over_the_limit_is_413(net, client):
    response = push(client, "TR01", batch(net, 40), net.raw)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not stored(net.station).exists()


def test_too_many_rows_is_413(net, client):
    """More readings than one batch may hold (10,000) is over the size limit too."""
    one = reading(at=net.t0)
    response = push(client, "TR01", {"readings": [one] * (MAX_JSON_ROWS + 1)}, net.raw)
    assert response.status_code == 413
    assert response.json()["errors"]["rejected"][0]["code"] == "too_many_rows"


def test_throttle_counts_per_station(net, client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "station": "2/minute"}}
    assert push(client, "TR01", batch(net, 1), net.raw).status_code == 200
    assert push(client, "TR01", batch(net, 1), net.raw).status_code == 200
    assert push(client, "TR01", batch(net, 1), net.raw).status_code == 429
    assert push(client, "TR02", {"readings": []}, net.other_raw).status_code == 400  # another station's own count


@pytest.mark.parametrize("n", [10, 2000])
def test_push_queries_are_bounded(net, client, django_assert_max_num_queries, n):
    """The number of queries does not grow with the batch (one COPY, one INSERT … SELECT)."""
    body = batch(net, n, start=net.t0 - dt.timedelta(days=10))
    with django_assert_max_num_queries(10):  # 8, plus the test transaction's SAVEPOINT/RELEASE
        response = push(client, "TR01", body, net.raw)
    assert response.json()["accepted"] == n


# --- The parameter look-up (no database) --------------------------------------------------------
CATALOGUE = [ParameterInfo(1, "PM2.5", "µg/Nm³", Medium.AMBIENT_AIR), ParameterInfo(2, "SO2", "µg/Nm³", Medium.AMBIENT_AIR),
             ParameterInfo(3, "COD_W", "mg/L", Medium.WATER), ParameterInfo(4, "COD_WW", "mg/L", Medium.WASTEWATER),
             ParameterInfo(5, "SO2_EM", "mg/Nm³", Medium.EMISSION), ParameterInfo(6, "TEMP_WW", "°C", Medium.WASTEWATER),
             ParameterInfo(7, "TEMP", "°C", Medium.AMBIENT_AIR)]
ALIASES = {"PM2.5": ("PM25", "Bụi PM2,5"), "COD_W": ("COD",), "COD_WW": ("COD",), "SO2_EM": ("SO2", "SO₂"),
           "TEMP_WW": ("Nhiệt độ", "T"), "TEMP": ("Nhiệt độ", "T")}


@pytest.mark.parametrize("text, kind, measured, expected", [
    ("PM2.5", None, (), "PM2.5"),
    ("pm-2.5", None, (), "PM2.5"),
    ("Bui PM 2.5", None, (), "PM2.5"),  # no diacritics, spaces and "." ignored
    ("BỤI PM2,5", None, (), "PM2.5"),
    ("SO2", None, (), "SO2"),  # with no station, the exact code wins over another medium's alias
    ("SO2", StationKind.STACK, (), "SO2_EM"),  # at a stack, the emission parameter
    ("SO₂", StationKind.AMBIENT_AIR, (2,), "SO2"),
    ("COD", StationKind.WASTEWATER, (), "COD_WW"),
    ("COD", StationKind.SURFACE_WATER, (), "COD_W"),
    ("cod", StationKind.AMBIENT_AIR, (4,), "COD_WW"),  # what the station measures comes first
    ("nhiet do", StationKind.WASTEWATER, (), "TEMP_WW"),
    ("T", StationKind.AMBIENT_AIR, (), "TEMP"),
    ("PM10", None, (), None),
    ("", None, (), None),
])
def test_parameter_lookup(text, kind, measured, expected):
    lookup = ParameterLookup(CATALOGUE, ALIASES)
    if kind is not None:
        lookup = lookup.for_station(SimpleNamespace(pk=1, kind=kind), measured)
    assert lookup(text) == expected
