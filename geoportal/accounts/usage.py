"""Usage statistics of API tokens: one counter per token, local day and collection or endpoint.

Recording costs one `INSERT … ON CONFLICT DO UPDATE` per token-authenticated request (an
index lookup and an in-place update of a small row). Connection accounts are rate-limited, so
this stays far below what PostgreSQL absorbs; a cache-side counter flushed in batches would
save the statement but lose counts on a restart, and these figures back data-sharing agreements.
Recording never fails a request: an error is logged and the request goes on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import DatabaseError, connections, router, transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from geoportal.accounts.models import ApiToken, ApiTokenUsage

logger = logging.getLogger(__name__)

# URL keyword arguments that name an exchanged collection (exchange API, OGC API Features/EDR).
COLLECTION_KWARGS = ("collection", "collection_id", "collectionId")
KEY_MAX_LENGTH = ApiTokenUsage._meta.get_field("key").max_length
OTHER = "other"
# The window of the statistics pages.
USAGE_DAYS = 30


def usage_key(request) -> str:
    """What a request used: the exchanged collection its URL names, a view's fixed
    `usage_collection`, or else its route name. Only known collection keys are taken from the
    URL, so that a client cannot fill the table with made-up names."""
    from exchange.schema import COLLECTIONS  # lazy: the schema is the exchange app's contract

    match = getattr(request, "resolver_match", None)
    if match is None:
        return OTHER
    for name in COLLECTION_KWARGS:
        value = match.kwargs.get(name)
        if value in COLLECTIONS:
            return value
    # as_view() exposes the class as view_class; DRF viewsets' as_view() as cls.
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    fixed = getattr(view_class, "usage_collection", None)
    if fixed:
        return str(fixed)[:KEY_MAX_LENGTH]
    return (match.view_name or OTHER)[:KEY_MAX_LENGTH]


def _upsert_sql() -> str:
    table = ApiTokenUsage._meta.db_table
    return (
        f'INSERT INTO "{table}" (token_id, day, key, count, last_at) VALUES (%s, %s, %s, 1, %s) '
        f'ON CONFLICT (token_id, day, key) DO UPDATE SET count = "{table}".count + 1, '
        f'last_at = GREATEST("{table}".last_at, EXCLUDED.last_at)'
    )


def record_usage(*, token: ApiToken, key: str, at: datetime | None = None) -> bool:
    """Count one request of `token` on `key`; False (and a log line) when it could not be counted."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    connection = connections[router.db_for_write(ApiTokenUsage)]
    try:
        if connection.in_atomic_block:
            # A savepoint, so that a failure here does not poison the caller's transaction.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(_upsert_sql(), [token.pk, day, key[:KEY_MAX_LENGTH], at])
        else:
            with connection.cursor() as cursor:
                cursor.execute(_upsert_sql(), [token.pk, day, key[:KEY_MAX_LENGTH], at])
    except DatabaseError:
        logger.warning("token usage not recorded (token %s, key %s)", token.pk, key, exc_info=True)
        return False
    return True


@dataclass(frozen=True)
class DayBar:
    """One day of a usage chart (SVG coordinates precomputed for the template)."""

    day: date
    count: int
    x: float
    y: float
    height: float


def window_start(days: int = USAGE_DAYS, today: date | None = None) -> date:
    """The first day of the last `days` local days, today included."""
    return (today or timezone.localdate()) - timedelta(days=days - 1)


def usage_rows(tokens: QuerySet, *, days: int = USAGE_DAYS) -> QuerySet:
    """The usage rows of `tokens` (a scoped ApiToken queryset) in the window."""
    return ApiTokenUsage.objects.filter(token__in=tokens.values("pk"), day__gte=window_start(days))


def daily_counts(tokens: QuerySet, *, days: int = USAGE_DAYS) -> dict[int, dict[date, int]]:
    """{token id: {day: requests}} over the window, summed over collections (one query)."""
    out: dict[int, dict[date, int]] = {}
    for row in usage_rows(tokens, days=days).values("token_id", "day").annotate(n=Sum("count")).order_by():
        out.setdefault(row["token_id"], {})[row["day"]] = row["n"]
    return out


def collection_counts(tokens: QuerySet, *, days: int = USAGE_DAYS) -> dict[int, list[dict]]:
    """{token id: [{key, requests, last_at}, …]} over the window, busiest first (one query)."""
    out: dict[int, list[dict]] = {}
    rows = usage_rows(tokens, days=days).values("token_id", "key").annotate(
        requests=Sum("count"), last_at=Max("last_at")).order_by("token_id", "-requests", "key")
    for row in rows:
        out.setdefault(row["token_id"], []).append(
            {"key": row["key"], "requests": row["requests"], "last_at": row["last_at"]})
    return out


def day_bars(per_day: dict[date, int], *, days: int = USAGE_DAYS, width: float = 4.0,
             height: float = 24.0) -> list[DayBar]:
    """The window's days, oldest first, as bars scaled to the busiest day (zeros included)."""
    start = window_start(days)
    peak = max(per_day.values(), default=0) or 1
    bars = []
    for i in range(days):
        day = start + timedelta(days=i)
        count = per_day.get(day, 0)
        h = round(height * count / peak, 2)
        bars.append(DayBar(day=day, count=count, x=i * width, y=round(height - h, 2), height=h))
    return bars
