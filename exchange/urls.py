"""Data exchange pages: data packages (the Department) and connection accounts (the admin).
The connection-account API is in exchange/api/urls.py, under /api/v1/."""
from django.urls import path

from exchange import connection_views, views

app_name = "exchange"
urlpatterns = [
    path("exchange/packages/", views.PackageListView.as_view(), name="packages"),
    path("exchange/packages/<int:pk>/download/", views.PackageDownloadView.as_view(), name="package-download"),
    path("exchange/packages/build/", views.PackageBuildView.as_view(), name="package-build"),
    path("exchange/connections/", connection_views.ConnectionListView.as_view(), name="connection-list"),
    path("exchange/connections/new/", connection_views.ConnectionCreateView.as_view(), name="connection-new"),
    path("exchange/connections/<int:pk>/", connection_views.ConnectionDetailView.as_view(), name="connection-detail"),
    path("exchange/connections/<int:pk>/revoke/", connection_views.ConnectionRevokeView.as_view(),
         name="connection-revoke"),
]
