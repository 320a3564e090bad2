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
