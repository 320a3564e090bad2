"""Query parameters of the items page, parsed declaratively (STYLE.md principle 9): a
DRF serializer whose errors leave as one 400 problem body naming the parameter."""
from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from layers.ogcapi.conformance import DEFAULT_CRS, DEFAULT_LIMIT, MAX_LIMIT, OutputCrs, crs_by_uri


class CrsField(serializers.CharField):
    default_error_messages = {"unsupported": _("Unsupported CRS: %(value)s.")}

    def to_internal_value(self, data) -> OutputCrs:
        value = super().to_internal_value(data)
        crs = crs_by_uri(value)
        if crs is None:
            raise serializers.ValidationError(self.error_messages["unsupported"] % {"value": value[:200]})
        return crs


class BboxField(serializers.CharField):
    """`minx,miny,maxx,maxy` or `minx,miny,minz,maxx,maxy,maxz` (heights ignored)."""

    default_error_messages = {
        "count": _("A bbox has 4 or 6 comma-separated numbers."),
        "number": _("Every bbox value must be a finite number."),
        "order": _("The bbox's southern edge is north of its northern edge."),
    }

    def to_internal_value(self, data) -> tuple[float, float, float, float]:
        parts = super().to_internal_value(data).split(",")
        if len(parts) not in (4, 6):
            raise serializers.ValidationError(self.error_messages["count"])
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise serializers.ValidationError(self.error_messages["number"]) from None
        if not all(math.isfinite(n) for n in numbers):
            raise serializers.ValidationError(self.error_messages["number"])
        if len(numbers) == 6:
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
        return tuple(numbers)


@dataclass(frozen=True)
class Interval:
    """A closed interval of aware datetimes; None = open end."""

    start: datetime | None
    end: datetime | None


def _moment(text: str, *, end: bool) -> datetime:
    value = parse_datetime(text)
    if value is None:
        day = parse_date(text)
        if day is None:
            raise ValueError(text)
        # A date stands for the whole day: its start, or (as an end) its last instant.
        value = datetime.combine(day, time.min) + (timedelta(days=1, microseconds=-1) if end else timedelta())
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_timezone.utc)
    return value


class DatetimeField(serializers.CharField):
    """RFC 3339 instant (date or date-time) or interval `a/b`, `../b`, `a/..`."""

    default_error_messages = {
        "invalid": _("Give an RFC 3339 date or date-time, or an interval such as 2024-01-01/.. ."),
        "order": _("The interval ends before it starts."),
    }

    def to_internal_value(self, data) -> Interval:
        text = super().to_internal_value(data).strip()
        try:
            if "/" in text:
                first, _sep, second = text.partition("/")
                start = None if first in ("..", "") else _moment(first, end=False)
                end = None if second in ("..", "") else _moment(second, end=True)
                if start is None and end is None and first != "..":
                    raise ValueError(text)
            else:
                start, end = _moment(text, end=False), _moment(text, end=True)
        except ValueError:
            raise serializers.ValidationError(self.error_messages["invalid"]) from None
        if start and end and end < start:
            raise serializers.ValidationError(self.error_messages["order"])
        return Interval(start, end)


def encode_cursor(*, after: int | None = None, before: int | None = None) -> str:
    payload = {"a": after} if after is not None else {"b": before}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


@dataclass(frozen=True)
class Cursor:
    after: int | None = None
    before: int | None = None


class CursorField(serializers.CharField):
    """The opaque `next` token of the next/prev links (keyset paging on id)."""

    default_error_messages = {"invalid": _("Invalid paging token; follow the next and prev links as given.")}

    def to_internal_value(self, data) -> Cursor:
        text = super().to_internal_value(data)
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            after, before = raw.get("a"), raw.get("b")
            if not any(isinstance(v, int) and not isinstance(v, bool) for v in (after, before)):
                raise ValueError
        except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
            raise serializers.ValidationError(self.error_messages["invalid"]) from None
        return Cursor(after=after if isinstance(after, int) else None,
                      before=before if isinstance(before, int) else None)


class CappedLimitField(serializers.IntegerField):
    """Above the maximum the limit is capped, not refused (OGC API Features /req/core/fc-limit-response-1)."""

    def to_internal_value(self, data) -> int:
        return min(super().to_internal_value(data), MAX_LIMIT)


class ItemsQuery(serializers.Serializer):
    """Standard parameters of /collections/{id}/items; property filters are checked
    against the collection's queryables by the provider."""

    bbox = BboxField(required=False)
    datetime = DatetimeField(required=False)
    limit = CappedLimitField(required=False, default=DEFAULT_LIMIT, min_value=1)
    offset = serializers.IntegerField(required=False, default=0, min_value=0)
    next = CursorField(required=False)
    crs = CrsField(required=False, default=DEFAULT_CRS)
    q = serializers.CharField(required=False, max_length=200, trim_whitespace=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["bbox-crs"] = CrsField(required=False, default=DEFAULT_CRS, source="bbox_crs")
        return fields

    def validate(self, attrs):
        bbox = attrs.get("bbox")
        if bbox:
            crs = attrs["bbox_crs"]
            west, south, east, north = (bbox[1], bbox[0], bbox[3], bbox[2]) if crs.lat_first else bbox
            if south > north:
                raise serializers.ValidationError({"bbox": [BboxField.default_error_messages["order"]]})
            if west > east and crs.epsg not in (None, 4326):
                # Only a geographic CRS has an antimeridian to cross.
                raise serializers.ValidationError({"bbox": [_("The bbox's western edge is east of its eastern edge.")]})
            attrs["bbox"] = (west, south, east, north)
        return attrs


class ItemQuery(serializers.Serializer):
    crs = CrsField(required=False, default=DEFAULT_CRS)


STANDARD_PARAMETERS = frozenset({"bbox", "bbox-crs", "datetime", "limit", "offset", "next", "crs", "q", "f"})
