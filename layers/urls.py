from django.urls import include, path

from layers import catalogue, feature_views, officer_map, record_views, views

app_name = "layers"
urlpatterns = [
    path("data/", catalogue.catalogue_page, name="catalogue"),
    path("data/catalog.jsonld", catalogue.catalogue_jsonld, name="catalogue-jsonld"),
    path("data/<slug:slug>.jsonld", catalogue.dataset_jsonld_view, name="catalogue-dataset"),
    path("layers/<slug:slug>/", views.LayerListView.as_view(), name="list"),
    path("layers/<slug:slug>/new/", feature_views.FeatureEditView.as_view(), name="feature-new"),
    path("<slug:slug>/<int:pk>/edit/", feature_views.FeatureEditView.as_view(), name="feature-edit"),
    path("permits/", views.PermitListView.as_view(), name="permit-list"),
    path("permits/<int:pk>/", views.PermitDetailView.as_view(), name="permit-detail"),
    path("permits/<int:permit_pk>/edit/", record_views.PermitEditView.as_view(), name="permit-edit"),
    path("permits/<int:permit_pk>/reissue/", record_views.PermitEditView.as_view(reissue=True), name="permit-reissue"),
    path("<slug:slug>/<int:pk>/permits/new/", record_views.PermitEditView.as_view(), name="permit-new"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/<int:inspection_pk>/edit/", record_views.InspectionEditView.as_view(), name="inspection-edit"),
    path("<slug:slug>/<int:pk>/inspections/new/", record_views.InspectionEditView.as_view(), name="inspection-new"),
    path("approvals/", views.ApprovalQueueView.as_view(), name="approvals"),
    path("officer/map/", officer_map.OfficerMapView.as_view(), name="officer-map"),
    path("officer/map/data/", officer_map.OfficerMapDataView.as_view(), name="officer-map-data"),
    path("approvals/<slug:slug>/<int:pk>/<str:action>/", views.ApprovalActionView.as_view(), name="approval-action"),
    path("monthly/", views.MonthlyUpdatesView.as_view(), name="monthly"),
    path("imports/", include("layers.imports.urls")),
    path("documents/", include("layers.documents.urls")),
    # Feature pages: /facilities/12/, /zones/3/, /protected-areas/2/ ...
    path("<slug:slug>/<int:pk>/", views.FeatureDetailView.as_view(), name="detail"),
]
