"""OGC API – EDR 1.1 at /edr/: landing page, conformance, the "stations" collection, its
locations (the stations in the requester's scope) and two data queries:

- /collections/stations/locations/{code}?parameter-name=&datetime=&f=
- /collections/stations/position?coords=POINT(lon lat)&parameter-name=&datetime=&f=
  (the stations within POSITION_RADIUS_M of the point, nearest first; 404 when none)

Answers are CoverageJSON (the default), GeoJSON or CSV. Readings come only through
Reading.objects.for_user: the requester's own stations, the city network in full, and a
facility station's last 30 days for everyone else (Decree 08/2022 disclosure). A station
outside the scope is absent (404), never forbidden. Query parameters are parsed by a
serializer (STYLE.md 9); the typed errors of layers.ogcapi.provider map to problem+json
bodies in `EdrView.handle_exception`, the one place that knows HTTP codes.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent, PointField
from django.db.models import BooleanField, FloatField, Func, Max, Min, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from geoportal.accounts.throttling import ApiTokenRateThrottle
from geoportal.core.errors import problem_response
from layers.ogcapi.links import absolute_url, link
from layers.ogcapi.params import DatetimeField, Interval
from layers.ogcapi.provider import CollectionNotFound, InvalidParameter, ItemNotFound, OgcApiError
from monitoring import edr
from monitoring.choices import ReadingStatus
from monitoring.edr import coveragejson as covjson
from monitoring.models import Parameter, Reading, Station, StationParameter

_FORMATS = {"coveragejson": edr.COVERAGEJSON, "covjson": edr.COVERAGEJSON, "geojson": edr.GEOJSON,
            "csv": edr.CSV, "json": edr.COVERAGEJSON}
_POINT = re.compile(r"^\s*POINT\s*\(\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+"
                    r"([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\)\s*$", re.IGNORECASE)
_CRS_NAMES = {"crs84", "ogc:crs84", edr.CRS84_URI.lower(), "epsg:4326", "http://www.opengis.net/def/crs/epsg/0/4326"}


# --- query parameters ------------------------------------------------------------------

class FormatField(serializers.CharField):
    default_error_messages = {"unsupported": gettext_lazy("Unsupported format; use CoverageJSON, GeoJSON or CSV.")}

    def to_internal_value(self, data) -> str:
        value = _FORMATS.get(super().to_internal_value(data).strip().lower())
        if value is None:
            raise serializers.ValidationError(self.error_messages["unsupported"])
        return value


class ParameterNamesField(serializers.CharField):
    """`PM2.5,NO2`: parameter codes, comma-separated (checked against the stations later)."""

    def to_internal_value(self, data) -> list[str]:
        names = [n.strip() for n in super().to_internal_value(data).split(",")]
        return list(dict.fromkeys(n for n in names if n))


class CoordsField(serializers.CharField):
    """A WKT POINT in CRS84 (longitude latitude)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give coords as a WKT point in longitude, latitude order: POINT(106.68 20.86)."),
        "range": gettext_lazy("The point is outside longitude −180…180, latitude −90…90."),
    }

    def to_internal_value(self, data) -> tuple[float, float]:
        match = _POINT.match(super().to_internal_value(data))
        if not match:
            raise serializers.ValidationError(self.error_messages["invalid"])
        lon, lat = float(match.group(1)), float(match.group(2))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise serializers.ValidationError(self.error_messages["range"])
        return lon, lat


class CrsField(serializers.CharField):
    default_error_messages = {"unsupported": gettext_lazy("Only CRS84 (longitude, latitude) is offered.")}

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data).strip()
        if value.strip("[]").lower() not in _CRS_NAMES:
            raise serializers.ValidationError(self.error_messages["unsupported"])
        return edr.CRS84_URI


@dataclass(frozen=True)
class Window:
    """The half-open or closed time window a query reads: [start, end] (both aware)."""

    start: dt.datetime
    end: dt.datetime


def resolve_window(interval: Interval | None, *, now: dt.datetime) -> Window:
    """Close an EDR datetime: no value = the last 24 hours; `start/..` ends now; `../end`
    starts a year before its end. Raises ValidationError when the span exceeds a year."""
    if interval is None:
        return Window(now - edr.DEFAULT_SPAN, now)
    end = interval.end if interval.end is not None else now
    start = interval.start if interval.start is not None else end - edr.MAX_SPAN
    if end - start > edr.MAX_SPAN:
        raise serializers.ValidationError(
            {"datetime": [_("At most one year of readings per request; narrow the interval.")]})
    return Window(start, end)


class DataQuery(serializers.Serializer):
    """Parameters shared by the data queries (locations/{id} and position)."""

    datetime = DatetimeField(required=False)
    f = FormatField(required=False, default=edr.DEFAULT_OUTPUT_FORMAT)
    crs = CrsField(required=False, default=edr.CRS84_URI)
    z = serializers.CharField(required=False)  # stations have no vertical axis: accepted, ignored

    def get_fields(self):
        fields = super().get_fields()
        fields["parameter-name"] = ParameterNamesField(required=False, source="parameter_names")
        return fields

    def validate(self, attrs):
        attrs["window"] = resolve_window(attrs.get("datetime"), now=timezone.now())
        return attrs


class PositionQuery(DataQuery):
    coords = CoordsField()


def _validated(serializer_class, request) -> dict:
    s = serializer_class(data=request.GET)
    if not s.is_valid():
        raise InvalidParameter(errors={k: [str(m) for m in v] for k, v in s.errors.items()})
    return s.validated_data


# --- the provider: stations and readings in the requester's scope -------------------------

class _GeogDWithin(Func):
    """ST_DWithin(a::geography, b::geography, metres): a distance on the spheroid (STYLE.md 7)."""

    function = "ST_DWithin"
    output_field = BooleanField()


class _GeogDistance(Func):
    function = "ST_Distance"
    output_field = FloatField()


def _geography(lon: float, lat: float) -> RawSQL:
    return RawSQL("ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography", (lon, lat))


@dataclass(frozen=True)
class StationRow:
    pk: int
    code: str
    name: str
    kind: str
    lon: float
    lat: float


class StationsProvider:
    """Stations and their readings for one requester (pygeoapi's EDR provider shape)."""

    def __init__(self, user):
        self.user = user

    def stations(self):
        """The stations the requester may see (scope plus published), with their parameters."""
        return Station.objects.for_user(self.user).order_by("code")

    def station(self, code: str) -> Station:
        """The station `code` in scope; ItemNotFound otherwise (absence, not denial)."""
        found = self.stations().filter(code=code).first()
        if found is None:
            raise ItemNotFound(_("No such location, or it is outside your scope."))
        return found

    def near(self, lon: float, lat: float, radius_m: float = edr.POSITION_RADIUS_M) -> list[Station]:
        """Stations in scope within `radius_m` metres of the point, nearest first."""
        geog = Cast("geom", PointField(geography=True))
        return list(self.stations()
                    .filter(_GeogDWithin(geog, _geography(lon, lat), Value(float(radius_m))))
                    .annotate(distance_m=_GeogDistance(geog, _geography(lon, lat)))
                    .order_by("distance_m", "code"))

    def parameters_of(self, stations: Sequence[Station]) -> dict[int, list[Parameter]]:
        """Station pk → the parameters it measures (one query)."""
        out: dict[int, list[Parameter]] = {s.pk: [] for s in stations}
        rows = (StationParameter.objects.filter(station__in=[s.pk for s in stations])
                .select_related("parameter__unit").order_by("parameter__code"))
        for sp in rows:
            out[sp.station_id].append(sp.parameter)
        return out

    def readings(self, station_ids: Sequence[int], parameter_ids: Sequence[int], window: Window):
        """(station_id, parameter_id, observed_at, value, status) in the window, ordered for grouping."""
        return (Reading.objects.for_user(self.user)
                .filter(station_id__in=station_ids, parameter_id__in=parameter_ids,
                        observed_at__gte=window.start, observed_at__lte=window.end)
                .order_by("station_id", "parameter_id", "observed_at")
                .values_list("station_id", "parameter_id", "observed_at", "value", "status"))


# --- responses ----------------------------------------------------------------------------

def _url(request, name: str, *args, **query) -> str:
    return absolute_url(request, f"monitoring:{name}", *args, **query)


def _finish(request, response: HttpResponse) -> HttpResponse:
    # A signed-in requester's answer may hold its own stations: never stored by a shared cache.
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "public, max-age=60"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response


def _json(request, doc, media: str = edr.MEDIA_JSON) -> HttpResponse:
    return _finish(request, HttpResponse(json.dumps(doc, ensure_ascii=False, default=str), content_type=media))


def _lang() -> str:
    return (get_language() or "vi")[:2]


def _parameter_info(p: Parameter) -> covjson.ParameterInfo:
    return covjson.ParameterInfo(code=p.code, label={"vi": p.name_vi, "en": p.name_en or p.name_vi},
                                 unit=p.unit.code)


def _parameter_names_doc(parameters: Sequence[Parameter]) -> dict:
    """EDR `parameter_names`: one CoverageJSON Parameter object per code, with its id."""
    return {p.code: {"id": p.code, **covjson.parameter_json(_parameter_info(p))} for p in parameters}


class EdrView(APIView):
    """Base of the /edr/ views: JSON only, provider errors as problem+json bodies."""

    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonRateThrottle, ApiTokenRateThrottle]

    def perform_content_negotiation(self, request, force=False):
        return self.renderer_classes[0](), edr.MEDIA_JSON

    def handle_exception(self, exc):
        if isinstance(exc, OgcApiError):
            title = _("Invalid request") if exc.status_code == 400 else _("Not found")
            detail = exc.detail or (_("The request has invalid fields; see 'errors'.") if exc.errors else "")
            return problem_response(status_code=exc.status_code, code=exc.code, title=title, detail=detail,
                                    errors=exc.errors)
        return super().handle_exception(exc)

    def check_metadata_format(self, request) -> None:
        f = request.GET.get("f")
        if f is not None and f.lower() not in ("json", "application/json"):
            raise InvalidParameter(errors={"f": [_("Metadata is offered as JSON only (f=json).")]})


class LandingPageView(EdrView):
    def get(self, request):
        self.check_metadata_format(request)
        return _json(request, {
            "title": _("Hai Phong environmental monitoring"),
            "description": _("Time series of the automatic monitoring stations (OGC API – EDR)."),
            "links": [
                link(_url(request, "edr-landing"), "self", edr.MEDIA_JSON, _("This document")),
                link(_url(request, "edr-conformance"), "conformance", edr.MEDIA_JSON, _("Conformance classes")),
                link(_url(request, "edr-collections"), "data", edr.MEDIA_JSON, _("Collections")),
            ],
        })


class ConformanceView(EdrView):
    def get(self, request):
        self.check_metadata_format(request)
        return _json(request, {"conformsTo": list(edr.CONFORMANCE_CLASSES),
                               "links": [link(_url(request, "edr-conformance"), "self", edr.MEDIA_JSON)]})


def _collection_doc(request, provider: StationsProvider) -> dict:
    stations = provider.stations()
    bounds = stations.aggregate(extent=Extent("geom"), first=Min("transmits_since"), last=Max("last_reading_at"))
    parameters = list(Parameter.objects.filter(stations__in=stations.values("pk")).distinct()
                      .select_related("unit").order_by("code"))
    variables = {
        "output_formats": list(edr.OUTPUT_FORMATS), "default_output_format": edr.DEFAULT_OUTPUT_FORMAT,
        "crs_details": [{"crs": "OGC:CRS84", "wkt": edr.CRS84_WKT}],
    }
    first = bounds["first"].isoformat() if bounds["first"] else None
    last = bounds["last"].isoformat() if bounds["last"] else None
    doc = {
        "id": edr.COLLECTION_ID,
        "title": _("Monitoring stations"),
        "description": _("Readings of the city network's and the facilities' monitoring stations. A facility's "
                         "automatic monitoring data is public for 30 days (Decree 08/2022/ND-CP)."),
        "keywords": ["monitoring", "quan trắc", "air quality", "wastewater"],
        "links": [
            link(_url(request, "edr-collection", edr.COLLECTION_ID), "self", edr.MEDIA_JSON),
            link(_url(request, "edr-locations", edr.COLLECTION_ID), "data", edr.MEDIA_GEOJSON, _("Locations")),
        ],
        "extent": {
            "spatial": {"bbox": [list(bounds["extent"]) if bounds["extent"] else [-180, -90, 180, 90]],
                        "crs": edr.CRS84_WKT},
            "temporal": {"interval": [[first, last]], "trs": edr.TRS_GREGORIAN},
        },
        "data_queries": {
            "position": {"link": {
                "href": _url(request, "edr-position", edr.COLLECTION_ID), "rel": "data",
                "title": _("Position query"),
                "variables": {"title": _("Position query"), "query_type": "position", **variables,
                              "description": _("Stations within %(m)d m of the point.") % {
                                  "m": edr.POSITION_RADIUS_M}},
            }},
            "locations": {"link": {
                "href": _url(request, "edr-locations", edr.COLLECTION_ID), "rel": "data",
                "title": _("Location query"),
                "variables": {"title": _("Location query"), "query_type": "locations", **variables},
            }},
        },
        "crs": ["OGC:CRS84"],
        "output_formats": list(edr.OUTPUT_FORMATS),
        "parameter_names": _parameter_names_doc(parameters),
    }
    return doc


def _check_collection(collection_id: str) -> None:
    if collection_id != edr.COLLECTION_ID:
        raise CollectionNotFound(_("No such collection."))


class CollectionsView(EdrView):
    def get(self, request):
        self.check_metadata_format(request)
        provider = StationsProvider(request.user)
        return _json(request, {
            "links": [link(_url(request, "edr-collections"), "self", edr.MEDIA_JSON)],
            "collections": [_collection_doc(request, provider)],
        })


class CollectionView(EdrView):
    def get(self, request, collection_id: str):
        self.check_metadata_format(request)
        _check_collection(collection_id)
        return _json(request, _collection_doc(request, StationsProvider(request.user)))


def _station_feature(request, station: Station, parameters: Sequence[Parameter]) -> dict:
    return {
        "type": "Feature",
        "id": station.code,
        "geometry": {"type": "Point", "coordinates": [station.geom.x, station.geom.y]},
        "properties": {
            "name": station.name,
            "code": station.code,
            "kind": station.kind,
            "mode": station.mode,
            "city_network": station.facility_id is None,
            "parameter-name": [p.code for p in parameters],
            "last_reading_at": station.last_reading_at.isoformat() if station.last_reading_at else None,
            "edrqueryendpoint": _url(request, "edr-location", edr.COLLECTION_ID, station.code),
        },
    }


class LocationsView(EdrView):
    """The stations in scope as a GeoJSON FeatureCollection (id = station code)."""

    def get(self, request, collection_id: str):
        _check_collection(collection_id)
        f = request.GET.get("f")
        if f is not None and f.lower() not in ("geojson", "json", "application/geo+json"):
            raise InvalidParameter(errors={"f": [_("Locations are offered as GeoJSON only.")]})
        provider = StationsProvider(request.user)
        stations = list(provider.stations().only("pk", "code", "name", "kind", "mode", "facility_id", "geom",
                                                 "last_reading_at"))
        params = provider.parameters_of(stations)
        return _json(request, {
            "type": "FeatureCollection",
            "features": [_station_feature(request, s, params[s.pk]) for s in stations],
            "links": [link(_url(request, "edr-locations", edr.COLLECTION_ID), "self", edr.MEDIA_GEOJSON)],
            "numberReturned": len(stations),
            "timeStamp": timezone.now().isoformat(timespec="seconds"),
        }, media=edr.MEDIA_GEOJSON)


# --- data answers --------------------------------------------------------------------------

def _chosen_parameters(stations: Sequence[Station], measured: dict[int, list[Parameter]],
                       names: list[str] | None) -> dict[int, Parameter]:
    """Parameter pk → Parameter among those measured at `stations`, filtered by parameter-name
    (InvalidParameter naming the codes that none of them measures)."""
    available = {p.code: p for s in stations for p in measured[s.pk]}
    if not names:
        return {p.pk: p for p in available.values()}
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InvalidParameter(errors={"parameter-name": [
            _("Not measured here: %(codes)s. Measured: %(known)s.") % {
                "codes": ", ".join(unknown), "known": ", ".join(sorted(available)) or "–"}]})
    return {available[n].pk: available[n] for n in names}


def _series(rows: Iterator[tuple], stations: dict[int, Station], parameters: dict[int, Parameter]
            ) -> Iterator[covjson.Series]:
    """Group ordered reading rows into one Series per (station, parameter). A value reported
    under calibration or in error is not a measurement (Circular 10/2021 Art. 39): null."""
    key = None
    times: list[dt.datetime] = []
    values: list[float | None] = []

    def emit():
        station = stations[key[0]]
        return covjson.Series(station.code, station.geom.x, station.geom.y, parameters[key[1]].code, times, values)

    for station_id, parameter_id, observed_at, value, status in rows:
        if (station_id, parameter_id) != key:
            if key is not None:
                yield emit()
            key, times, values = (station_id, parameter_id), [], []
        times.append(observed_at)
        values.append(value if status == ReadingStatus.MEASURING else None)
    if key is not None:
        yield emit()


def _geojson_features(rows, stations: dict[int, Station], parameters: dict[int, Parameter]) -> Iterator[dict]:
    status_codes = {s.value: s.name.lower() for s in ReadingStatus}
    for station_id, parameter_id, observed_at, value, status in rows:
        station, parameter = stations[station_id], parameters[parameter_id]
        when = covjson.iso_time(observed_at)
        yield {
            "type": "Feature",
            "id": f"{station.code}/{parameter.code}/{when}",
            "geometry": {"type": "Point", "coordinates": [station.geom.x, station.geom.y]},
            "properties": {"location": station.code, "parameter-name": parameter.code, "datetime": when,
                           "value": value, "unit": parameter.unit.code,
                           "status": status_codes.get(status, str(status))},
        }


def data_response(request, provider: StationsProvider, stations: Sequence[Station], params: dict) -> HttpResponse:
    """The readings of `stations` for the query `params`, in the requested format."""
    measured = provider.parameters_of(stations)
    chosen = _chosen_parameters(stations, measured, params.get("parameter_names"))
    window: Window = params["window"]
    by_pk = {s.pk: s for s in stations}
    rows = provider.readings(list(by_pk), list(chosen), window)
    fmt = params["f"]
    if fmt == edr.CSV:
        from monitoring.views import readings_csv_response

        name = stations[0].code if len(stations) == 1 else "position"
        return _finish(request, readings_csv_response(
            ((by_pk[s].code, chosen[p].code, chosen[p].unit.code, t, v, st) for s, p, t, v, st in rows.iterator()),
            filename=f"{name}_{window.start:%Y%m%d}_{window.end:%Y%m%d}.csv"))
    if fmt == edr.GEOJSON:
        features = list(_geojson_features(rows.iterator(), by_pk, chosen))
        return _json(request, {"type": "FeatureCollection", "features": features,
                               "numberReturned": len(features),
                               "timeStamp": timezone.now().isoformat(timespec="seconds")},
                     media=edr.MEDIA_GEOJSON)
    infos = {p.code: _parameter_info(p) for p in chosen.values()}
    doc = covjson.coverage_collection(_series(rows.iterator(), by_pk, chosen), infos)
    return _json(request, doc, media=edr.MEDIA_COVJSON)


class LocationView(EdrView):
    """/locations/{code}: one station's readings."""

    def get(self, request, collection_id: str, location_id: str):
        _check_collection(collection_id)
        provider = StationsProvider(request.user)
        station = provider.station(location_id)
        params = _validated(DataQuery, request)
        return data_response(request, provider, [station], params)


class PositionView(EdrView):
    """/position?coords=POINT(lon lat): the readings of the stations near the point."""

    def get(self, request, collection_id: str):
        _check_collection(collection_id)
        params = _validated(PositionQuery, request)
        provider = StationsProvider(request.user)
        lon, lat = params["coords"]
        stations = provider.near(lon, lat)
        if not stations:
            raise ItemNotFound(_("No monitoring station within %(m)d m of the point.") % {
                "m": edr.POSITION_RADIUS_M})
        return data_response(request, provider, stations, params)


__all__ = ["CollectionView", "CollectionsView", "ConformanceView", "LandingPageView", "LocationView",
           "LocationsView", "PositionView", "StationsProvider", "resolve_window"]
