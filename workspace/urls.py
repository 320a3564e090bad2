"""/officer/: the officer workspace (DESIGN.md section 6)."""
from django.urls import path  # noqa: F401  (helpers add routes)

app_name = "workspace"
urlpatterns: list = []
