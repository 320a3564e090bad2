from django.urls import include, path

app_name = "layers"
urlpatterns = [
    path("imports/", include("layers.imports.urls")),
    path("documents/", include("layers.documents.urls")),
]
