"""Enqueue periodic background tasks: `manage.py run_scheduler [--once] [--interval SECONDS]`.

settings.PERIODIC_TASKS lists (dotted task path, interval in seconds). A task is enqueued
when its interval has elapsed since it was last enqueued. The last time comes from the
task results of the database backend (django_tasks_db's DBTaskResult: task_path,
enqueued_at), so a restarted scheduler keeps the rhythm and needs no state file; a task
whose previous run still waits in the queue (the worker is down or behind) is not piled
up. Two schedulers started by mistake serialise on a PostgreSQL advisory lock.
The worker (`manage.py db_worker`) runs what is enqueued; this command never runs a task
itself (except with the immediate backend, which runs on enqueue).
"""
from __future__ import annotations

import datetime as dt
import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
# pg_advisory_xact_lock key: "run_scheduler" as a fixed 64-bit number (any constant works).
ADVISORY_LOCK_KEY = 0x7363686564756C65


def load_schedule(entries) -> list[tuple[Task, int]]:
    """The configured (task, interval seconds) pairs; a wrong entry is a CommandError."""
    schedule = []
    for entry in entries:
        try:
            path, seconds = entry
            obj = import_string(path)
        except (ImportError, ValueError, TypeError) as exc:
            raise CommandError(f"PERIODIC_TASKS: cannot load {entry!r}: {exc}") from exc
        if not isinstance(obj, Task):
            raise CommandError(f"PERIODIC_TASKS: {path} is not a task (decorate it with @task)")
        if int(seconds) <= 0:
            raise CommandError(f"PERIODIC_TASKS: the interval of {path} must be positive")
        schedule.append((obj, int(seconds)))
    return schedule


def enqueue_due(*, schedule: list[tuple[Task, int]], now: dt.datetime | None = None,
                memory: dict[str, dt.datetime] | None = None) -> list[str]:
    """Enqueue each task whose interval has elapsed since its last enqueue; returns their paths.

    `memory` keeps the enqueue times of this process for backends that store no results."""
    now = now or timezone.now()
    memory = {} if memory is None else memory
    done = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        for task, seconds in schedule:
            path = task.module_path
            last, waiting = memory.get(path), 0
            if isinstance(task.get_backend(), DatabaseBackend):
                stats = DBTaskResult.objects.filter(task_path=path).aggregate(
                    last=Max("enqueued_at"), waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)))
                last = max(filter(None, [last, stats["last"]]), default=None)
                waiting = stats["waiting"]
            if waiting:
                logger.info("%s is still queued; not enqueued again", path)
                continue
            if last is not None and now - last < dt.timedelta(seconds=seconds):
                continue
            task.enqueue()
            memory[path] = now
            done.append(path)
    return done


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of settings.PERIODIC_TASKS when their interval has elapsed."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue what is due, then exit")
        parser.add_argument("--interval", type=float, default=60.0,
                            help="seconds between two checks (default 60)")

    def handle(self, *args, once: bool = False, interval: float = 60.0, **options):
        if interval <= 0:
            raise CommandError("--interval must be positive")
        schedule = load_schedule(getattr(settings, "PERIODIC_TASKS", []))
        memory: dict[str, dt.datetime] = {}
        if once:
            self._report(enqueue_due(schedule=schedule, memory=memory))
            return
        self.stopping = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.shutdown)
            signal.signal(signal.SIGINT, self.shutdown)
        self.stdout.write(f"run_scheduler: {len(schedule)} periodic task(s), checking every {interval:g} s")
        while not self.stopping.is_set():
            close_old_connections()  # a long-lived process: drop connections the server closed
            try:
                self._report(enqueue_due(schedule=schedule, memory=memory))
            except DatabaseError:  # the database restarting must not end the scheduler
                logger.exception("run_scheduler: check failed; retrying in %s s", interval)
            self.stopping.wait(interval)
        connection.close()
        self.stdout.write("run_scheduler: stopped")

    def shutdown(self, signum, frame) -> None:
        """SIGTERM/SIGINT: finish the current check and leave the loop."""
        logger.info("run_scheduler: received %s, stopping", signal.Signals(signum).name)
        self.stopping.set()

    def _report(self, paths: list[str]) -> None:
        for path in paths:
            self.stdout.write(f"enqueued {path}")
