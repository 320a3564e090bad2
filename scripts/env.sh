# Sourced by the make scripts. Points DATABASE_URL at the private cluster when the
# caller did not set one, and turns on development mode (DEBUG) for `make run`
# unless the caller configured the deployment explicitly.
if [ -z "${DATABASE_URL:-}" ]; then
  export GEOPORTAL_PRIVATE_DB=1
  export DATABASE_URL="postgis://postgres@127.0.0.1:${GEOPORTAL_PG_PORT:-54329}/${GEOPORTAL_PG_DB:-geoportal}"
fi
export DEBUG="${DEBUG:-true}"
export PYTHONUNBUFFERED=1
