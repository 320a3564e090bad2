"""/officer/: the officer workspace (DESIGN.md section 6)."""
from django.urls import path

from workspace import compiled_views, statistics_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("queues/", views.QueuesView.as_view(), name="queues"),
    path("statistics/", statistics_views.StatisticsView.as_view(), name="statistics"),
    # The compiled provincial reports (Mẫu 03 of the city, Mẫu 02 of the EZ board)
    path("compiled/", compiled_views.CompiledReportsView.as_view(), name="compiled"),
    path("compiled/<str:form>/<int:year>.<str:fmt>", compiled_views.CompiledDownloadView.as_view(),
         name="compiled-download"),
]
