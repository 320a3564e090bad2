"""`manage.py run_scheduler`: periodic tasks are enqueued when their interval has elapsed
(judged from the database backend's task results), never piled up, and the process stops
cleanly on SIGTERM. The reminder task itself runs the reminder service for today."""
from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports.models import FormDefinition, ReminderLog, Report
from reports.reminders import default_year
from reports.tasks import send_report_reminders
from tests.factories import EnterpriseFactory
from tests.layer_factories import FacilityFactory

PATH = "reports.tasks.send_report_reminders"
SIX_HOURS = [(PATH, 6 * 3600)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROOT = Path(__file__).resolve().parents[2]


def once() -> str:
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


def reminder_due_today(*, email: str = "kcn@example.vn") -> ReminderLog | None:
    """A facility whose report deadline is 30 days from today (Vietnam date): the 30-day
    reminder is due now, whatever day the suite runs."""
    today = timezone.localdate()
    form = FormDefinition.objects.create(
        code="05.A", version="t1", applies_to="gpmt", title_vi="Mẫu 05.A", legal_basis="TT 02/2022",
        effective_from=dt.date(2022, 1, 10), deadline_day=15, definition={"sections": []}, sha256="0" * 64)
    owner = EnterpriseFactory(email=email)
    facility = FacilityFactory(owner_organisation=owner)
    Report.objects.create(facility=facility, organisation=owner, year=default_year(today), form=form,
                          due_before=today + dt.timedelta(days=31))
    return facility


@override_settings(PERIODIC_TASKS=SIX_HOURS, TASKS=DATABASE)
def test_once_enqueues_what_is_due_and_only_once(db):
    assert "enqueued reports.tasks.send_report_reminders" in once()
    result = DBTaskResult.objects.get()
    assert result.task_path == PATH and result.status == TaskResultStatus.READY
    # Still waiting for the worker: not piled up, even once the interval has passed.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(hours=7))
    assert once() == ""
    assert DBTaskResult.objects.count() == 1


@override_settings(PERIODIC_TASKS=SIX_HOURS, TASKS=DATABASE)
def test_the_interval_counts_from_the_last_enqueue(db):
    once()
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL,
                                enqueued_at=timezone.now() - dt.timedelta(hours=5, minutes=59))
    assert once() == ""
    assert DBTaskResult.objects.count() == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(hours=6, seconds=1))
    assert PATH in once()
    assert DBTaskResult.objects.count() == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_the_settings_schedule_the_reminders_every_six_hours(settings):
    assert (PATH, 21600) in settings.PERIODIC_TASKS


@pytest.mark.parametrize("entries", [[("reports.tasks.no_such_task", 60)], [("reports.reminders.default_year", 60)],
                                     [(PATH, 0)], [PATH]])
def test_a_wrong_schedule_is_a_clear_error(db, entries):
    with override_settings(PERIODIC_TASKS=entries), pytest.raises(CommandError, match="PERIODIC_TASKS"):
        once()


def test_a_bad_interval_is_refused(db):
    with pytest.raises(CommandError, match="interval"):
        call_command("run_scheduler", "--interval", "0")


@override_settings(PERIODIC_TASKS=SIX_HOURS, TASKS=IMMEDIATE)
def test_with_the_immediate_backend_the_task_runs_on_enqueue(db, django_capture_on_commit_callbacks):
    """The task sends what the reminder service finds due today (Vietnam date)."""
    facility = reminder_due_today()
    with django_capture_on_commit_callbacks(execute=True):
        once()
    assert list(ReminderLog.objects.values_list("facility_id", "kind")) == [(facility.pk, "d30")]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kcn@example.vn"]


@override_settings(TASKS=IMMEDIATE)
def test_the_task_returns_the_counts(db, django_capture_on_commit_callbacks):
    reminder_due_today()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_report_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 1, "skipped": 0, "no_recipients": 0}


def _subprocess_env() -> dict:
    db = connection.settings_dict
    url = f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.django_settings",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_process_enqueues_stops_on_sigterm_and_the_worker_sends():
    """The real processes: the scheduler loop enqueues the reminders, exits 0 on SIGTERM
    while it sleeps, and `db_worker --batch` runs the task."""
    facility = reminder_due_today()
    env = _subprocess_env()
    proc = subprocess.Popen([sys.executable, "manage.py", "run_scheduler", "--interval", "3600"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not DBTaskResult.objects.filter(task_path=PATH).exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the scheduler enqueued nothing"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "enqueued reports.tasks.send_report_reminders" in out and "stopped" in out
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"], cwd=ROOT, env=env,
                   check=True, timeout=120, capture_output=True)
    assert DBTaskResult.objects.get(task_path=PATH).status == TaskResultStatus.SUCCESSFUL
    assert list(ReminderLog.objects.values_list("facility_id", "kind", "recipients")) == [(facility.pk, "d30", 1)]
