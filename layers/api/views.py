"""The register's REST API: one viewset per layer (scoped, filtered, paginated),
writes through services, workflow transitions as explicit APIViews."""
from __future__ import annotations

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.core.viewsets import ScopedReadOnlyViewSet, ScopedViewSetMixin
from geoportal.scopes import Action, get_scoped_or_404
from layers.api.serializers import (
    InspectionSerializer,
    PermitSerializer,
    ReasonSerializer,
    feature_input_serializer,
    feature_output_serializer,
)
from layers.filters import InspectionFilter, PermitFilter
from layers.models import Inspection, Permit
from layers.registry import LAYERS, Layer
from layers.services.approval import TransitionError, entry_approve, entry_reject, entry_submit
from layers.services.features import feature_save

API_FIELDS = {
    "facilities": ("owner_organisation", "tax_code", "address", "sector", "activity", "capacity", "project_group",
                   "permit_class", "iso14001", "status", "zone", "admin_unit"),
    "zones": ("kind", "code", "area_ha", "investor_organisation", "managing_board", "occupancy_pct",
              "cwwtp_capacity_m3_day", "admin_unit"),
    "protected-areas": ("category", "designation", "legal_basis", "area_ha", "admin_unit"),
    "degraded-areas": ("kind", "media", "pollutants", "identified_on", "admin_unit"),
    "incidents": ("occurred_on", "cause", "response", "resolved_on", "admin_unit"),
    "craft-villages": ("products", "households", "admin_unit"),
    "waste-facilities": ("kind", "capacity_t_day", "technology", "admin_unit"),
    "water-areas": ("kind", "water_bodies", "admin_unit"),
}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def layer_viewset(layer: Layer):
    fields = API_FIELDS[layer.slug]

    class _ViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
        queryset = layer.model.objects.all()
        filterset_class = layer.filterset
        permission_classes = [permissions.IsAuthenticatedOrReadOnly]
        http_method_names = ["get", "post", "patch", "head", "options"]

        def get_queryset(self):
            # The register API serves the user's own scope with every field; published
            # data for everyone is served by the OGC API with the public fields only.
            qs = (layer.model.objects.for_user_private(self.request.user, self.get_scope_action())
                  .select_related(*layer.select_related).order_by("name", "pk"))
            if self.action in ("list", "retrieve"):
                qs = qs.annotate(geom_geojson=AsGeoJSON("geom", precision=6))
            return qs

        def get_serializer_class(self):
            if self.action in ("create", "update", "partial_update"):
                return feature_input_serializer(layer.model, fields)
            return feature_output_serializer(layer.model, fields)

        def _save(self, obj, data):
            try:
                saved = feature_save(actor=self.request.user, obj=obj, values=data)
            except PermissionDenied:
                raise Http404 from None  # outside the scope: same answer as absence
            out = feature_output_serializer(layer.model, fields)(
                layer.model.objects.annotate(geom_geojson=AsGeoJSON("geom", precision=6))
                .select_related(*layer.select_related).get(pk=saved.pk))
            return out.data

        def create(self, request, *args, **kwargs):
            data = self.get_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            return Response(self._save(layer.model(), data.validated_data), status=status.HTTP_201_CREATED)

        def partial_update(self, request, *args, **kwargs):
            obj = self.get_object()
            data = self.get_serializer(obj, data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            return Response(self._save(obj, data.validated_data))

    _ViewSet.__name__ = f"{layer.model.__name__}ViewSet"
    _ViewSet.__doc__ = f"{layer.model._meta.verbose_name_plural}: list, retrieve, create, update (scoped)."
    return _ViewSet


class EntryTransitionApi(APIView):
    """POST /api/v1/<slug>/<id>/submit|approve|reject/ (Article 7 workflow)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReasonSerializer

    def post(self, request, slug: str, pk: int, transition: str):
        layer = LAYERS.get(slug)
        model = layer.model if layer else {"permits": Permit, "inspections": Inspection}.get(slug)
        if model is None or transition not in ("submit", "approve", "reject"):
            raise Http404
        action = Action.CHANGE if transition == "submit" else Action.APPROVE
        obj = get_scoped_or_404(model.objects.all(), request.user, action, pk=pk)
        try:
            if transition == "submit":
                obj = entry_submit(actor=request.user, obj=obj)
            elif transition == "approve":
                obj = entry_approve(actor=request.user, obj=obj)
            else:
                reason = ReasonSerializer(data=request.data)
                reason.is_valid(raise_exception=True)
                obj = entry_reject(actor=request.user, obj=obj, reason=reason.validated_data["reason"])
        except TransitionError as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        except PermissionDenied:
            raise Http404 from None
        return Response({"id": obj.pk, "approval_status": obj.approval_status,
                         "rejection_reason": obj.rejection_reason})


class PermitViewSet(ScopedReadOnlyViewSet):
    queryset = Permit.objects.with_successor().select_related("issuer").order_by("-signed_on", "-pk")
    serializer_class = PermitSerializer
    filterset_class = PermitFilter


class InspectionViewSet(ScopedReadOnlyViewSet):
    queryset = Inspection.objects.prefetch_related("remedies").order_by("-inspected_on", "-pk")
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
