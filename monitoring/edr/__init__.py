"""The monitoring time series in the shape of OGC API – Environmental Data Retrieval 1.1
(OGC 19-086r6) at /edr/: one collection, "stations", queried by location id (the station
code) or by position (a WKT point), answering CoverageJSON, GeoJSON or CSV.

Conformance class URIs and media types are module constants (STYLE.md 8, as pygeoapi's
CONFORMANCE_CLASSES_*). HTML is not offered, so the html class is not declared.
"""
from __future__ import annotations

import datetime as dt

CORE = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/core"
COLLECTIONS = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/collections"
JSON = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/json"
EDR_GEOJSON = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/edr-geojson"
COVJSON = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/covjson"
QUERIES = "http://www.opengis.net/spec/ogcapi-edr-1/1.1/conf/queries"
COMMON_CORE = "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core"
COMMON_LANDING = "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page"
COMMON_COLLECTIONS = "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections"
CONFORMANCE_CLASSES = (CORE, COLLECTIONS, JSON, EDR_GEOJSON, COVJSON, QUERIES,
                       COMMON_CORE, COMMON_LANDING, COMMON_COLLECTIONS)

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
             'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AXIS["Longitude",EAST],'
             'AXIS["Latitude",NORTH]]')
TRS_GREGORIAN = "http://www.opengis.net/def/uri/ogc/1.0/trs/gregorian"

MEDIA_JSON = "application/json"
MEDIA_GEOJSON = "application/geo+json"
MEDIA_COVJSON = "application/prs.coverage+json"
MEDIA_CSV = "text/csv; charset=utf-8"

COVERAGEJSON, GEOJSON, CSV = "CoverageJSON", "GeoJSON", "CSV"
OUTPUT_FORMATS = (COVERAGEJSON, GEOJSON, CSV)
DEFAULT_OUTPUT_FORMAT = COVERAGEJSON

COLLECTION_ID = "stations"
# A position query answers with the stations within this distance of the point (on the
# spheroid: ST_DWithin on geography, metres), nearest first.
POSITION_RADIUS_M = 2_000
# One request reads at most a year of readings (a leap year has 366 days); an open start
# ("../end") reaches back that far, an open end ("start/..") stops now, no datetime means
# the last 24 hours.
MAX_SPAN = dt.timedelta(days=366)
DEFAULT_SPAN = dt.timedelta(hours=24)
