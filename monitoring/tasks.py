"""Background tasks of the monitoring network (django.tasks API; `manage.py db_worker` runs
them, `manage.py run_scheduler` enqueues the periodic ones listed in settings.PERIODIC_TASKS)."""
from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from layers.choices import ApprovalStatus
from monitoring.choices import StationMode
from monitoring.models import Station
from monitoring.services.aqi import aqi_station_ids, last_storable_day, missing_daily_aqi, store_daily_aqi
from monitoring.services.exceedances import detect_exceedances
from monitoring.services.ingest import ensure_partitions

logger = logging.getLogger(__name__)

# Re-scanning 48 hours every run catches late data (dataloggers resend what they could not
# transmit) and lets open events grow; detection is idempotent, so overlap costs nothing.
RECENT = dt.timedelta(hours=48)
MONTHS_AHEAD = 3


@task()
def detect_recent_exceedances() -> dict[str, int]:
    """Detect exceedances of the last 48 complete hours at every automatic station."""
    end = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = end - RECENT
    counts = {"stations": 0, "events": 0, "failed": 0}
    stations = (Station.objects.filter(mode=StationMode.AUTOMATIC).exclude(approval_status=ApprovalStatus.REJECTED)
                .order_by("pk"))
    for station in stations:
        try:
            events = detect_exceedances(station=station, start=start, end=end)
        except Exception:  # one station's bad configuration must not stop the others
            logger.exception("exceedance detection failed for station %s", station.code)
            counts["failed"] += 1
            continue
        counts["stations"] += 1
        counts["events"] += len(events)
    return counts


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@task()
def ensure_reading_partitions() -> int:
    """Create the monthly partitions of the readings table up to three months ahead; returns how many."""
    today = timezone.now().astimezone(dt.UTC).date()  # partitions are UTC months
    last = _add_months(today, MONTHS_AHEAD)
    return ensure_partitions(dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC),
                             dt.datetime.combine(last, dt.time(0), tzinfo=dt.UTC))


# Stored daily AQI: the last week of finished days is recomputed every run (late data that
# slipped past the ingest check, a station fixed after an outage); older gaps of the last 400
# days (a new station, a new AQI method, days deleted by late readings) are filled newest
# first, at most 100 days' span a run, so one run stays around a second for ten stations.
AQI_RECENT_DAYS = 7
AQI_LOOKBACK_DAYS = 400
AQI_BACKFILL_DAYS = 100


@task()
def store_recent_daily_aqi() -> dict[str, int]:
    """Store AQI^d of the last 7 finished days and of the newest missing days of the last 400 at ambient stations."""
    last = last_storable_day()
    recent_first = last - dt.timedelta(days=AQI_RECENT_DAYS - 1)
    stations = aqi_station_ids()
    counts = {"stations": len(stations), "recent": store_daily_aqi(first=recent_first, last=last, stations=stations),
              "backfilled": 0}
    missing = missing_daily_aqi(first=last - dt.timedelta(days=AQI_LOOKBACK_DAYS - 1),
                                last=recent_first - dt.timedelta(days=1), stations=stations)
    if missing:
        newest = max(days[-1] for days in missing.values())
        oldest = max(min(days[0] for days in missing.values()), newest - dt.timedelta(days=AQI_BACKFILL_DAYS - 1))
        behind = [s for s, days in missing.items() if any(oldest <= d <= newest for d in days)]
        counts["backfilled"] = store_daily_aqi(first=oldest, last=newest, stations=behind)
    return counts
