"""OGC API – Features at /ogcapi/ (namespace "ogcapi")."""
from django.urls import path

from layers.ogcapi import views

app_name = "ogcapi"
urlpatterns = [
    path("", views.LandingPageView.as_view(), name="landing"),
    path("conformance", views.ConformanceView.as_view(), name="conformance"),
    path("api", views.ApiDocumentView.as_view(), name="api"),
    path("collections", views.CollectionsView.as_view(), name="collections"),
    path("collections/<str:collection_id>", views.CollectionView.as_view(), name="collection"),
    path("collections/<str:collection_id>/queryables", views.QueryablesView.as_view(), name="queryables"),
    path("collections/<str:collection_id>/items", views.ItemsView.as_view(), name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.ItemView.as_view(), name="item"),
]
