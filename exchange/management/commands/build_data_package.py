"""Build the next version of the data package for the national environmental database."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.services import build_data_package


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = ("Build the next version of the data package (JSON/GeoJSON, GeoPackage, manifest.json, SHA256SUMS) "
            "and store it. Each run makes a new version.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="limit reports, daily monitoring and exceedances to this year")
        parser.add_argument("--from", dest="start", type=_date, help="period start (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=_date, help="period end (YYYY-MM-DD)")

    def handle(self, *args, year=None, start=None, end=None, **options):
        try:
            package = build_data_package(actor=None, year=year, period_start=start, period_end=end)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        counts = ", ".join(f"{k}={v}" for k, v in package.counts.items())
        self.stdout.write(f"data package v{package.version}: {package.file.name} sha256={package.sha256} ({counts})")
