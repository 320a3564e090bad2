"""Writes of the exchange app: building a data package, and asking for one to be built."""
from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.models import DataPackage, PackageStatus, package_upload_to
from exchange.package import write_package
from exchange.schema import SCHEMA_VERSION
from exchange.selectors import Filters
from geoportal.audit.services import audit_record

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key: one build at a time, so that versions are consecutive and unique.
BUILD_LOCK = 7_000_001


def _period(year: int | None, period_start: dt.date | None, period_end: dt.date | None) -> Filters:
    if year is not None:
        if not 2000 <= year <= 2100:
            raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
        period_start = period_start or dt.date(year, 1, 1)
        period_end = period_end or dt.date(year, 12, 31)
    if period_start and period_end and period_start > period_end:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    return Filters(period_start=period_start, period_end=period_end)


def build_data_package(*, actor=None, year: int | None = None, period_start: dt.date | None = None,
                       period_end: dt.date | None = None) -> DataPackage:
    """Build, store and record the next version of the data package.

    The registers (facilities, zones, permits, stations) are exported as they stand; reports,
    daily monitoring aggregates and exceedances are limited to the period (`year`, or the
    dates) when one is given. The files are written in a temporary directory, stored through
    default_storage, and recorded with an audit event in one transaction: a failure leaves no
    DataPackage row and removes the stored file.
    """
    filters = _period(year, period_start, period_end)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    stored: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="exchange-package-") as tmp, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUILD_LOCK])
            version = (DataPackage.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            generated_at = timezone.now()
            built = write_package(Path(tmp), version=version, generated_at=generated_at,
                                  generated_by=actor.get_username() if actor else "scheduler", filters=filters)
            with built.path.open("rb") as fh:
                name = default_storage.save(package_upload_to(None, built.filename), File(fh))
            stored.append(name)
            package = DataPackage(
                version=version, schema_version=SCHEMA_VERSION, created_by=actor, file=name, size=built.size,
                sha256=built.sha256, manifest=built.manifest, counts=built.counts, status=PackageStatus.READY,
                period_start=filters.period_start, period_end=filters.period_end,
            )
            package.full_clean()
            package.save()
            audit_record(actor=actor, action="exchange.package.build", obj=package, changes={
                "version": version, "schema_version": SCHEMA_VERSION, "sha256": built.sha256,
                "counts": built.counts, "period": built.manifest["period"],
            })
    except BaseException:
        for name in stored:  # the row was rolled back: its file must not outlive it
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not remove %s after a failed package build", name)
        raise
    logger.info("data package v%s built: %s", package.version, package.counts)
    return package


def request_data_package(*, actor, year: int | None = None) -> None:
    """Queue a package build (the worker runs it); audited now, as the officer's request."""
    from exchange.tasks import build_data_package_task

    _period(year, None, None)
    with transaction.atomic():
        audit_record(actor=actor, action="exchange.package.request", changes={"year": year})
        transaction.on_commit(lambda: build_data_package_task.enqueue(actor_id=actor.pk, year=year))
