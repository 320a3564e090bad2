#!/usr/bin/env bash
# Installs the Debian 12 packages the portal needs, once. Fast (about 0.1 s)
# when everything is already there, so `make run` can call it every time.
set -euo pipefail

PACKAGES=(
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15  # private PostGIS cluster
  gdal-bin libgdal32 libgeos-c1v5 libproj25 proj-bin proj-data # GeoDjango (ctypes) and ogr2ogr/ogrinfo
  poppler-utils                                                 # pdfsig, pdftoppm
  libnss3-tools                                                 # certutil: pdfsig trusts the demo CA in tests
  fonts-dejavu-core fonts-noto-core                             # Vietnamese glyphs for PDFs and pages
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0          # WeasyPrint
  gettext                                                       # compilemessages (msgfmt)
  chromium                                                      # headless browser tests (Playwright executablePath)
  python3-venv
  wrk                                                           # bench/bench_pygeoapi.py load generator
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo ">> installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
