"""OGC API – Features, Part 1 Core and Part 2 CRS, at /ogcapi/.

DRF APIViews (so token/session authentication and throttling apply), answering in JSON
or HTML (`f=json|html`, else the Accept header). Provider errors map to problem bodies in
`OgcApiView.handle_exception`, the one place that knows HTTP codes.
"""
from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from geoportal.accounts.throttling import ApiTokenRateThrottle
from geoportal.core.errors import problem_response
from layers.ogcapi import conformance as oc
from layers.ogcapi.links import absolute_url, link
from layers.ogcapi.openapi import openapi_document
from layers.ogcapi.params import STANDARD_PARAMETERS, ItemQuery, ItemsQuery, encode_cursor
from layers.ogcapi.provider import InvalidParameter, LayerProvider, OgcApiError

_JSON_FORMATS = {"json", "geojson", "application/json", "application/geo+json"}
_HTML_FORMATS = {"html", "text/html"}


def _format(request) -> str:
    """"json" or "html": the `f` parameter, else a browser's Accept header."""
    f = request.GET.get("f")
    if f is not None:
        if f.lower() in _JSON_FORMATS:
            return "json"
        if f.lower() in _HTML_FORMATS:
            return "html"
        raise InvalidParameter(errors={"f": [_("Unsupported format; use json or html.")]})
    return "html" if "text/html" in request.META.get("HTTP_ACCEPT", "") else "json"


def _url(request, name: str, *args, **query) -> str:
    return absolute_url(request, f"ogcapi:{name}", *args, **query)


def _self_links(request, name: str, *args, media: str = oc.MEDIA_JSON) -> list[dict[str, str]]:
    fmt = _format(request)
    as_json = link(_url(request, name, *args, f="json"), "self" if fmt == "json" else "alternate", media,
                    _("This document as JSON"))
    as_html = link(_url(request, name, *args, f="html"), "self" if fmt == "html" else "alternate",
                    oc.MEDIA_HTML, _("This document as HTML"))
    return [as_json, as_html] if fmt == "json" else [as_html, as_json]


def _etag(text: str) -> str:
    return 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _cache(request, response: HttpResponse, *, private: bool, etag_source: str | None = None) -> HttpResponse:
    """Published-only answers are cacheable for a minute (with an ETag); answers with
    private data are never stored."""
    if private:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "public, max-age=60"
        etag = _etag(etag_source if etag_source is not None else response.content.decode())
        response["ETag"] = etag
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control"):
                not_modified[header] = response[header]
            response = not_modified
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response


def _json(request, data, *, media: str = oc.MEDIA_JSON, private: bool = False) -> HttpResponse:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return _cache(request, HttpResponse(text, content_type=media), private=private)


def _html(request, template: str, context: dict) -> HttpResponse:
    response = render(request, f"layers/ogcapi/{template}", context)
    # Pages carry the visitor's CSRF token (language and log-out forms) and name who is
    # signed in: never stored by a shared cache, whatever the data.
    return _cache(request, response, private=True)


class OgcApiView(APIView):
    """Base of the /ogcapi/ views: no DRF rendering or content negotiation (the views
    choose JSON or HTML themselves), provider errors as problem bodies."""

    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonRateThrottle, ApiTokenRateThrottle]

    def perform_content_negotiation(self, request, force=False):
        return self.renderer_classes[0](), oc.MEDIA_JSON

    def handle_exception(self, exc):
        if isinstance(exc, OgcApiError):
            title = _("Invalid request") if exc.status_code == 400 else _("Not found")
            return problem_response(status_code=exc.status_code, code=exc.code, title=title,
                                    detail=exc.detail or (_("The request has invalid fields; see 'errors'.")
                                                          if exc.errors else ""), errors=exc.errors)
        return super().handle_exception(exc)


class LandingPageView(OgcApiView):
    def get(self, request):
        doc = {
            "title": _("Hai Phong environmental geoportal"),
            "description": _("Open environmental data of Hai Phong city (OGC API – Features)."),
            "links": [
                *_self_links(request, "landing"),
                link(_url(request, "api", f="json"), "service-desc", oc.MEDIA_OPENAPI, _("API definition")),
                link(_url(request, "api", f="html"), "service-doc", oc.MEDIA_HTML, _("API documentation")),
                link(_url(request, "conformance", f="json"), "conformance", oc.MEDIA_JSON,
                      _("Conformance classes")),
                link(_url(request, "collections", f="json"), "data", oc.MEDIA_JSON, _("Collections")),
            ],
        }
        if _format(request) == "html":
            return _html(request, "landing.html", {"doc": doc})
        return _json(request, doc)


class ConformanceView(OgcApiView):
    def get(self, request):
        doc = {"conformsTo": list(oc.CONFORMANCE_CLASSES), "links": _self_links(request, "conformance")}
        if _format(request) == "html":
            return _html(request, "conformance.html", {"doc": doc})
        return _json(request, doc)


class ApiDocumentView(OgcApiView):
    def get(self, request):
        doc = openapi_document(server_url=request.build_absolute_uri(reverse("ogcapi:landing")).rstrip("/"),
                               title=_("Hai Phong environmental geoportal"),
                               description=_("Open environmental data of Hai Phong city (OGC API – Features)."))
        if _format(request) == "html":
            return _html(request, "api.html", {"doc": doc})
        return _json(request, doc, media=oc.MEDIA_OPENAPI)


def _collection_doc(request, provider: LayerProvider) -> dict:
    slug = provider.slug
    doc = {
        "id": slug,
        "title": provider.title(),
        "description": provider.description(),
        "keywords": provider.keywords(),
        "itemType": "feature",
        "crs": [c.uri for c in oc.SUPPORTED_CRS],
        "storageCrs": oc.STORAGE_CRS,
        "links": [
            link(_url(request, "collection", slug, f="json"), "self", oc.MEDIA_JSON, provider.title()),
            link(_url(request, "collection", slug, f="html"), "alternate", oc.MEDIA_HTML, provider.title()),
            link(_url(request, "items", slug, f="json"), "items", oc.MEDIA_GEOJSON, _("Features as GeoJSON")),
            link(_url(request, "items", slug, f="html"), "items", oc.MEDIA_HTML, _("Features as HTML")),
            link(_url(request, "queryables", slug, f="json"), "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                  "application/schema+json", _("Queryable properties")),
        ],
    }
    licence = provider.licence()
    if licence:
        doc["license"] = licence[0]
        doc["links"].append(link(licence[1], "license", oc.MEDIA_HTML, licence[0]))
    extent = provider.extent()
    if extent:
        doc["extent"] = {
            "spatial": {"bbox": [extent["bbox"]], "crs": oc.CRS84_URI},
            "temporal": {"interval": [[extent["start"].isoformat() if extent["start"] else None,
                                       extent["end"].isoformat() if extent["end"] else None]],
                         "trs": oc.TRS_GREGORIAN},
        }
    return doc


class CollectionsView(OgcApiView):
    def get(self, request):
        providers = LayerProvider.visible(request.user)
        doc = {
            "links": _self_links(request, "collections"),
            "crs": [c.uri for c in oc.SUPPORTED_CRS],
            "collections": [_collection_doc(request, p) for p in providers],
        }
        # The extent of a signed-in user's own entries is theirs alone.
        private = any(not p.is_public or (request.user.is_authenticated and p.has_private_scope) for p in providers)
        if _format(request) == "html":
            return _html(request, "collections.html", {"doc": doc})
        return _json(request, doc, private=private)


class CollectionView(OgcApiView):
    def get(self, request, collection_id: str):
        provider = LayerProvider.get(collection_id, request.user)
        doc = _collection_doc(request, provider)
        doc["links"][:2] = _self_links(request, "collection", collection_id)
        private = not provider.is_public or (request.user.is_authenticated and provider.has_private_scope)
        if _format(request) == "html":
            return _html(request, "collection.html", {"doc": doc})
        return _json(request, doc, private=private)


class QueryablesView(OgcApiView):
    def get(self, request, collection_id: str):
        provider = LayerProvider.get(collection_id, request.user)
        doc = {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": _url(request, "queryables", collection_id),
            "type": "object",
            "title": provider.title(),
            "properties": {p.name: p.schema() for p in provider.queryables()},
            "additionalProperties": False,
            "links": _self_links(request, "queryables", collection_id, media="application/schema+json"),
        }
        private = provider.has_private_scope
        if _format(request) == "html":
            return _html(request, "queryables.html", {"doc": doc, "collection_id": collection_id})
        return _json(request, doc, media="application/schema+json", private=private)


def _with_links(body: str, members: dict) -> str:
    """Add members to a JSON object's text built by PostGIS, without parsing it."""
    extra = json.dumps(members, ensure_ascii=False)[1:-1]
    return f"{body[:-1]}, {extra}}}"


def _items_url(request, collection_id: str, query: dict, **changes) -> str:
    merged = {**query, **changes}
    return _url(request, "items", collection_id, **merged)


class ItemsView(OgcApiView):
    def get(self, request, collection_id: str):
        fmt = _format(request)
        provider = LayerProvider.get(collection_id, request.user)
        params = ItemsQuery(data=request.GET)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        queryable = {prop.name for prop in provider.queryables()}
        # Unknown parameters are ignored (OGC API Features /req/core/query-param-unknown).
        properties = {k: v for k, v in request.GET.items() if k not in STANDARD_PARAMETERS and k in queryable}
        cursor = p.get("next")
        page = provider.items(limit=p["limit"], offset=p["offset"], cursor=cursor, crs=p["crs"],
                              bbox=p.get("bbox"), bbox_crs=p["bbox_crs"], interval=p.get("datetime"),
                              q=p.get("q"), properties=properties)

        query = {k: v for k, v in request.GET.items() if k not in ("f", "next", "offset")}
        query["limit"] = str(p["limit"])
        self_query = {k: v for k, v in request.GET.items() if k != "f"}
        json_url = _items_url(request, collection_id, self_query, f="json")
        html_url = _items_url(request, collection_id, self_query, f="html")
        links = [
            link(json_url, "self" if fmt == "json" else "alternate", oc.MEDIA_GEOJSON, _("This page as GeoJSON")),
            link(html_url, "self" if fmt == "html" else "alternate", oc.MEDIA_HTML, _("This page as HTML")),
            link(_url(request, "collection", collection_id, f="json"), "collection", oc.MEDIA_JSON,
                  provider.title()),
        ]
        media = oc.MEDIA_GEOJSON if fmt == "json" else oc.MEDIA_HTML
        next_token = prev_token = None
        prev_offset = None
        if cursor and cursor.before is not None:
            if page.has_more and page.first_id is not None:
                prev_token = encode_cursor(before=page.first_id)
            next_token = encode_cursor(after=page.last_id if page.last_id is not None else cursor.before - 1)
        elif cursor:
            if page.has_more:
                next_token = encode_cursor(after=page.last_id)
            prev_token = encode_cursor(before=page.first_id if page.first_id is not None else cursor.after + 1)
        else:
            if page.has_more:
                next_token = encode_cursor(after=page.last_id)
            if p["offset"] > 0:
                prev_offset = max(0, p["offset"] - p["limit"])
        if next_token:
            links.append(link(_items_url(request, collection_id, query, next=next_token, f=fmt), "next", media,
                               _("Next page")))
        if prev_token:
            links.append(link(_items_url(request, collection_id, query, next=prev_token, f=fmt), "prev", media,
                               _("Previous page")))
        elif prev_offset is not None:
            links.append(link(_items_url(request, collection_id, query, offset=str(prev_offset), f=fmt), "prev",
                               media, _("Previous page")))

        body = _with_links(page.body, {"links": links, "timeStamp": timezone.now().isoformat(timespec="seconds")})
        if fmt == "html":
            doc = json.loads(body)
            columns = list(dict.fromkeys(k for f in doc["features"] for k in f["properties"]))
            rows = [(f["id"], [f["properties"].get(c) for c in columns]) for f in doc["features"]]
            response = _html(request, "items.html", {
                "doc": doc, "title": provider.title(), "collection_id": collection_id,
                "columns": columns, "rows": rows,
            })
        else:
            # The weak ETag ignores timeStamp: two answers with the same features are equivalent.
            response = _cache(request, HttpResponse(body, content_type=oc.MEDIA_GEOJSON), private=page.private,
                              etag_source=page.body + json.dumps(links))
        response["Content-Crs"] = f"<{p['crs'].uri}>"
        return response


class ItemView(OgcApiView):
    def get(self, request, collection_id: str, feature_id: str):
        fmt = _format(request)
        provider = LayerProvider.get(collection_id, request.user)
        params = ItemQuery(data=request.GET)
        params.is_valid(raise_exception=True)
        crs = params.validated_data["crs"]
        feature, private = provider.item(feature_id, crs=crs)
        links = [
            *_self_links(request, "item", collection_id, feature_id, media=oc.MEDIA_GEOJSON),
            link(_url(request, "collection", collection_id, f="json"), "collection", oc.MEDIA_JSON,
                  provider.title()),
        ]
        body = _with_links(feature, {"links": links})
        if fmt == "html":
            doc = json.loads(body)
            response = _html(request, "item.html", {"doc": doc, "title": provider.title(),
                                                    "properties": list(doc["properties"].items()),
                                                    "geometry": json.dumps(doc["geometry"]),
                                                    "collection_id": collection_id})
        else:
            response = _cache(request, HttpResponse(body, content_type=oc.MEDIA_GEOJSON), private=private)
        response["Content-Crs"] = f"<{crs.uri}>"
        return response
