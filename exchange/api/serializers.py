"""Input of the exchange API: the query of a collection's records."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from geoportal.core.pagination import PortalPagination

FORMATS = ("json", "geojson", "csv")


class ItemsQuerySerializer(serializers.Serializer):
    """?page=&page_size=&updated_since=&format= of GET /api/v1/exchange/<collection>/."""

    # Bounded so that the SQL OFFSET stays a bigint (a 500 otherwise).
    page = serializers.IntegerField(min_value=1, max_value=10_000_000, default=1)
    page_size = serializers.IntegerField(min_value=1, default=PortalPagination.page_size)
    updated_since = serializers.CharField(required=False, max_length=40)
    format = serializers.ChoiceField(choices=FORMATS, required=False)

    def validate_page_size(self, value: int) -> int:
        return min(value, PortalPagination.max_page_size)  # larger pages are capped, not refused

    def validate_updated_since(self, value: str) -> dt.datetime:
        """An ISO 8601 date or date-time; without an offset it is Vietnam time."""
        text = value.strip().replace(" ", "+")  # an unescaped "+" in a query string arrives as a space
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise serializers.ValidationError(
                _("Enter an ISO 8601 date or date and time, e.g. 2025-06-01 or 2025-06-01T08:00:00+07:00.")
            ) from None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        return parsed
