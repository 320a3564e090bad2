#!/usr/bin/env bash
# `make run`: prepare, migrate, load the demo data, collect static files, then serve
# with gunicorn in the foreground. Ctrl-C stops gunicorn cleanly (SIGINT -> graceful exit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/prepare.sh

PY=.venv/bin/python
$PY manage.py migrate --no-input
$PY manage.py load_demo_data
# collectstatic only when a static source changed since the last collection.
STAMP=.data/collectstatic.stamp
if [ ! -f "$STAMP" ] || [ -n "$(find static geoportal templates -newer "$STAMP" -type f \( -path '*/static/*' -o -name '*.css' -o -name '*.js' \) -print -quit 2>/dev/null)" ] \
   || [ pyproject.toml -nt "$STAMP" ]; then
  $PY manage.py collectstatic --no-input -v 0
  touch "$STAMP"
fi

# One background worker (django.tasks, database backend) for long jobs such as large
# exports; it stops with the server.
.venv/bin/python manage.py db_worker --interval 2 > .data/worker.log 2>&1 &
WORKER_PID=$!
# Periodic work (report reminders, ...): enqueues settings.PERIODIC_TASKS for the worker.
.venv/bin/python manage.py run_scheduler > .data/scheduler.log 2>&1 &
SCHEDULER_PID=$!
stop_worker() {
  kill "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null
  wait "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'stop_worker; exit 0' INT TERM  # Ctrl-C is the normal way to stop: exit 0

echo ">> serving the portal on http://${HOST:-127.0.0.1}:${PORT:-8000}  (Ctrl-C to stop; 'make stop' stops the database)"
.venv/bin/gunicorn geoportal.wsgi:application \
  --bind "${HOST:-127.0.0.1}:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --graceful-timeout 10 \
  --access-logfile - \
  --forwarded-allow-ips 127.0.0.1
