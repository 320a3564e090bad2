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
    return model.objects.create(name=f"{slug} {'A' if mine else 'B'}", geom=geom, admin_unit=unit,
                                approval_status=ApprovalStatus.APPROVED, **extra)


def expected(role: str, slug: str) -> tuple[int, int]:
    """(status for the entry in A, status for the entry in B)."""
    if role in ("dept_admin", "dept_officer", "connection"):
        return 200, 200
    if role in ("commune_officer", "commune_chairman"):
        return 200, 404
    if role == "enterprise_user":
        return (200, 404) if slug == "facilities" else (404, 404)
    if role == "ez_officer":
        return (200, 404) if slug == "zones" else (404, 404)
    return 404, 404


CASES = [(role, slug) for slug in LAYERS for role in ROLES]


@pytest.mark.parametrize("role,slug", CASES)
def test_layer_page_and_api_detail(world, client, role, slug):
    a, b = make(world, slug, world.unit_a, mine=True), make(world, slug, world.unit_b, mine=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    want_a, want_b = expected(role, slug)
    assert client.get(f"/{slug}/{a.pk}/").status_code == want_a
    assert client.get(f"/{slug}/{b.pk}/").status_code == want_b
    assert client.get(f"/api/v1/{slug}/{a.pk}/").status_code == want_a
    assert client.get(f"/api/v1/{slug}/{b.pk}/").status_code == want_b
    listed = {f["id"] for f in client.get(f"/api/v1/{slug}/").json()["results"]}
    assert listed == {o.pk for o, want in ((a, want_a), (b, want_b)) if want == 200}
    page = client.get(f"/layers/{slug}/")
    assert page.status_code == (302 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_workflow_pages_by_role(world, client, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    for url in ("/approvals/", "/monthly/", "/permits/", "/inspections/"):
        r = client.get(url)
        assert r.status_code == (302 if role == "anonymous" else 200), url
