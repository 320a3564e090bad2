#!/usr/bin/env bash
# `make test`: the same set-up as `make run`, then the whole pytest suite against a
# real PostGIS test database (pytest-django creates test_<db> on the same server).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  export GEOPORTAL_PRIVATE_DB=1
  export DATABASE_URL="postgis://postgres@127.0.0.1:${GEOPORTAL_PG_PORT:-54329}/${GEOPORTAL_PG_DB:-geoportal}"
fi
export PYTHONUNBUFFERED=1
bash scripts/prepare.sh
# Lint first: cheap, and a red lint is a red build.
.venv/bin/ruff check geoportal layers reports monitoring workspace exchange tests bench fixtures/tools
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
exit $rc
