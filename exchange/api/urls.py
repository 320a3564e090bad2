"""Routes of the exchange API, mounted under /api/v1/."""
from django.urls import path

from exchange.api.views import ExchangeCollectionItemsApi, ExchangeCollectionListApi

urlpatterns = [
    path("exchange/", ExchangeCollectionListApi.as_view(), name="exchange-collection-list"),
    path("exchange/<str:collection>/", ExchangeCollectionItemsApi.as_view(), name="exchange-collection-items"),
]
