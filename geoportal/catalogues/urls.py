from django.urls import path

from geoportal.catalogues import views

app_name = "catalogues"
urlpatterns = [
    path("", views.CatalogueIndexView.as_view(), name="index"),
    path("<slug:key>/", views.CatalogueRowsView.as_view(), name="rows"),
    path("<slug:key>/new/", views.CatalogueEditView.as_view(), name="new"),
    path("<slug:key>/<int:pk>/edit/", views.CatalogueEditView.as_view(), name="edit"),
    path("<slug:key>/<int:pk>/deactivate/", views.CatalogueDeactivateView.as_view(), name="deactivate"),
    path("<slug:key>/<int:pk>/history/", views.CatalogueHistoryView.as_view(), name="history"),
]
