"""Monitoring pages (/monitoring/...) and the EDR API (/edr/...), namespace "monitoring".
Included at the root: path("", include("monitoring.urls"))."""
from django.urls import path

from monitoring import periodic_views, views
from monitoring.api.push import StationReadingsPushApi
from monitoring.edr import views as edr

app_name = "monitoring"
urlpatterns = [
    path("monitoring/stations/<int:pk>/", views.station_detail, name="station-detail"),
    path("monitoring/stations/<int:pk>/readings.csv", views.station_readings_csv, name="station-readings-csv"),
    path("monitoring/aqi/", views.aqi_map, name="aqi-map"),
    path("monitoring/outfalls/", views.outfalls, name="outfalls"),
    path("monitoring/periodic/import/", periodic_views.PeriodicImportView.as_view(), name="periodic-import"),
    # Dataloggers push here with their station token (Circular 10/2021: every 5 minutes).
    path("api/v1/monitoring/stations/<str:code>/readings/", StationReadingsPushApi.as_view(), name="push"),
    # OGC API – EDR 1.1
    path("edr/", edr.LandingPageView.as_view(), name="edr-landing"),
    path("edr/conformance", edr.ConformanceView.as_view(), name="edr-conformance"),
    path("edr/collections", edr.CollectionsView.as_view(), name="edr-collections"),
    path("edr/collections/<str:collection_id>", edr.CollectionView.as_view(), name="edr-collection"),
    path("edr/collections/<str:collection_id>/locations", edr.LocationsView.as_view(), name="edr-locations"),
    path("edr/collections/<str:collection_id>/locations/<str:location_id>", edr.LocationView.as_view(),
         name="edr-location"),
    path("edr/collections/<str:collection_id>/position", edr.PositionView.as_view(), name="edr-position"),
]
