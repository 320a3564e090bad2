"""Data exchange pages and the connection-account API."""
from django.urls import path  # noqa: F401  (helpers add routes)

app_name = "exchange"
urlpatterns: list = []
