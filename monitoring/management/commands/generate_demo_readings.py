"""`manage.py generate_demo_readings [--days N] [--end ISO]`: write the demo stations' readings
now (load_demo_data enqueues the same work for the background worker)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.demo import generate_demo_readings


def _end(value: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--end: not an ISO 8601 date-time: {value!r}") from exc
    # A time without an offset is Vietnam time (settings.TIME_ZONE), as the portal shows it.
    return timezone.make_aware(when) if timezone.is_naive(when) else when


class Command(BaseCommand):
    help = ("Generate the demo monitoring readings (5-minute values of every demo automatic station) "
            "by binary COPY; only what is missing is written.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="length of the window (default 365 days)")
        parser.add_argument("--end", type=_end, default=None,
                            help="end of the window, ISO 8601 (default: the current hour)")
        parser.add_argument("--station", action="append", dest="stations", metavar="CODE",
                            help="only this station (repeatable)")
        parser.add_argument("--no-detect", action="store_true", help="do not run the exceedance detection afterwards")

    def handle(self, *args, **opts):
        if opts["days"] < 1:
            raise CommandError("--days must be at least 1")
        try:
            summary = generate_demo_readings(days=opts["days"], end=opts["end"], stdout=self.stdout,
                                             stations=opts["stations"], detect=not opts["no_detect"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{summary['rows']:,} rows in {summary['seconds']:.1f} s ({summary['rows_per_second']:,} rows/s)"))
