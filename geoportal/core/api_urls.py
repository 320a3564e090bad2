"""/api/v1/: the REST API of the core (accounts, organisations, units, audit)."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from geoportal.accounts.api.views import MeApi, UserReviewApi, UserViewSet
from geoportal.audit.api.views import AuditEventViewSet
from geoportal.core.crs_api import CrsTransformApi
from geoportal.organisations.api.views import (
    AdministrativeUnitGeoJSONApi,
    AdministrativeUnitViewSet,
    OrganisationHandoverApi,
    OrganisationViewSet,
)

router = DefaultRouter()
router.register("administrative-units", AdministrativeUnitViewSet, basename="adminunit")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("crs/transform/", CrsTransformApi.as_view(), name="crs-transform"),
    path("administrative-units.geojson", AdministrativeUnitGeoJSONApi.as_view(), name="adminunit-geojson"),
    path("organisations/<int:pk>/handover/", OrganisationHandoverApi.as_view(), name="organisation-handover"),
    path("users/<int:pk>/review/", UserReviewApi.as_view(), name="user-review"),
    *router.urls,
]
