"""Background tasks of the annual reports (django.tasks API; `manage.py db_worker` runs them,
`manage.py run_scheduler` enqueues the periodic ones listed in settings.PERIODIC_TASKS)."""
from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from reports.reminders import send_due_reminders


@task()
def send_report_reminders() -> dict[str, int]:
    """Send the reminder e-mails due today (the date in Vietnam, settings.TIME_ZONE)."""
    return send_due_reminders(today=timezone.localdate())
