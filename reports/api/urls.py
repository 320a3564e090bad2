from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api.views import ReportReviewApi, ReportSaveApi, ReportSubmitApi, ReportValidateApi, ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("reports/<int:pk>/validate/", ReportValidateApi.as_view(), name="report-validate"),
    path("reports/<int:pk>/data/", ReportSaveApi.as_view(), name="report-data"),
    path("reports/<int:pk>/submit/", ReportSubmitApi.as_view(), name="report-submit"),
    path("reports/<int:pk>/accept/", ReportReviewApi.as_view(action_name="accept"), name="report-accept"),
    path("reports/<int:pk>/return/", ReportReviewApi.as_view(action_name="return"), name="report-return"),
    *router.urls,
]
