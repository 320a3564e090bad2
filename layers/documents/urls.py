from django.urls import path

from layers.documents import views

app_name = "documents"
urlpatterns = [
    path("upload/<slug:target_type>/<int:pk>/", views.document_upload, name="upload"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/delete/", views.document_delete_view, name="delete"),
]
