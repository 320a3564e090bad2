"""The push API of station dataloggers.

``POST /api/v1/monitoring/stations/<code>/readings/`` with ``Authorization: Bearer st_…``
and a batch as ``application/json`` (``{"readings": [{"parameter", "value", "unit",
"observed_at", "status"}]}``, times with their offset) or ``text/plain`` (the datalogger
file layout, settings.MONITORING_DATALOGGER_FORMAT).

Answers:
- 200 ``{"accepted": n, "duplicates": n, "rejected": []}`` (duplicates: repeats inside the
  batch plus readings already stored, so a datalogger may re-send freely);
- 400 problem+json, code ``batch_rejected``, nothing written, with
  ``errors = {"accepted": 0, "duplicates": 0, "rejected": [{line|index, field, code, message, value}]}``;
- 401 no, bad, revoked or expired token (never a session); 403 ``wrong_station``: a valid
  token of another station; 413 over the size limit (bytes or rows); 415 another body type;
  429 over the "station" rate.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.core.errors import PROBLEM_CONTENT_TYPE, problem_body
from monitoring.api.auth import HasStationToken, StationRateThrottle, StationTokenAuthentication
from monitoring.ingest.config import format_from_settings
from monitoring.ingest.parsing import (
    ErrorCode,
    ParseResult,
    load_json_body,
    parse_datalogger_text,
    parse_json_batch,
    read_capped,
)
from monitoring.services.push import PushResult, ingest_batch, resolver

JSON, TEXT = "application/json", "text/plain"


class WrongStation(exceptions.APIException):
    """A valid token, of another station (its own class: the problem code stays "wrong_station")."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = gettext_lazy("This token belongs to another station.")
    default_code = "wrong_station"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The batch is larger than the allowed size.")
    default_code = "too_large"


def push_max_bytes(fmt_limit: int) -> int:
    """The largest body accepted (settings.MONITORING_PUSH_MAX_BYTES, else the datalogger file limit)."""
    return int(getattr(settings, "MONITORING_PUSH_MAX_BYTES", fmt_limit))


def _problem(result: PushResult, *, status_code: int, code: str, detail: str) -> Response:
    title = _("Request too large") if status_code == 413 else _("Invalid request")
    body = problem_body(status_code=status_code, code=code, title=title, detail=detail, errors=result.to_dict())
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


PUSH_RESULT = inline_serializer("PushResult", {
    "accepted": serializers.IntegerField(), "duplicates": serializers.IntegerField(),
    "rejected": serializers.ListField(child=serializers.DictField())})


class StationReadingsPushApi(APIView):
    """POST a batch of one station's readings (station token only); all or nothing."""

    authentication_classes = [StationTokenAuthentication]
    permission_classes = [HasStationToken]
    throttle_classes = [StationRateThrottle]
    throttle_scope = "station"
    parser_classes: list = []  # the body is read here, within its own size limit
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="monitoring_station_readings_push",
        request={JSON: OpenApiTypes.OBJECT, TEXT: OpenApiTypes.STR},
        responses={200: PUSH_RESULT, 400: OpenApiResponse(description="problem+json, code batch_rejected; "
                                                                        "errors = {accepted, duplicates, rejected}"),
                   401: OpenApiResponse(description="no, bad, revoked or expired station token"),
                   403: OpenApiResponse(description="code wrong_station: the token of another station"),
                   413: OpenApiResponse(description="over the size limit (bytes or rows)")})
    def post(self, request, code: str):
        token = request.auth
        station = token.station
        if station.code != code:
            raise WrongStation()
        fmt = format_from_settings(getattr(settings, "MONITORING_DATALOGGER_FORMAT", {}))
        limit = push_max_bytes(fmt.max_file_bytes)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise PayloadTooLarge()
        stream = request.stream
        data = b"" if stream is None else read_capped(stream, limit)
        if data is None:
            raise PayloadTooLarge()
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        if data and media_type not in (JSON, TEXT):
            raise exceptions.UnsupportedMediaType(media_type or "-")

        now = timezone.now()
        lookup = resolver(station)
        if not data:
            parsed = ParseResult().refuse(ErrorCode.EMPTY, _("The batch holds no readings."))
        elif media_type == JSON:
            try:
                payload = load_json_body(data)
            except (ValueError, RecursionError):
                raise exceptions.ParseError(_("The body is not valid JSON.")) from None
            parsed = parse_json_batch(payload, now=now, resolve_parameter=lookup, status_codes=fmt.status_codes)
        else:
            parsed = parse_datalogger_text(data, fmt=fmt, now=now, resolve_parameter=lookup)
        result = ingest_batch(station=station, parse_result=parsed, now=now, lookup=lookup,
                              position="index" if media_type == JSON else "line")
        if result.too_large:
            return _problem(result, status_code=413, code="too_large",
                            detail=_("The batch is larger than the allowed size; nothing was written."))
        if result.refused:
            return _problem(result, status_code=400, code="batch_rejected",
                            detail=_("The batch was refused as a whole; nothing was written."))
        if not result.ok:
            rows = len({(e.get("line"), e.get("index")) for e in result.rejected})
            return _problem(result, status_code=400, code="batch_rejected",
                            detail=ngettext("%(rows)d row is rejected; nothing was written. Correct it and send "
                                            "the whole batch again.",
                                            "%(rows)d rows are rejected; nothing was written. Correct them and "
                                            "send the whole batch again.", rows) % {"rows": rows})
        return Response(result.to_dict())
