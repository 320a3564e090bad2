"""Permission matrix for every layer: each role against an entry in commune A (in the
commune officer's scope; owned by enterprise A; a zone managed by the EZ board) and
one in commune B. Pages and API detail answer 200 in scope and 404 out of scope."""
import pytest
from django.contrib.gis.geos import MultiPolygon, Point

from layers.choices import ApprovalStatus
from layers.registry import LAYERS

ROLES = ["anonymous", "dept_admin", "dept_officer", "ez_officer", "commune_officer", "commune_chairman",
         "enterprise_user", "connection"]
REQUIRED = {
    "zones": {"kind": "kcn"}, "protected-areas": {"category": "national_park"},
    "degraded-areas": {"kind": "polluted"}, "incidents": {"occurred_on": "2025-01-01"},
    "waste-facilities": {"kind": "landfill"}, "water-areas": {"kind": "coastal"},
    "stations": {"kind": "ambient_air"},  # a city-network station (monitoring registers the layer)
}


def make(world, slug, unit, *, mine: bool):
    model = LAYERS[slug].model
    p = unit.geom.point_on_surface
    geom_type = model._meta.get_field("geom").geom_type
    geom = Point(p.x, p.y, srid=4326) if geom_type == "POINT" else MultiPolygon(p.buffer(0.001), srid=4326)
    extra = dict(REQUIRED.get(slug, {}))
    if slug == "facilities":
        extra["owner_organisation"] = world.enterprise_a if mine else world.enterprise_b
    if slug == "zones":
        extra["managing_board"] = world.ez_board if mine else None
    if slug == "stations":
        extra["code"] = f"ST-{'A' if mine else 'B'}"
    return model.objects.create(name=f"{slug} {'A' if mine else 'B'}", geom=geom, admin_unit=unit,
                                approval_status=ApprovalStatus.APPROVED, **extra)


def expected(role: str, slug: str) -> tuple[int, int]:
    """(status for the entry in A, status for the entry in B)."""
    if role in ("dept_admin", "dept_officer"):
        return 200, 200
    if role in ("commune_officer", "commune_chairman"):
        return 200, 404
    if role == "enterprise_user":
        return (200, 404) if slug == "facilities" else (404, 404)
    if role == "ez_officer":
        return (200, 404) if slug == "zones" else (404, 404)
    return 404, 404


CASES = [(role, slug, published) for slug in LAYERS for role in ROLES for published in (False, True)]


def set_public(slug: str, public: bool) -> None:
    from django.core.cache import cache

    from layers.models import LayerPublication

    LayerPublication.objects.update_or_create(layer=slug, defaults={"is_public": public, "title_vi": slug})
    cache.clear()


@pytest.mark.parametrize("role,slug,published", CASES)
def test_layer_page_and_api_detail(world, client, role, slug, published):
    """Pages: the scope, plus every approved entry when the layer is published. The
    register API: the scope only (published data goes through the OGC API)."""
    set_public(slug, published)
    a, b = make(world, slug, world.unit_a, mine=True), make(world, slug, world.unit_b, mine=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    want_a, want_b = expected(role, slug)
    page_a, page_b = (200, 200) if published else (want_a, want_b)
    assert client.get(f"/{slug}/{a.pk}/").status_code == page_a
    assert client.get(f"/{slug}/{b.pk}/").status_code == page_b
    assert client.get(f"/api/v1/{slug}/{a.pk}/").status_code == want_a
    assert client.get(f"/api/v1/{slug}/{b.pk}/").status_code == want_b
    listed = {f["id"] for f in client.get(f"/api/v1/{slug}/").json()["results"]}
    assert listed == {o.pk for o, want in ((a, want_a), (b, want_b)) if want == 200}
    page = client.get(f"/layers/{slug}/")
    assert page.status_code == (302 if role == "anonymous" else 200)


def test_published_page_shows_public_fields_only(world, client):
    set_public("facilities", True)
    f = make(world, "facilities", world.unit_a, mine=True)
    f.tax_code, f.contact_phone, f.address = "0211111111", "0225 123 4567", "Số 1 đường Demo"
    f.save()
    public = client.get(f"/facilities/{f.pk}/").content.decode()
    assert "Số 1 đường Demo" in public  # address is a public field
    assert "0211111111" not in public and "0225 123 4567" not in public
    client.force_login(world.users["enterprise_user"])  # the owner sees everything
    own = client.get(f"/facilities/{f.pk}/").content.decode()
    assert "0211111111" in own and "0225 123 4567" in own


def test_unapproved_entries_are_never_published(world, client):
    set_public("craft-villages", True)
    v = make(world, "craft-villages", world.unit_a, mine=True)
    v.approval_status = ApprovalStatus.AWAITING
    v.save()
    assert client.get(f"/craft-villages/{v.pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_workflow_pages_by_role(world, client, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    for url in ("/approvals/", "/monthly/", "/permits/", "/inspections/"):
        r = client.get(url)
        assert r.status_code == (302 if role == "anonymous" else 200), url
