#!/usr/bin/env bash
# Creates .venv and installs the project with its test extras. Re-installs only
# when pyproject.toml changed (stamp holds its hash), so a second run is instant.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
STAMP=.venv/.installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  echo ">> creating .venv"
  "$PY" -m venv .venv
fi
echo ">> installing Python packages into .venv"
.venv/bin/python -m pip install -q --upgrade pip setuptools wheel
.venv/bin/python -m pip install -q -e ".[test]" 2>&1 | { grep -v "^WARNING: Location" || true; }
echo "$want" > "$STAMP"
