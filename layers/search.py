"""Search by name or address across the visible layers, diacritics folded ("dinh vu"
finds "Đình Vũ"). Positions come from PostGIS (ST_PointOnSurface), one query per layer."""
from __future__ import annotations

from django.contrib.gis.db.models.functions import PointOnSurface
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from geoportal.accounts.throttling import ApiTokenRateThrottle
from layers.models import LAYER_MODELS

SEARCH_FIELDS = {"facilities": ("name", "address")}


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=100, trim_whitespace=True)
    layer = serializers.ChoiceField(choices=list(LAYER_MODELS), required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)


class SearchApi(APIView):
    """GET /api/v1/search/?q=dinh+vu: published entries and the user's own scope."""

    throttle_classes = [AnonRateThrottle, ApiTokenRateThrottle]

    @staticmethod
    def _hit(slug, row) -> dict:
        return {"layer": slug, "id": row.pk, "name": row.name,
                "admin_unit": row.admin_unit.name if row.admin_unit_id else None,
                "lon": round(row.pos.x, 6), "lat": round(row.pos.y, 6), "url": f"/{slug}/{row.pk}/"}

    def get(self, request):
        params = SearchQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        q, limit = params.validated_data["q"], params.validated_data["limit"]
        order = ["zones", "protected-areas", "facilities", *[s for s in LAYER_MODELS
                                                             if s not in ("zones", "protected-areas", "facilities")]]
        slugs = [params.validated_data["layer"]] if "layer" in params.validated_data else order
        by_name, by_other = [], []
        for slug in slugs:
            model = LAYER_MODELS[slug]
            visible = model.objects.for_user(request.user)
            named = (visible.search(q, ("name",)).annotate(pos=PointOnSurface("geom")).select_related("admin_unit")
                     .order_by("name", "pk")[:limit])
            by_name.extend(self._hit(slug, row) for row in named)
            extra = SEARCH_FIELDS.get(slug, ("name",))
            if len(extra) > 1 and len(by_name) < limit:
                others = (visible.search(q, extra).exclude(pk__in=[r.pk for r in named])
                          .annotate(pos=PointOnSurface("geom")).select_related("admin_unit")
                          .order_by("name", "pk")[:limit])
                by_other.extend(self._hit(slug, row) for row in others)
        # Name matches first (a zone called "Đình Vũ" before facilities whose address names it).
        results = (by_name + by_other)[:limit]
        return Response({"query": q, "results": results[:limit]})
