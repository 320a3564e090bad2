"""List pages and API lists run a constant number of queries, whatever the row count."""
import pytest
from django.db import transaction

from geoportal.audit.services import audit_record
from tests.factories import EnterpriseFactory, UserFactory


@pytest.fixture
def many(world):
    for _i in range(30):
        org = EnterpriseFactory(admin_unit=world.unit_a)
        UserFactory(organisation=org, roles=["enterprise_user"], last_reviewed_by=world.users["dept_officer"])
    with transaction.atomic():
        for _i in range(30):
            audit_record(actor=world.users["dept_admin"], action="test.bulk", obj=world.enterprise_a)
    return world


@pytest.mark.parametrize("url,max_queries", [
    ("/api/v1/organisations/", 8),
    ("/api/v1/users/", 8),
    ("/api/v1/audit-events/", 8),
    ("/api/v1/administrative-units/", 8),
    ("/api/v1/administrative-units.geojson", 8),
    ("/organisations/", 10),
    ("/accounts/users/", 10),
    ("/audit/", 10),
])
def test_list_query_count_is_bounded(many, client, django_assert_max_num_queries, url, max_queries):
    client.force_login(many.users["dept_admin"])
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(max_queries):
        r = client.get(url)
    assert r.status_code == 200
