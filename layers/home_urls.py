"""`/`: the public map (it is the portal's home page)."""
from django.urls import path

from layers.map_views import public_map

urlpatterns = [path("", public_map, name="home")]
