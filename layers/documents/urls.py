app_name = "documents"
from django.urls import path  # noqa: F401

urlpatterns = []
