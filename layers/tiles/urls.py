from django.urls import re_path

from layers.tiles import views

app_name = "tiles"
urlpatterns = [
    re_path(r"^(?P<collection>[a-z0-9-]+)/(?P<z>-?\d{1,3})/(?P<x>-?\d{1,8})/(?P<y>-?\d{1,8})\.mvt$", views.tile,
            name="tile"),
    re_path(r"^(?P<collection>[a-z0-9-]+)\.json$", views.tilejson, name="tilejson"),
]
