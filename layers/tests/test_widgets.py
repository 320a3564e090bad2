"""layers/widgets.py: the location and area widgets and their form fields."""
from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.gis import forms as gis_forms
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.contrib.staticfiles import finders
from django.http import QueryDict
from django.test import override_settings
from django.utils import translation

from geoportal.core import crs
from layers.choices import ZoneKind
from layers.models import IndustrialZone
from layers.widgets import (
    AreaField,
    AreaWidget,
    InvalidGeometryInput,
    LocationField,
    LocationWidget,
    posted_source_srid,
)

ROOT = Path(__file__).resolve().parents[2]
DINH_VU = (106.7745, 20.8268)
SQUARE = "POLYGON((106.70 20.80, 106.75 20.80, 106.75 20.85, 106.70 20.85, 106.70 20.80))"
BOWTIE = "POLYGON((106.60 20.80, 106.70 20.90, 106.70 20.80, 106.60 20.90, 106.60 20.80))"


class SiteForm(forms.Form):
    name = forms.CharField()
    geom = LocationField()


class ZoneForm(forms.Form):
    geom = AreaField()


class GeoDjangoPointForm(forms.Form):
    """GeoDjango's own field with our widget (what a ModelForm override gives)."""

    geom = gis_forms.PointField(widget=LocationWidget, srid=4326)


class ZoneModelForm(forms.ModelForm):
    geom = AreaField()

    class Meta:
        model = IndustrialZone
        fields = ["name", "kind", "geom"]


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data[key] = value
    return data


def errors_of(form, field="geom") -> str:
    return " ".join(str(e) for e in form.errors.get(field, []))


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked by their English msgid; vi_crs.py translations are checked below."""
    with translation.override("en"):
        yield


# --- rendering: CSP and offline -------------------------------------------------------------
FOREIGN = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)


@pytest.mark.parametrize("form_class,kind", [(SiteForm, "point"), (ZoneForm, "area")])
def test_rendered_widget_has_no_inline_script_and_no_foreign_url(form_class, kind):
    html = str(form_class()["geom"])
    scripts = _scripts(html)
    assert scripts, html  # the options block is there...
    assert all('type="application/json"' in tag for tag in scripts), scripts  # ...and is not executable
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)  # no inline event handlers
    assert "javascript:" not in html.lower()
    assert not FOREIGN.search(html), FOREIGN.search(html)
    options = json.loads(re.search(r"<script[^>]*data-location-widget>(.*?)</script>", html, re.S).group(1))
    assert options["kind"] == kind
    assert options["units_url"] == "/api/v1/administrative-units.geojson?simplify=0.0005"
    assert options["transform_url"] == "/api/v1/crs/transform/"
    assert options["tile_url"] == ""  # the map works with no tile server
    assert [c["key"] for c in options["crs"]] == [c.key for c in crs.SUPPORTED_INPUT_CRS]
    assert 'name="geom_source_srid"' in html and 'name="geom"' in html


def test_options_cannot_break_out_of_the_data_block():
    widget = LocationWidget(attrs={"default_zoom": "</script><script>alert(1)</script>"})
    html = widget.render("geom", None, attrs={"id": "id_geom"})
    assert "</script><script>" not in html
    assert len(_scripts(html)) == 1


@override_settings(BASEMAP_TILE_URL="https://tiles.example.vn/{z}/{x}/{y}.png")
def test_tiles_are_added_only_when_configured():
    html = str(SiteForm()["geom"])
    options = json.loads(re.search(r"data-location-widget>(.*?)</script>", html, re.S).group(1))
    assert options["tile_url"] == "https://tiles.example.vn/{z}/{x}/{y}.png"


def test_point_widget_posts_its_coordinate_inputs_and_area_widget_does_not():
    point_html = str(SiteForm()["geom"])
    for suffix in ("crs", "x", "y", "lat", "lon", "dms"):
        assert f'name="geom_{suffix}"' in point_html
    area_html = str(ZoneForm()["geom"])
    assert 'name="geom_x"' not in area_html and 'id="id_geom_x"' in area_html


@pytest.mark.parametrize("widget,expected", [
    (LocationWidget(), {"vendor/leaflet/leaflet.js", "js/location-widget.js"}),
    (AreaWidget(), {"vendor/leaflet/leaflet.js", "vendor/leaflet-geoman/leaflet-geoman.js",
                    "js/location-widget.js"}),
])
def test_media_is_vendored_and_exists(widget, expected):
    media = widget.media
    js = [str(p) for p in media._js]
    css = [str(p) for lists in media._css.values() for p in lists]
    assert set(js) == expected
    assert js.index("vendor/leaflet/leaflet.js") < js.index("js/location-widget.js")
    for path in js + css:
        assert not FOREIGN.search(path)
        assert finders.find(path), f"missing static file {path}"
    rendered = str(media)
    assert not FOREIGN.search(rendered)
    assert "/static/vendor/leaflet/leaflet.css" in rendered


@pytest.mark.parametrize("path", ["js/location-widget.js", "css/location-widget.css"])
def test_own_assets_reference_no_foreign_url(path):
    text = Path(finders.find(path)).read_text(encoding="utf-8")
    assert not FOREIGN.search(text)
    assert "eval(" not in text and "innerHTML" not in text


def test_geoman_is_vendored_with_its_licence():
    folder = ROOT / "static" / "vendor" / "leaflet-geoman"
    assert "MIT License" in (folder / "LICENSE").read_text()
    assert "sourceMappingURL" not in (folder / "leaflet-geoman.js").read_text(encoding="utf-8")[-400:]


def test_initial_geometry_is_rendered_as_geojson():
    form = SiteForm(initial={"geom": Point(*DINH_VU, srid=4326)})
    html = str(form["geom"])
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    geojson = json.loads(textarea.replace("&quot;", '"'))
    assert geojson["type"] == "Point"
    assert geojson["coordinates"] == pytest.approx(list(DINH_VU))


# --- value_from_datadict and clean: good input ------------------------------------------------
def test_geojson_from_the_map():
    widget = LocationWidget()
    data = post(geom=json.dumps({"type": "Point", "coordinates": list(DINH_VU)}), geom_source_srid="4326")
    value = widget.value_from_datadict(data, {}, "geom")
    assert isinstance(value, GEOSGeometry) and value.srid == 4326
    assert (value.x, value.y) == pytest.approx(DINH_VU)
    assert widget.source_srid_from_datadict(data, "geom") == 4326


def test_vn2000_coordinates_are_converted_on_the_server():
    """X/Y typed in VN-2000 are converted by the server (EPSG:6960), whatever the browser sent."""
    ne = crs.wgs84_to_vn2000(*DINH_VU, srid=9210)
    data = post(name="Trạm", geom="", geom_crs="9210", geom_source_srid="9210",
                geom_x=f"{ne.northing:,.3f}".replace(",", " ").replace(".", ","),   # "2 304 118,613"
                geom_y=f"{ne.easting:.3f}")
    form = SiteForm(data)
    assert form.is_valid(), form.errors
    geom = form.cleaned_data["geom"]
    assert geom.geom_type == "Point" and geom.srid == 4326
    expected = crs.vn2000_to_wgs84(ne.northing, ne.easting, 9210)
    assert (geom.x, geom.y) == pytest.approx(expected, abs=1e-8)
    assert form.fields["geom"].widget.source_srid_from_datadict(data, "geom") == 9210
    assert posted_source_srid(data, "geom") == 9210


def test_typed_coordinates_win_over_a_stale_map_value():
    ne = crs.wgs84_to_vn2000(106.70, 20.86, srid=9209)
    data = post(name="x", geom=json.dumps({"type": "Point", "coordinates": [106.0, 21.0]}),
                geom_crs="9209", geom_x=str(ne.northing), geom_y=str(ne.easting))
    form = SiteForm(data)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["geom"].x, form.cleaned_data["geom"].y) == pytest.approx((106.70, 20.86), abs=1e-7)
    assert form.fields["geom"].widget.source_srid_from_datadict(data, "geom") == 9209


@pytest.mark.parametrize("fields,lon,lat", [
    ({"geom_crs": "4326", "geom_lat": "20,8268", "geom_lon": "106,7745"}, 106.7745, 20.8268),
    ({"geom_crs": "4326-dms", "geom_dms": "20°49'36.5\"B 106°46'28.2\"Đ"},
     106 + 46 / 60 + 28.2 / 3600, 20 + 49 / 60 + 36.5 / 3600),
    ({"geom": "SRID=9210;POINT(606437.535 2304118.613)"}, 106.7745, 20.8268),  # EWKT, GIS order
    ({"geom": "POINT(106.7745 20.8268)"}, 106.7745, 20.8268),
    ({"geom": '{"type":"Point","coordinates":[106.7745,20.8268,5]}'}, 106.7745, 20.8268),  # Z dropped
])
def test_other_accepted_inputs(fields, lon, lat):
    form = SiteForm(post(name="x", **fields))
    assert form.is_valid(), form.errors
    geom = form.cleaned_data["geom"]
    assert (geom.x, geom.y) == pytest.approx((lon, lat), abs=1e-6)
    assert not geom.hasz


def test_area_polygon_becomes_a_multipolygon():
    form = ZoneForm(post(geom=GEOSGeometry(SQUARE, srid=4326).json))
    assert form.is_valid(), form.errors
    geom = form.cleaned_data["geom"]
    assert isinstance(geom, MultiPolygon) and geom.srid == 4326 and len(geom) == 1


def test_area_in_vn2000_ewkt_is_transformed():
    square = GEOSGeometry(SQUARE, srid=4326)
    projected = "SRID=9210;POLYGON((" + ", ".join(
        "{} {}".format(*crs.from_wgs84(x, y, 9210)) for x, y in square.coords[0]) + "))"
    data = post(geom=projected)
    form = ZoneForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["geom"].equals_exact(MultiPolygon(square), tolerance=1e-8)
    assert form.fields["geom"].widget.source_srid_from_datadict(data, "geom") == 9210


def test_model_form_saves_the_area_into_the_model_field():
    form = ZoneModelForm(post(name="KCN thử", kind=ZoneKind.KCN, geom=GEOSGeometry(SQUARE, srid=4326).json))
    assert form.is_valid(), form.errors
    zone = form.save(commit=False)
    assert zone.geom.geom_type == "MultiPolygon" and zone.geom.srid == 4326


def test_geodjango_field_with_our_widget():
    good = GeoDjangoPointForm(post(geom_crs="4326", geom_lat="20.8268", geom_lon="106.7745"))
    assert good.is_valid(), good.errors
    assert good.cleaned_data["geom"].srid == 4326
    bad = GeoDjangoPointForm(post(geom="", geom_crs="9210", geom_x="606437", geom_y="2304118"))
    assert not bad.is_valid()
    assert "swapped" in errors_of(bad)


# --- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("fields,fragment", [
    ({"geom": ""}, "Place the location on the map or enter its coordinates."),
    ({"geom": "not a geometry"}, "could not be read"),
    ({"geom": '{"type":"Point","coordinates":[106.7]}'}, "could not be read"),
    ({"geom": "POINT EMPTY"}, "empty"),
    ({"geom": json.dumps({"type": "Point", "coordinates": [100.5, 13.75]})}, "outside Vietnam"),   # Bangkok
    ({"geom": json.dumps({"type": "Point", "coordinates": [20.8268, 106.7745]})}, "swapped"),  # lat, lon
    ({"geom": SQUARE}, "Place one point"),
    ({"geom": "SRID=2154;POINT(650000 6860000)"}, "Unsupported coordinate system"),
    ({"geom": "SRID=9210;POINT(2304118 606437)"}, "swapped"),
    ({"geom_crs": "9210", "geom_x": "606437", "geom_y": "2304118"}, "swapped"),
    ({"geom_crs": "9210", "geom_x": "2304118"}, "Enter Y (easting)."),
    ({"geom_crs": "9210", "geom_x": "abc", "geom_y": "606437"}, "X (northing): “abc” is not a number."),
    ({"geom_crs": "4326", "geom_lat": "13.75", "geom_lon": "100.5"}, "outside Vietnam"),
    ({"geom_crs": "4326", "geom_lat": "20°61'N", "geom_lon": "106.7"}, "Minutes must be less than 60"),
    ({"geom_crs": "4326-dms", "geom_dms": "near the port"}, ""),
    ({"geom_crs": "EPSG:2154", "geom_x": "1", "geom_y": "2"}, "Unsupported coordinate system"),
])
def test_bad_location_is_a_field_error(fields, fragment):
    form = SiteForm(post(name="x", **fields))
    assert not form.is_valid()
    assert list(form.errors) == ["geom"]
    assert fragment in errors_of(form)


def test_out_of_vietnam_point_message_names_the_position():
    form = SiteForm(post(name="x", geom="POINT(100.5 13.75)"))
    assert not form.is_valid()
    assert "13.75000 N, 100.50000 E" in errors_of(form)


def test_value_from_datadict_returns_the_error_instead_of_raising():
    value = LocationWidget().value_from_datadict(post(geom="garbage"), {}, "geom")
    assert isinstance(value, InvalidGeometryInput)
    assert value.raw == "garbage" and value.error.code == "invalid_geom"


def test_form_with_errors_re_renders_with_the_typed_values():
    """Re-rendering a bound form with a bad location must not fail (no exception from the
    widget) and must give the user their input back."""
    form = SiteForm(post(name="", geom="", geom_crs="9209", geom_x="606437", geom_y="2304118"))
    assert not form.is_valid()
    assert form.has_changed()
    html = str(form["geom"])
    assert 'value="606437"' in html and 'value="2304118"' in html
    assert re.search(r'<option value="9209"[^>]*selected', html)


@pytest.mark.parametrize("wkt,fragment", [
    (BOWTIE, "crosses itself"),
    ("MULTIPOLYGON(((106.70 20.80, 106.75 20.80, 106.75 20.85, 106.70 20.85, 106.70 20.80)),"
     "((106.72 20.82, 106.78 20.82, 106.78 20.88, 106.72 20.88, 106.72 20.82)))", "crosses itself"),
    ("POLYGON((100.5 13.7, 100.6 13.7, 100.6 13.8, 100.5 13.7))", "outside Vietnam"),
    ("POINT(106.7 20.8)", "Draw the area as one or more polygons"),
    ("LINESTRING(106.7 20.8, 106.8 20.9)", "Draw the area as one or more polygons"),
    ("", "Draw the area on the map."),
])
def test_bad_area_is_a_field_error(wkt, fragment):
    form = ZoneForm(post(geom=wkt))
    assert not form.is_valid()
    assert fragment in errors_of(form), errors_of(form)


def test_self_intersection_message_locates_the_crossing():
    form = ZoneForm(post(geom=BOWTIE))
    form.is_valid()
    assert "20.85000 N, 106.65000 E" in errors_of(form)


def test_too_many_vertices_is_refused():
    ring = [(106.5 + 0.2 * i / 60000, 20.8) for i in range(60000)] + [(106.7, 20.9), (106.5, 20.8)]
    form = ZoneForm(post(geom=Polygon(ring, srid=4326).wkt))
    assert not form.is_valid()
    assert "too many vertices" in errors_of(form)


def test_unchanged_geometry_is_not_a_change():
    point = Point(*DINH_VU, srid=4326)
    form = SiteForm(post(name="x", geom=point.json), initial={"name": "x", "geom": point})
    assert form.is_valid(), form.errors
    assert "geom" not in form.changed_data


# --- translations ---------------------------------------------------------------------------
def _msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in {"_", "gettext", "gettext_lazy"} and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def _template_msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"{%\s*translate\s+\"([^\"]+)\"", text)) | set(
        re.findall(r"{%\s*translate\s+'([^']+)'", text))


def test_every_new_message_has_a_vietnamese_translation():
    spec = importlib.util.spec_from_file_location("vi_crs", ROOT / "locale" / "tools" / "vi_crs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    spec_all = importlib.util.spec_from_file_location("vi_all", ROOT / "locale" / "tools" / "vi_translations.py")
    existing = importlib.util.module_from_spec(spec_all)
    spec_all.loader.exec_module(existing)
    known = {**existing.VI, **module.VI}
    msgids = set()
    for source in ("geoportal/core/crs.py", "geoportal/core/crs_api.py", "layers/widgets.py"):
        msgids |= _msgids(ROOT / source)
    for template in (ROOT / "templates" / "layers" / "widgets").glob("*.html"):
        msgids |= _template_msgids(template)
    assert len(msgids) > 60
    missing = sorted(m for m in msgids if m not in known)
    assert not missing, missing
    placeholder = re.compile(r"%\([a-z_]+\)[-.\d]*[sdf]")
    for msgid, text in module.VI.items():
        assert text.strip(), msgid
        assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(text)), msgid
