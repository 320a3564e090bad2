"""Background tasks of the exchange (django.tasks API; `manage.py run_scheduler` enqueues the
periodic one listed in settings.PERIODIC_TASKS, `manage.py db_worker` runs them)."""
from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from exchange.services import build_data_package

logger = logging.getLogger(__name__)


@task()
def build_scheduled_data_package() -> int:
    """Build the periodic package: the registers as they stand and this year's data so far."""
    today = timezone.localdate()
    package = build_data_package(actor=None, year=today.year, period_end=today)
    return package.version


@task()
def build_data_package_task(*, actor_id: int | None, year: int | None = None) -> int:
    """Build a package an officer asked for from the packages page."""
    actor = get_user_model().objects.select_related("organisation").filter(pk=actor_id).first() if actor_id else None
    return build_data_package(actor=actor, year=year).version
