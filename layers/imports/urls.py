from django.urls import path

from layers.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportUploadView.as_view(), name="upload"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/import/", views.ImportCommitView.as_view(), name="commit"),
    path("<int:pk>/cancel/", views.ImportCancelView.as_view(), name="cancel"),
    path("permit-book.xlsx", views.PermitBookExportView.as_view(), name="permit-book-export"),
]
