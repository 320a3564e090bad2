"""GET /api/v1/crs/transform/: convert one typed coordinate to WGS 84, live.

The location widget calls it as the user types, so the converted position shows
before the form is saved. Public (the conversion reveals nothing) but throttled.

    ?srid=9210&x=2304118.61&y=606437.54   VN-2000 / UTM metres, X = northing, Y = easting
    ?lon=106.7745&lat=20.8268             WGS 84 degrees (decimal or DMS per value)
    ?dms=20°49'36.5"N 106°46'28.2"E       a latitude/longitude pair in one text

→ {"lon", "lat", "srid", "in_vietnam", "in_hai_phong", "vn2000_9210": {"x", "y"}}
Numbers may be written the Vietnamese way ("2 304 118,61", "606.437").
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from geoportal.accounts.throttling import ApiTokenRateThrottle
from geoportal.core import crs

# Field of the query that a CoordinateError.field refers to, per input form.
_PROJECTED_FIELDS = {"northing": "x", "easting": "y"}
_DEGREE_FIELDS = {"lat": "lat", "lon": "lon"}


def _coordinate_error(exc: crs.CoordinateError, fields: dict[str, str],
                      default: tuple[str, ...]) -> serializers.ValidationError:
    """A CoordinateError as a 400 naming the query parameter(s) it is about."""
    names = (fields[exc.field],) if exc.field in fields else default
    return serializers.ValidationError({name: [exc.message] for name in names})


class CrsNorthingEastingSerializer(serializers.Serializer):
    x = serializers.FloatField(help_text="X = northing (m)")
    y = serializers.FloatField(help_text="Y = easting (m)")


class CrsTransformApi(APIView):
    """Convert a coordinate typed in VN-2000, UTM or WGS 84 (degrees or DMS) to WGS 84."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ApiTokenRateThrottle]

    class CrsTransformQuerySerializer(serializers.Serializer):
        srid = serializers.ChoiceField(
            choices=sorted(crs.SUPPORTED_SRIDS), required=False,
            help_text="EPSG code of the input; required with x/y, 4326 (default) with lon/lat.")
        x = serializers.CharField(required=False, max_length=40, trim_whitespace=True,
                                  help_text="Projected X = northing in metres (Vietnamese order).")
        y = serializers.CharField(required=False, max_length=40, trim_whitespace=True,
                                  help_text="Projected Y = easting in metres.")
        lon = serializers.CharField(required=False, max_length=64,
                                    help_text="Longitude: decimal degrees or DMS (106°46'28.2\"E).")
        lat = serializers.CharField(required=False, max_length=64,
                                    help_text="Latitude: decimal degrees or DMS (20°49'36.5\"N).")
        dms = serializers.CharField(required=False, max_length=128,
                                    help_text="A latitude and longitude pair in one text.")

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            given = {k for k in ("x", "y", "lon", "lat", "dms") if attrs.get(k)}
            forms = [given & {"x", "y"}, given & {"lon", "lat"}, given & {"dms"}]
            if sum(1 for f in forms if f) != 1:
                raise serializers.ValidationError({"non_field_errors": [_(
                    "Give x and y with a projected srid, or lon and lat, or dms.")]})
            srid = attrs.get("srid")
            if given & {"x", "y"}:
                for name, label in (("x", _("Enter X (northing).")), ("y", _("Enter Y (easting)."))):
                    if not attrs.get(name):
                        raise serializers.ValidationError({name: [label]})
                if srid not in crs.PROJECTED_SRIDS:
                    raise serializers.ValidationError({"srid": [_(
                        "x and y need a projected coordinate system: %(srids)s.")
                        % {"srids": ", ".join(str(s) for s in sorted(crs.PROJECTED_SRIDS))}]})
                try:
                    northing = crs.parse_metres(attrs["x"], field="northing")
                    easting = crs.parse_metres(attrs["y"], field="easting")
                    point = crs.projected_to_wgs84(northing=northing, easting=easting, srid=srid)
                except crs.CoordinateError as exc:
                    raise _coordinate_error(exc, _PROJECTED_FIELDS, ("x", "y")) from exc
            elif given & {"lon", "lat"}:
                for name, label in (("lon", _("Enter the longitude.")), ("lat", _("Enter the latitude."))):
                    if not attrs.get(name):
                        raise serializers.ValidationError({name: [label]})
                if srid not in (None, crs.WGS84):
                    raise serializers.ValidationError({"srid": [_("lon and lat are WGS 84 (srid 4326).")]})
                srid = crs.WGS84
                try:
                    lat = crs.parse_dms(attrs["lat"], axis="lat")
                except crs.CoordinateError as exc:
                    raise serializers.ValidationError({"lat": [exc.message]}) from exc
                try:
                    lon = crs.parse_dms(attrs["lon"], axis="lon")
                    point = crs.to_wgs84(lon, lat, crs.WGS84)
                except crs.CoordinateError as exc:
                    raise _coordinate_error(exc, _DEGREE_FIELDS, ("lon",)) from exc
            else:
                if srid not in (None, crs.WGS84):
                    raise serializers.ValidationError({"srid": [_("dms is WGS 84 (srid 4326).")]})
                srid = crs.WGS84
                try:
                    point = crs.parse_coordinate_pair(attrs["dms"])
                except crs.CoordinateError as exc:
                    raise serializers.ValidationError({"dms": [exc.message]}) from exc
            return {"srid": srid, "point": point}

    class CrsTransformResultSerializer(serializers.Serializer):
        lon = serializers.FloatField()
        lat = serializers.FloatField()
        srid = serializers.IntegerField(help_text="EPSG code of the input")
        in_vietnam = serializers.BooleanField()
        in_hai_phong = serializers.BooleanField()
        vn2000_9210 = CrsNorthingEastingSerializer(
            allow_null=True, help_text="The point in VN-2000 / Hai Phong TM-3 105°45′, or null "
                                       "when it cannot be projected.")

    @extend_schema(parameters=[CrsTransformQuerySerializer], responses={200: CrsTransformResultSerializer})
    def get(self, request):
        params = self.CrsTransformQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        lon, lat = params.validated_data["point"]
        try:
            ne = crs.wgs84_to_vn2000(lon, lat, crs.VN2000_TM3_105_45)
            vn2000 = {"x": round(ne.northing, 3), "y": round(ne.easting, 3)}
        except crs.CoordinateError:
            vn2000 = None  # far outside the projection's reach; the WGS 84 answer stands
        response = Response(self.CrsTransformResultSerializer({
            "lon": round(lon, 8),
            "lat": round(lat, 8),
            "srid": params.validated_data["srid"],
            "in_vietnam": crs.in_vietnam(lon, lat),
            "in_hai_phong": crs.in_hai_phong(lon, lat),
            "vn2000_9210": vn2000,
        }).data)
        response["Cache-Control"] = "public, max-age=3600"  # a pure function of the query
        return response
