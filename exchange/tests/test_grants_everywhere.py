"""A grant holds in every output: a connection account's token, or any token with grants, is
served only by the views that apply grants (the exchange API, and /api/v1/me/). Every other API
route refuses it, so no register, OGC API or EDR view can hand out a field outside the grant."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from geoportal.accounts.services import token_create

PREFIXES = ("api/v1/", "ogcapi/", "edr/", "tiles/", "exports/")
SAMPLE = {"int": "1", "str": "facilities", "slug": "facilities", "path": "x"}


def _routes() -> list[str]:
    """Every URL under the API prefixes, converters filled with sample values."""
    found: list[str] = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.append(route)

    walk(get_resolver().url_patterns)
    urls = []
    for route in found:
        if not route.startswith(PREFIXES) or "(?P<format>" in route:
            continue
        # Router routes are regular expressions: "^facilities/(?P<pk>[^/.]+)/$".
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace("^", "").replace("$", "").replace("\\", "")
        url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), route)
        urls.append("/" + url)
    # Routes whose sample value above names nothing: the stations collection of EDR.
    urls += ["/edr/collections/stations/locations", "/edr/collections/stations/locations/ST-A",
             "/edr/collections/stations/position?coords=POINT(106.7 20.85)"]
    return sorted(set(urls))


def _comparable(response):
    """The body without what differs from one request to the next (request id, time stamps)."""
    if "json" not in response.get("Content-Type", ""):
        return response.content
    body = response.json()
    if isinstance(body, dict):
        for key in ("request_id", "timeStamp"):
            body.pop(key, None)
    return body


@pytest.fixture
def tokens(world):
    admin = world.users["dept_admin"]
    expires = timezone.now() + timedelta(days=30)
    _t1, agency = token_create(actor=admin, user=world.users["connection"], name="agency", expires_at=expires,
                               grants={"zones": ["name"]})
    _t2, officer = token_create(actor=admin, user=world.users["dept_officer"], name="officer script",
                                expires_at=expires, grants={"facilities": ["name"]})
    _t3, ungranted = token_create(actor=admin, user=world.users["connection"], name="no grant", expires_at=expires)
    return {"agency": agency, "officer": officer, "ungranted": ungranted}


def test_the_walk_covers_the_apis():
    urls = _routes()
    assert "/api/v1/facilities/" in urls and "/api/v1/exchange/facilities/" in urls
    assert any(u.startswith("/ogcapi/collections/") for u in urls) and any(u.startswith("/edr/") for u in urls)


@pytest.mark.parametrize("who", ["agency", "officer", "ungranted"])
def test_restricted_tokens_open_only_the_exchange_api(db, client, tokens, who):
    served = []
    for url in _routes():
        if url.startswith("/api/v1/monitoring/stations/"):
            continue  # the datalogger push: station tokens only (a user's token is a 401 there)
        r = client.get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
        if r.status_code == 403 and r.get("Content-Type", "").startswith("application/problem+json"):
            assert r.json()["code"] == "token_restricted", (url, r.content[:200])
            continue
        # Not refused: a view that applies grants, or one that ignores tokens (served as to
        # the public): then the answer is the anonymous one.
        anonymous = client.get(url)
        if url.startswith(("/api/v1/exchange/", "/api/v1/me/")):
            served.append(url)
            continue
        assert r.status_code == anonymous.status_code, url
        assert _comparable(r) == _comparable(anonymous), url
    assert "/api/v1/me/" in served


def test_a_connection_accounts_session_reads_only_what_the_public_reads(world, client):
    from tests.layer_factories import FacilityFactory

    FacilityFactory(admin_unit=world.unit_a)  # approved, in a layer that is not published
    client.force_login(world.users["connection"])
    assert client.get("/api/v1/facilities/").json()["count"] == 0
