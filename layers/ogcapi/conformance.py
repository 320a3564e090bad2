"""OGC API – Features conformance classes and the CRS the service offers (module constants,
as pygeoapi's CONFORMANCE_CLASSES_FEATURES)."""
from __future__ import annotations

from dataclasses import dataclass

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
HTML = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html"
OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
CRS = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
CONFORMANCE_CLASSES = (CORE, GEOJSON, HTML, OAS30, CRS)

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TRS_GREGORIAN = "http://www.opengis.net/def/uri/ogc/1.0/trs/gregorian"

MEDIA_JSON = "application/json"
MEDIA_GEOJSON = "application/geo+json"
MEDIA_HTML = "text/html"
MEDIA_OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


@dataclass(frozen=True)
class OutputCrs:
    """A CRS the service reads bboxes in and writes geometries in.

    `epsg` is None for CRS84 (the storage CRS: EPSG:4326 with lon/lat order). `lat_first`
    is the CRS's axis order (EPSG:4326 is latitude, longitude); `precision` the decimals
    of coordinates (6 ≈ 0.1 m in degrees, 3 = 1 mm in metres)."""

    uri: str
    epsg: int | None
    lat_first: bool = False
    precision: int = 6


SUPPORTED_CRS = (
    OutputCrs(CRS84_URI, None),
    OutputCrs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, lat_first=True),
    OutputCrs("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, precision=3),
    OutputCrs("http://www.opengis.net/def/crs/EPSG/0/9210", 9210, precision=3),  # VN-2000 Hai Phong TM-3 105°45′
    OutputCrs("http://www.opengis.net/def/crs/EPSG/0/3405", 3405, precision=3),  # VN-2000 / UTM 48N
)
CRS_BY_URI = {c.uri: c for c in SUPPORTED_CRS}
DEFAULT_CRS = SUPPORTED_CRS[0]
STORAGE_CRS = CRS84_URI  # the column is EPSG:4326 stored lon/lat, i.e. CRS84


def crs_by_uri(value: str) -> OutputCrs | None:
    """The supported CRS for a URI (also `[EPSG:9210]`-style safe CURIEs), or None."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if value.upper().startswith("EPSG:"):
        value = f"http://www.opengis.net/def/crs/EPSG/0/{value[5:]}"
    elif value.upper() in ("OGC:CRS84", "CRS84"):
        value = CRS84_URI
    return CRS_BY_URI.get(value.replace("https://", "http://"))
