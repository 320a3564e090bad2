from django.urls import re_path

from layers.exports import views

app_name = "exports"
urlpatterns = [
    re_path(r"^(?P<collection>[a-z0-9-]+)\.(?P<fmt>[a-z0-9]{1,10})$", views.export, name="export"),
]
