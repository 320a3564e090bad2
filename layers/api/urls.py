from django.urls import path
from rest_framework.routers import SimpleRouter

from layers.api.views import EntryTransitionApi, InspectionViewSet, PermitViewSet, layer_viewset
from layers.registry import LAYERS
from layers.search import SearchApi

router = SimpleRouter()
for slug, layer in LAYERS.items():
    router.register(slug, layer_viewset(layer), basename=f"layer-{slug}")
router.register("permits", PermitViewSet, basename="permit")
router.register("inspections", InspectionViewSet, basename="inspection")

urlpatterns = [
    path("search/", SearchApi.as_view(), name="search"),
    path("<slug:slug>/<int:pk>/<str:transition>/", EntryTransitionApi.as_view(), name="entry-transition"),
    *router.urls,
]
