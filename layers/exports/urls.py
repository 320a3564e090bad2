from django.urls import path, re_path

from layers.exports import jobs, views

app_name = "exports"
urlpatterns = [
    path("jobs/", jobs.job_create, name="job-create"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job-download"),
    re_path(r"^(?P<collection>[a-z0-9-]+)\.(?P<fmt>[a-z0-9]{1,10})$", views.export, name="export"),
]
