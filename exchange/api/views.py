"""The exchange API for connection accounts and officers (docs/data-exchange.md).

GET /api/v1/exchange/ lists the collections the caller may read, with the fields it may
read; GET /api/v1/exchange/<collection>/ returns a page of records: a GeoJSON
FeatureCollection for collections with a geometry, else {"count", "next", "previous",
"results"}; ?format=csv gives the same page as CSV. A collection the caller may not read is
a 404, like one that does not exist.
"""
from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from exchange.api.serializers import ItemsQuerySerializer
from exchange.package import csv_rows, features_geojson, records_json
from exchange.schema import CRS_EPSG, SCHEMA_VERSION
from exchange.selectors import Filters, count_sql, exchange_access, readable_collections
from geoportal.accounts.throttling import ApiTokenRateThrottle
from layers.exports.views import neutralise

GEOJSON = "application/geo+json"
JSON_TYPE = "application/json"


def _json(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(payload, ensure_ascii=False), content_type=JSON_TYPE, status=status)


class _ExchangeApi(APIView):
    # These views apply the token's grants (exchange.selectors.exchange_access).
    accepts_restricted_tokens = True
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiTokenRateThrottle]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # ?format= chooses the data's format here (json, geojson, csv), not a DRF renderer;
        # errors are always problem+json.
        renderer = JSONRenderer()
        return renderer, renderer.media_type


class ExchangeCollectionListApi(_ExchangeApi):
    """The collections the caller may read, each with its readable fields."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        items = []
        for access in readable_collections(user=request.user, token=request.auth):
            collection = access.collection
            url = reverse("exchange-collection-items", kwargs={"collection": collection.key})
            items.append({
                "key": collection.key,
                "title": str(collection.label),
                "description": str(collection.description),
                "schema_version": collection.schema_version,
                "geometry_type": collection.geometry_type or None,
                "fields": list(access.fields),
                "href": request.build_absolute_uri(url),
            })
        return _json({"schema_version": SCHEMA_VERSION, "crs": f"EPSG:{CRS_EPSG}", "collections": items})


class ExchangeCollectionItemsApi(_ExchangeApi):
    """One page of a collection's records, limited to the caller's fields and scope."""

    @extend_schema(parameters=[ItemsQuerySerializer], responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request, collection: str):
        access = exchange_access(user=request.user, token=request.auth, key=collection)
        if access is None:
            raise NotFound()
        query = ItemsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = Filters(updated_since=params.get("updated_since"))
        size, page = params["page_size"], params["page"]
        fmt = params.get("format") or ("geojson" if access.collection.geometry else "json")
        offset = (page - 1) * size
        total = self._count(access, filters)
        links = self._links(request, page=page, size=size, total=total)
        if fmt == "csv":
            return self._csv(access, filters=filters, size=size, offset=offset, total=total, links=links)
        if fmt == "geojson":
            if not access.collection.geometry:
                raise NotFound()
            returned, features = features_geojson(access, filters=filters, limit=size, offset=offset)
            head = {"type": "FeatureCollection", "numberMatched": total, "numberReturned": returned,
                    "links": [{"rel": rel, "href": href, "type": GEOJSON} for rel, href in links.items() if href]}
            body = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":' + features + "}"
            return HttpResponse(body, content_type=GEOJSON)
        _, records = records_json(access, filters=filters, limit=size, offset=offset)
        head = {"count": total, "next": links["next"], "previous": links["prev"]}
        body = json.dumps(head, ensure_ascii=False)[:-1] + ',"results":' + records + "}"
        return HttpResponse(body, content_type=JSON_TYPE)

    @staticmethod
    def _count(access, filters) -> int:
        from django.db import connection

        sql, sql_params = count_sql(access, filters=filters)
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            return cursor.fetchone()[0]

    @staticmethod
    def _links(request, *, page: int, size: int, total: int) -> dict[str, str | None]:
        url = request.build_absolute_uri()
        nxt = replace_query_param(url, "page", page + 1) if page * size < total else None
        if page <= 1:
            prev = None
        elif page == 2:
            prev = remove_query_param(url, "page")
        else:
            prev = replace_query_param(url, "page", page - 1)
        return {"next": nxt, "prev": prev}

    @staticmethod
    def _csv(access, *, filters, size, offset, total, links) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(access.fields)
        # Text other agencies open in spreadsheets: a leading = + - @ is never a formula.
        writer.writerows([neutralise(value) for value in row]
                         for row in csv_rows(access, filters=filters, limit=size, offset=offset))
        # A BOM so that spreadsheet programs read the Vietnamese text as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{access.collection.key}.csv"'
        response["X-Total-Count"] = str(total)
        link = ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items() if href)
        if link:
            response["Link"] = link
        return response
