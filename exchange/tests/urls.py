"""The project's URLs with the exchange API mounted, until geoportal/urls.py includes it."""
from django.urls import NoReverseMatch, include, path, reverse

from geoportal import urls as root

handler400, handler403, handler404, handler500 = root.handler400, root.handler403, root.handler404, root.handler500

urlpatterns = list(root.urlpatterns)
try:
    reverse("exchange-collection-list", urlconf=root)
except NoReverseMatch:
    urlpatterns.append(path("api/v1/", include("exchange.api.urls")))
