"""The open-data catalogue: every published layer with its description, extent, feature
count, last update, licence, update frequency, downloads, and DCAT-style JSON-LD
metadata at stable URLs (/data/catalog.jsonld, /data/<slug>.jsonld)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.db.models import Extent
from django.db.models import Count, Max
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from layers.models import LAYER_MODELS, LayerPublication

EXPORT_FORMATS = ("geojson", "gpkg", "shp", "csv", "kml")
MEDIA_TYPES = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
               "shp": "application/zip", "csv": "text/csv", "kml": "application/vnd.google-earth.kml+xml"}
# EU vocabulary for dct:accrualPeriodicity.
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCY_CODES = {"continuous": "CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
                   "quarterly": "QUARTERLY", "annual": "ANNUAL", "irregular": "IRREG"}


@dataclass
class CatalogueEntry:
    slug: str
    publication: LayerPublication
    count: int
    extent: tuple[float, float, float, float] | None
    updated: datetime | None


def published_layers() -> list[CatalogueEntry]:
    """Published layers with their figures, each computed in PostGIS (one aggregate query)."""
    entries = []
    pubs = {p.layer: p for p in LayerPublication.objects.filter(is_public=True)}
    for slug, model in LAYER_MODELS.items():
        pub = pubs.get(slug)
        if pub is None:
            continue
        agg = model.objects.filter(approval_status="approved").aggregate(
            n=Count("pk"), extent=Extent("geom"), updated=Max("updated_at"))
        entries.append(CatalogueEntry(slug, pub, agg["n"], agg["extent"], agg["updated"]))
    return entries


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def dataset_jsonld(request, entry: CatalogueEntry) -> dict:
    pub = entry.publication
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    distributions = [{
        "@type": "dcat:Distribution",
        "dct:title": f"{pub.title_vi} ({fmt.upper()})",
        "dcat:downloadURL": _absolute(request, f"/exports/{entry.slug}.{fmt}"),
        "dcat:mediaType": MEDIA_TYPES[fmt],
        "dct:license": {"@id": pub.licence_url},
    } for fmt in EXPORT_FORMATS]
    distributions.append({
        "@type": "dcat:Distribution", "dct:title": "OGC API – Features",
        "dcat:accessURL": _absolute(request, f"/ogcapi/collections/{entry.slug}"),
        "dct:conformsTo": {"@id": "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"},
        "dct:license": {"@id": pub.licence_url},
    })
    data = {
        "@type": "dcat:Dataset",
        "@id": _absolute(request, reverse("layers:catalogue-dataset", args=[entry.slug])),
        "dct:identifier": entry.slug,
        "dct:title": [{"@language": "vi", "@value": pub.title_vi}, {"@language": "en", "@value": pub.title_en}],
        "dct:description": [{"@language": "vi", "@value": pub.description_vi},
                            {"@language": "en", "@value": pub.description_en}],
        "dcat:keyword": pub.keywords,
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": pub.attribution},
        "dct:license": {"@id": pub.licence_url},
        "dct:rights": pub.attribution,
        "dct:accrualPeriodicity": {"@id": FREQUENCY_URI + FREQUENCY_CODES.get(pub.update_frequency, "IRREG")},
        "dct:modified": entry.updated.isoformat() if entry.updated else None,
        "dcat:landingPage": _absolute(request, reverse("layers:catalogue") + f"#{entry.slug}"),
        "dcat:distribution": distributions,
        "geoportal:featureCount": entry.count,
        "dct:language": lang,
    }
    if entry.extent:
        w, s, e, n = entry.extent
        data["dct:spatial"] = {"@type": "dct:Location", "dcat:bbox": {
            "@type": "http://www.opengis.net/ont/geosparql#wktLiteral",
            "@value": f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"}}
    return data


CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
           "foaf": "http://xmlns.com/foaf/0.1/", "geoportal": "urn:geoportal:"}


def _jsonld(payload: dict) -> JsonResponse:
    response = JsonResponse(payload, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def catalogue_page(request):
    return render(request, "layers/catalogue.html", {"entries": published_layers(), "formats": EXPORT_FORMATS})


@require_safe
def catalogue_jsonld(request):
    return _jsonld({"@context": CONTEXT, "@type": "dcat:Catalog",
                    "@id": _absolute(request, reverse("layers:catalogue-jsonld")),
                    "dct:title": "Dữ liệu mở môi trường thành phố Hải Phòng",
                    "dcat:dataset": [dataset_jsonld(request, e) for e in published_layers()]})


@require_safe
def dataset_jsonld_view(request, slug: str):
    entry = next((e for e in published_layers() if e.slug == slug), None)
    if entry is None:
        raise Http404
    return _jsonld({"@context": CONTEXT, **dataset_jsonld(request, entry)})
