from django.urls import path

from reports import analytics_views, views

app_name = "reports"
urlpatterns = [
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/reports/open/", views.ReportOpenView.as_view(), name="open"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="edit"),
    path("reports/<int:pk>/render/", views.ReportRenderView.as_view(), name="render"),
    path("reports/<int:pk>/sign/", views.ReportSignView.as_view(), name="sign"),
    path("reports/<int:pk>/template.xlsx", views.ReportTemplateView.as_view(), name="template"),
    path("reports/<int:pk>/import/", views.ReportImportView.as_view(), name="import"),
    path("reports/<int:pk>/review/<str:action>/", views.ReportReviewView.as_view(), name="review"),
    path("reports/<int:pk>/rendered.pdf", views.report_file, {"kind": "rendered"}, name="rendered"),
    path("reports/<int:pk>/r<int:revision>/<str:kind>.pdf", views.report_file, name="file"),
    path("officer/reports/", views.OfficerReportListView.as_view(), name="officer-list"),
    path("officer/reports/query/", analytics_views.ReportQueryView.as_view(), name="query"),
]
