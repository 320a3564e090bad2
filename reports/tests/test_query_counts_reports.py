"""List pages and endpoints of the reports answer in a fixed number of queries,
however many reports there are (no N+1)."""
from __future__ import annotations

import pytest

from reports.tests.factories import ReportFactory, build_report_world, received
from tests.layer_factories import FacilityFactory


@pytest.fixture
def many(world):
    rw = build_report_world(world)
    for _ in range(15):
        facility = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a, zone=rw.zone)
        received(ReportFactory(facility=facility))
    return rw


@pytest.mark.parametrize("role,url,limit", [
    ("dept_officer", "/api/v1/reports/", 8),
    ("dept_officer", "/officer/reports/", 16),
    ("ez_officer", "/officer/reports/?state=late", 16),
    ("enterprise_user", "/portal/", 16),
    ("enterprise_user", "/api/v1/reports/", 8),
])
def test_list_query_counts(world, many, client, django_assert_max_num_queries, role, url, limit):
    client.force_login(world.users[role])
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(limit):
        r = client.get(url)
    assert r.status_code == 200
