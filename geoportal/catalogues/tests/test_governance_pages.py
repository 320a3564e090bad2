"""Catalogue pages: officers read, the department admin edits; each edit shows in the history."""
from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from geoportal.audit.models import AuditEvent
from geoportal.catalogues.models import Catalogue, CatalogueEntry, Revision
from geoportal.catalogues.registry import get_managed
from geoportal.catalogues.services import catalogue_entry_upsert, managed_update
from monitoring.models import Parameter, Unit
from reports.tests.factories import FormDefinitionFactory, ReportFactory, received
from tests.test_permission_matrix import ROLES

pytestmark = pytest.mark.django_db

READERS = {"dept_admin", "dept_officer", "ez_officer", "commune_officer", "commune_chairman"}


def login(client, world, role: str):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def sectors(world):
    cat = Catalogue.objects.create(code="sectors", name_vi="Loại hình sản xuất", name_en="Sectors")
    thep = catalogue_entry_upsert(actor=None, catalogue=cat, code="thep", values={"name_vi": "Thép"})
    catalogue_entry_upsert(actor=None, catalogue=cat, code="giay", values={"name_vi": "Giấy"})
    return cat, thep


def expected_read(role: str) -> int:
    return 302 if role == "anonymous" else 200 if role in READERS else 403


def expected_write(role: str) -> int:
    return 302 if role == "anonymous" else 200 if role == "dept_admin" else 403


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_pages_by_role(world, client, sectors, role):
    """Officers read (200), only the admin opens the edit pages; enterprise and connection 403;
    anonymous to the login page."""
    _, thep = sectors
    c = login(client, world, role)
    for url in ("/catalogues/", "/catalogues/sectors/", f"/catalogues/sectors/{thep.pk}/history/"):
        r = c.get(url)
        assert r.status_code == expected_read(role), url
        if role == "anonymous":
            assert r["Location"].startswith(reverse("login"))
    for url in ("/catalogues/sectors/new/", f"/catalogues/sectors/{thep.pk}/edit/"):
        assert c.get(url).status_code == expected_write(role), url
    r = c.post(f"/catalogues/sectors/{thep.pk}/edit/", {"code": "thep", "name_vi": "Thép (sửa)", "sort_order": 1})
    assert r.status_code == {200: 302}.get(expected_write(role), expected_write(role))
    r = c.post(f"/catalogues/sectors/{thep.pk}/deactivate/", {"comment": "x"})
    assert r.status_code == {200: 302}.get(expected_write(role), expected_write(role))
    thep.refresh_from_db()
    edited = role == "dept_admin"
    assert (thep.name_vi == "Thép (sửa)", thep.is_active) == (edited, not edited)


@pytest.mark.parametrize("role", ["dept_admin", "dept_officer"])
def test_unknown_catalogue_or_row_is_404(world, client, sectors, role):
    c = login(client, world, role)
    assert c.get("/catalogues/nope/").status_code == 404
    assert c.get("/catalogues/sectors/999999/history/").status_code == 404
    unit = Unit.objects.create(code="cd")
    # a row of another catalogue (a Unit's id under sectors) is absent
    assert c.get(f"/catalogues/sectors/{unit.pk + 10**6}/history/").status_code == 404


def test_form_versions_are_not_created_in_the_ui(world, client):
    c = login(client, world, "dept_admin")
    assert c.get("/catalogues/form-versions/new/").status_code == 404


def test_edit_through_the_page_is_versioned_audited_and_shown_in_the_history(world, client, sectors):
    _, thep = sectors
    c = login(client, world, "dept_admin")
    r = c.post(f"/catalogues/sectors/{thep.pk}/edit/", {
        "code": "thep", "name_vi": "Luyện kim, sản xuất thép", "name_en": "Steel", "sort_order": 3,
        "valid_from": "", "valid_to": "", "note": "", "comment": "theo Phụ lục II"})
    assert r.status_code == 302 and r["Location"] == f"/catalogues/sectors/{thep.pk}/history/"
    ct = ContentType.objects.get_for_model(CatalogueEntry)
    rev = Revision.objects.get(content_type=ct, object_id=str(thep.pk), version=2)
    assert rev.changes == {"name_vi": ["Thép", "Luyện kim, sản xuất thép"], "name_en": ["", "Steel"],
                           "sort_order": [0, 3]}
    assert rev.actor == world.users["dept_admin"] and rev.comment == "theo Phụ lục II"
    assert AuditEvent.objects.get(pk=rev.audit_event_id).action == "catalogue.update"

    page = english(c).get(r["Location"]).content.decode()
    assert page.count('data-testid="revision"') == 2
    assert 'data-version="2"' in page and 'data-version="1"' in page
    assert "Luyện kim, sản xuất thép" in page and "theo Phụ lục II" in page
    assert "admin_t" in page  # the actor


def test_history_shows_related_rows_and_choices_by_name(world, client):
    admin = world.users["dept_admin"]
    old, new = Unit.objects.create(code="mg/L"), Unit.objects.create(code="µg/L")
    param = Parameter.objects.create(code="As", name_vi="Asen", medium="wastewater", unit=old)
    managed_update(actor=admin, catalogue=get_managed("parameters"), obj=param, data={"unit": new, "medium": "water", "aliases": ["As", "Arsenic"]})
    page = english(login(client, world, "dept_officer")).get(f"/catalogues/parameters/{param.pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>mg/L</td><td>µg/L</td>" in html  # the units by code, not their ids
    assert "Canonical unit" in html
    assert "<td>Wastewater</td><td>Surface, ground or sea water</td>" in html  # choices by label
    assert "<td>–</td><td>As, Arsenic</td>" in html  # lists as text


def test_invalid_input_is_a_form_error_in_the_users_language(world, client, sectors):
    """A required field left empty: 400 with the error in Vietnamese (the default language)."""
    _, thep = sectors
    c = login(client, world, "dept_admin")
    r = c.post(f"/catalogues/sectors/{thep.pk}/edit/", {"code": "thep", "name_vi": "", "sort_order": "x"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Trường này là bắt buộc." in html and "Hãy nhập số nguyên." in html
    thep.refresh_from_db()
    assert thep.name_vi == "Thép"
    assert Revision.objects.filter(object_id=str(thep.pk), content_type__model="catalogueentry").count() == 1


def test_validity_dates_in_the_wrong_order_are_a_form_error(world, client, sectors):
    _, thep = sectors
    c = english(login(client, world, "dept_admin"))
    r = c.post(f"/catalogues/sectors/{thep.pk}/edit/", {"code": "thep", "name_vi": "Thép", "sort_order": 0,
                                                        "valid_from": "2025-07-01", "valid_to": "2025-01-01"})
    assert r.status_code == 400
    assert "The end date comes before the start date." in r.content.decode()


def test_new_row_through_the_page(world, client, sectors):
    cat, _ = sectors
    c = login(client, world, "dept_admin")
    r = c.post("/catalogues/sectors/new/", {"code": "xi_mang", "name_vi": "Xi măng", "sort_order": 2})
    entry = CatalogueEntry.objects.get(catalogue=cat, code="xi_mang")
    assert r.status_code == 302
    (rev,) = Revision.objects.filter(content_type__model="catalogueentry", object_id=str(entry.pk))
    assert rev.version == 1 and rev.data["code"] == "xi_mang" and rev.data["catalogue_id"] == cat.pk
    # the same code again: the model's uniqueness, as a form error
    r = c.post("/catalogues/sectors/new/", {"code": "xi_mang", "name_vi": "Trùng", "sort_order": 2})
    assert r.status_code == 400 and CatalogueEntry.objects.filter(catalogue=cat, code="xi_mang").count() == 1


def test_code_is_fixed_on_edit(world, client, sectors):
    _, thep = sectors
    c = login(client, world, "dept_admin")
    r = c.post(f"/catalogues/sectors/{thep.pk}/edit/", {"code": "khac", "name_vi": "Thép", "sort_order": 0})
    thep.refresh_from_db()
    assert thep.code == "thep"  # a disabled field keeps its value whatever is posted
    assert r.status_code == 302


def test_form_version_with_submissions_is_a_form_error_not_a_500(world, client):
    from tests.layer_factories import FacilityFactory

    form = FormDefinitionFactory(version="page-submitted")
    received(ReportFactory(form=form, facility=FacilityFactory(owner_organisation=world.enterprise_a)))
    c = english(login(client, world, "dept_admin"))
    assert "already has submitted reports" in c.get(f"/catalogues/form-versions/{form.pk}/edit/").content.decode()
    r = c.post(f"/catalogues/form-versions/{form.pk}/edit/", {
        "title_vi": "Mẫu thử", "title_en": "", "legal_basis": "test", "effective_from": "2022-01-01",
        "effective_to": "", "deadline_month": 1, "deadline_day": 20})
    assert r.status_code == 400 and "already has submitted reports" in r.content.decode()
    form.refresh_from_db()
    assert form.deadline_day == 15


def test_form_deadline_that_is_no_real_date_is_a_form_error(world, client):
    form = FormDefinitionFactory(version="page-deadline")
    c = english(login(client, world, "dept_admin"))
    data = {"title_vi": "Mẫu thử", "title_en": "", "legal_basis": "test", "effective_from": "2022-01-01",
            "effective_to": "", "deadline_month": 2, "deadline_day": 30}
    r = c.post(f"/catalogues/form-versions/{form.pk}/edit/", data)
    assert r.status_code == 400 and "Day 30 of month 2 is not a date of every year." in r.content.decode()
    r = c.post(f"/catalogues/form-versions/{form.pk}/edit/", {**data, "deadline_day": 28})
    assert r.status_code == 302
    form.refresh_from_db()
    assert form.due_before(2025) == dt.date(2026, 2, 28)


def test_search_and_pagination(world, client):
    cat = Catalogue.objects.create(code="ctnh_codes", name_vi="Mã CTNH")
    for i in range(60):
        CatalogueEntry.objects.create(catalogue=cat, code=f"18 02 {i:02d}", name_vi=f"Chất thải {i}", sort_order=i)
    c = login(client, world, "dept_officer")
    page1 = c.get("/catalogues/ctnh_codes/").content.decode()
    assert page1.count("data-pk=") == 50 and "?page=2" in page1
    assert c.get("/catalogues/ctnh_codes/?page=2").content.decode().count("data-pk=") == 10
    found = c.get("/catalogues/ctnh_codes/?q=18 02 07").content.decode()
    assert found.count("data-pk=") == 1 and "Chất thải 7" in found
    assert "Edit" not in english(c).get("/catalogues/ctnh_codes/").content.decode()  # read-only for officers


def test_index_lists_the_managed_catalogues_with_counts(world, client, sectors):
    Unit.objects.create(code="ppm")
    Unit.objects.create(code="ppb")
    html = login(client, world, "dept_officer").get("/catalogues/").content.decode()
    for key in ("units", "parameters", "limit-sets", "limit-values", "form-versions", "sectors"):
        assert f'data-key="{key}"' in html
    units_row = html.split('data-key="units"')[1].split("</tr>")[0]
    assert f"<td>{Unit.objects.count()}</td>" in units_row
    sectors_row = html.split('data-key="sectors"')[1].split("</tr>")[0]
    assert "<td>2</td>" in sectors_row


def test_list_pages_have_bounded_query_counts(world, client, django_assert_max_num_queries):
    """The number of queries does not grow with the rows (related rows, versions: joined or annotated)."""
    admin = world.users["dept_admin"]
    c = login(client, world, "dept_admin")
    unit = Unit.objects.create(code="mg/Nm3")

    def add_parameters(n, start):
        for i in range(start, start + n):
            p = Parameter.objects.create(code=f"X{i}", name_vi=f"Thông số {i}", medium="emission",
                                         unit=Unit.objects.create(code=f"u{i}"))
            managed_update(actor=admin, catalogue=get_managed("parameters"), obj=p, data={"unit": unit})

    add_parameters(3, 0)
    with django_assert_max_num_queries(12) as few:
        assert c.get("/catalogues/parameters/").status_code == 200
    add_parameters(20, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get("/catalogues/parameters/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get("/catalogues/").status_code == 200
    p = Parameter.objects.get(code="X0")
    for n in range(5):
        managed_update(actor=admin, catalogue=get_managed("parameters"), obj=p,
                       data={"unit": Unit.objects.create(code=f"v{n}")})
    with django_assert_max_num_queries(12):
        assert c.get(f"/catalogues/parameters/{p.pk}/history/").status_code == 200
