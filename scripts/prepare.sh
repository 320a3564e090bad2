#!/usr/bin/env bash
# Everything `make run` and `make test` share: Debian packages, .venv, the private
# PostGIS cluster (unless DATABASE_URL is set), and compiled translations.
# Each step checks whether it is already done, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh
bash scripts/venv.sh
# The private cluster is used when the caller did not give DATABASE_URL (env.sh and
# test.sh then set GEOPORTAL_PRIVATE_DB=1 and point DATABASE_URL at it).
if [ -z "${DATABASE_URL:-}" ] || [ "${GEOPORTAL_PRIVATE_DB:-0}" = 1 ]; then
  bash scripts/pg.sh start
fi

# Compile .po -> .mo only when a catalogue changed.
for po in $(find locale geoportal -name '*.po' 2>/dev/null); do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    msgfmt --check-format -o "$mo" "$po"
  fi
done
