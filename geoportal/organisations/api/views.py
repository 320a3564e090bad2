from django.contrib.auth import get_user_model
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.accounts.services import account_handover
from geoportal.core.renderers import GeoJSONRenderer
from geoportal.core.viewsets import ScopedReadOnlyViewSet, capability_permission
from geoportal.organisations.api.serializers import (
    AdministrativeUnitSerializer,
    BBoxQuerySerializer,
    HandoverInputSerializer,
    OrganisationSerializer,
)
from geoportal.organisations.filters import OrganisationFilter
from geoportal.organisations.models import AdministrativeUnit, Organisation
from geoportal.organisations.selectors import admin_units_geojson
from geoportal.scopes import Action, Capability, get_scoped_or_404


class AdministrativeUnitViewSet(ScopedReadOnlyViewSet):
    """The 114 commune-level units (attributes). Geometry: /administrative-units.geojson."""

    queryset = AdministrativeUnit.objects.all()
    serializer_class = AdministrativeUnitSerializer
    filterset_fields = ["kind", "code", "former_province"]


class AdministrativeUnitGeoJSONApi(APIView):
    """All units as one GeoJSON FeatureCollection, built in PostGIS."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]  # JSON renders error bodies

    @extend_schema(parameters=[
        OpenApiParameter("bbox", str, description="west,south,east,north (EPSG:4326)"),
        OpenApiParameter("kind", str), OpenApiParameter("simplify", float),
    ], responses={(200, "application/geo+json"): dict})
    def get(self, request):
        params = BBoxQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        body = admin_units_geojson(user=request.user, **params.validated_data)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=300"
        return response


class OrganisationViewSet(ScopedReadOnlyViewSet):
    queryset = Organisation.objects.select_related("admin_unit", "account_holder")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    permission_classes = [capability_permission(Capability.ORGANISATIONS_VIEW)]


class OrganisationHandoverApi(APIView):
    """Hand the organisation's account over to a new person (department admin)."""

    permission_classes = [capability_permission(Capability.ACCOUNTS_MANAGE)]

    @extend_schema(request=HandoverInputSerializer, responses={201: dict})
    def post(self, request, pk: int):
        org = get_scoped_or_404(Organisation.objects.all(), request.user, Action.MANAGE, pk=pk)
        data = HandoverInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        User = get_user_model()
        to_user = get_scoped_or_404(User.objects.all(), request.user, Action.MANAGE, pk=data.validated_data["to_user"])
        handover = account_handover(
            actor=request.user, organisation=org, to_user=to_user,
            reason=data.validated_data["reason"], deactivate_previous=data.validated_data["deactivate_previous"],
        )
        return Response({"id": handover.pk, "organisation": org.pk, "account_holder": to_user.pk,
                         "previous_holder": handover.from_user_id}, status=status.HTTP_201_CREATED)
