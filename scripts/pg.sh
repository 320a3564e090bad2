#!/usr/bin/env bash
# The private PostGIS cluster under .data/pg: `start` (idempotent), `stop`, `status`.
# It listens on a Unix socket in .data/run and on 127.0.0.1:$GEOPORTAL_PG_PORT only,
# with trust authentication: it is a developer's and CI's throw-away database and is
# never reachable from another host. Run as the `postgres` user when invoked as root,
# because PostgreSQL refuses to run as root.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data/pg"
RUN="$ROOT/.data/run"
PORT=${GEOPORTAL_PG_PORT:-54329}
DB=${GEOPORTAL_PG_DB:-geoportal}
BIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_pg() { "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

init() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  echo ">> initialising private PostGIS cluster in $DATA (port $PORT)"
  mkdir -p "$DATA" "$RUN"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DATA" "$RUN"; fi
  chmod 700 "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DATA/postgresql.conf" <<CONF
# geoportal private cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$RUN'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 100
# durability stays on: a 2xx to a station means the row is on disk (RELIABILITY.md 0.4)
fsync = on
synchronous_commit = on
logging_collector = on
log_directory = 'log'
log_min_duration_statement = 2000
CONF
}

start() {
  init
  mkdir -p "$RUN"; if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$RUN"; fi
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo ">> starting private PostGIS cluster on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/startup.log" -w -t 60 start >/dev/null
  fi
  if ! psql_pg -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    psql_pg -d postgres -c "create database \"$DB\""
  fi
  psql_pg -d "$DB" -c "create extension if not exists postgis" >/dev/null 2>&1 || \
    psql_pg -d "$DB" -c "create extension if not exists postgis"
}

stop() {
  if [ -f "$DATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop
  else
    echo "private cluster not running"
  fi
}

status() { as_pg "$BIN/pg_ctl" -D "$DATA" status; }

# Drop the portal's database (not the cluster) and its uploaded files; the next
# `make run` recreates, migrates and reloads the demo data. For development only.
drop_db() {
  psql_pg -d postgres -c "drop database if exists \"$DB\" with (force)"
  rm -rf "$ROOT/.data/media"
}

url() { echo "postgis://postgres@127.0.0.1:$PORT/$DB"; }

"${1:-start}"
