"""The OpenAPI 3.0 document of /ogcapi/ (service-desc), built from the same constants."""
from __future__ import annotations

from typing import Any

from layers.ogcapi.conformance import DEFAULT_LIMIT, MAX_LIMIT, SUPPORTED_CRS


def _param(name: str, description: str, schema: dict[str, Any], *, where: str = "query",
           required: bool = False, **extra) -> dict[str, Any]:
    return {"name": name, "in": where, "description": description, "required": required, "schema": schema, **extra}


F = _param("f", "Response format.", {"type": "string", "enum": ["json", "html"]})
CRS_URIS = [c.uri for c in SUPPORTED_CRS]
COLLECTION_ID = _param("collectionId", "Collection (layer) identifier.", {"type": "string"}, where="path",
                       required=True)
FEATURE_ID = _param("featureId", "Feature identifier.", {"type": "string"}, where="path", required=True)
ITEMS_PARAMETERS = [
    _param("bbox", "minx,miny,maxx,maxy (or with heights); west > east crosses the antimeridian.",
           {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}, style="form", explode=False),
    _param("bbox-crs", "CRS of bbox.", {"type": "string", "format": "uri", "enum": CRS_URIS}),
    _param("datetime", "Instant or interval (a/b, ../b, a/..) on the update time.", {"type": "string"}),
    _param("limit", f"Page size (capped at {MAX_LIMIT}).",
           {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    _param("offset", "Number of features to skip.", {"type": "integer", "minimum": 0, "default": 0}),
    _param("next", "Opaque paging token from a next or prev link.", {"type": "string"}),
    _param("crs", "CRS of the response geometries.", {"type": "string", "format": "uri", "enum": CRS_URIS}),
    _param("q", "Accent-insensitive text search on the name.", {"type": "string"}),
    F,
]

_PROBLEM = {"description": "Problem details (RFC 9457).",
            "content": {"application/problem+json": {"schema": {"type": "object"}}}}


def _get(summary: str, operation_id: str, parameters: list, media: str = "application/json") -> dict[str, Any]:
    responses = {"200": {"description": summary, "content": {media: {"schema": {"type": "object"}},
                                                              "text/html": {"schema": {"type": "string"}}}}}
    if any(p.get("in") == "path" for p in parameters) or operation_id == "getFeatures":
        responses["400"] = _PROBLEM
        responses["404"] = _PROBLEM
    return {"get": {"summary": summary, "operationId": operation_id, "parameters": parameters,
                    "responses": responses}}


def openapi_document(*, server_url: str, title: str, description: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "description": description, "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "paths": {
            "/": _get("Landing page", "getLandingPage", [F]),
            "/conformance": _get("Conformance classes", "getConformance", [F]),
            "/api": _get("This document", "getApi", [F], "application/vnd.oai.openapi+json;version=3.0"),
            "/collections": _get("Collections", "getCollections", [F]),
            "/collections/{collectionId}": _get("A collection", "describeCollection", [COLLECTION_ID, F]),
            "/collections/{collectionId}/queryables": _get(
                "Queryable properties", "getQueryables", [COLLECTION_ID, F], "application/schema+json"),
            "/collections/{collectionId}/items": _get(
                "Features", "getFeatures", [COLLECTION_ID, *ITEMS_PARAMETERS], "application/geo+json"),
            "/collections/{collectionId}/items/{featureId}": _get(
                "A feature", "getFeature",
                [COLLECTION_ID, FEATURE_ID, ITEMS_PARAMETERS[6], F], "application/geo+json"),
        },
    }
