"""Report pages beyond the matrix: opening, the spreadsheet round trip, files by scope."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Report
from reports.tests.factories import build_report_world
from reports.tests.test_workflow import _fill_render_sign, _open


@pytest.fixture
def rw(world):
    from reports.formdefs import load_form_definitions

    load_form_definitions()
    return build_report_world(world)


def test_open_refuses_others(world, rw, client):
    client.force_login(world.users["enterprise_user"])
    assert client.post("/portal/reports/open/", {"facility": rw.facility_b.pk, "year": 2025}).status_code == 404
    r = client.post("/portal/reports/open/", {"facility": rw.facility_a.pk, "year": 1999})
    assert r.status_code == 302 and r["Location"] == "/portal/"
    client.force_login(world.users["dept_officer"])
    assert client.post("/portal/reports/open/", {"facility": rw.facility_a.pk, "year": 2025}).status_code == 403
    assert not Report.objects.filter(year=1999).exists()


def test_exempt_facility_is_told_it_need_not_report(world, rw, client):
    from tests.layer_factories import FacilityFactory

    exempt = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a, permit_class="exempt",
                             name="Cửa hàng miễn trừ")
    client.force_login(world.users["enterprise_user"])
    page = client.get("/portal/").content.decode()
    assert "Cửa hàng miễn trừ" in page and 'data-testid="exempt"' in page
    r = client.post("/portal/reports/open/", {"facility": exempt.pk, "year": 2025}, follow=True)
    assert "32" in r.content.decode() and not Report.objects.filter(facility=exempt).exists()


def test_portal_lists_due_reports_with_deadline(world, rw, client):
    client.force_login(world.users["enterprise_user"])
    page = client.get("/portal/").content.decode()
    assert rw.facility_a.name in page and rw.draft_facility_a.name in page
    assert rw.facility_b.name not in page


def test_spreadsheet_round_trip_through_the_pages(world, rw, client):
    report = _open(client, world, rw)
    xlsx = client.get(f"/reports/{report.pk}/template.xlsx")
    assert xlsx.status_code == 200
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    # one sheet per table: row 1 the labels, row 2 (hidden) the column keys, data from row 3
    sheet = next(ws for ws in book.worksheets
                 if {"ctnh_code", "quantity_kg"} <= {str(c.value) for c in ws[2]})
    columns = {str(c.value): c.column for c in sheet[2] if c.value}
    target = next(r for r in range(3, sheet.max_row + 2) if not sheet.cell(r, columns["waste_name"]).value)
    sheet.cell(target, columns["waste_name"], "Giẻ lau dính dầu")
    sheet.cell(target, columns["ctnh_code"], "18 02 01")
    sheet.cell(target, columns["quantity_kg"], "45,5")
    out = io.BytesIO()
    book.save(out)
    r = client.post(f"/reports/{report.pk}/import/", {"workbook": SimpleUploadedFile("mau.xlsx", out.getvalue())})
    assert r.status_code == 302
    report.refresh_from_db()
    assert {"waste_name": "Giẻ lau dính dầu", "quantity_kg": "45.5"}.items() <= \
        report.data["tables"]["hazardous_waste"][-1].items()


@pytest.mark.parametrize("name,content", [("x.xlsx", b"not a zip"), ("x.csv", b"a,b"), ("x.xlsx", b"")])
def test_bad_workbooks_are_messages_not_errors(world, rw, client, name, content):
    report = _open(client, world, rw)
    before = dict(report.data)
    r = client.post(f"/reports/{report.pk}/import/", {"workbook": SimpleUploadedFile(name, content)}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0].startswith(f"/reports/{report.pk}/edit/")
    assert list(r.context["messages"])
    report.refresh_from_db()
    assert report.data == before


def test_files_follow_scope(world, rw, client):
    from reports.services import workflow

    report = _open(client, world, rw)
    signed = _fill_render_sign(client, report)
    workflow.report_submit_signed(user=world.users["enterprise_user"], report=report, signed=signed)
    for role, expected in [("enterprise_user", 200), ("dept_officer", 200), ("enterprise_b_user", 404),
                           ("commune_b_officer", 404), ("connection", 404)]:
        client.force_login(world.users[role])
        for kind in ("signed", "receipt"):
            r = client.get(f"/reports/{report.pk}/r1/{kind}.pdf")
            assert r.status_code == expected, (role, kind)
            if expected == 200:
                assert b"".join(r.streaming_content).startswith(b"%PDF")
        # the rendered draft PDF is the filer's working copy only
        assert client.get(f"/reports/{report.pk}/rendered.pdf").status_code == (200 if role == "enterprise_user"
                                                                                  else 404)
    client.logout()
    assert client.get(f"/reports/{report.pk}/r1/receipt.pdf").status_code == 302


def test_facility_page_lists_its_reports_in_scope(world, rw, client):
    client.force_login(world.users["dept_officer"])
    page = client.get(f"/facilities/{rw.facility_a.pk}/").content.decode()
    assert 'data-testid="feature-reports"' in page and f"/reports/{rw.report_a.pk}/" in page
    # a draft is the enterprise's own: not on the officer's view of the facility page
    page = client.get(f"/facilities/{rw.draft_facility_a.pk}/").content.decode()
    assert f"/reports/{rw.draft_a.pk}/" not in page
    client.force_login(world.users["enterprise_user"])
    page = client.get(f"/facilities/{rw.draft_facility_a.pk}/").content.decode()
    assert f"/reports/{rw.draft_a.pk}/" in page


def test_officer_list_summary_and_filters(world, rw, client):
    client.force_login(world.users["dept_officer"])
    r = client.get("/officer/reports/?year=2025")
    summary = r.context["summary"]
    # three filing facilities in the world: two reports received, one draft (not received by officers)
    assert (summary["total"], summary["received"], summary["missing"], summary["awaiting"]) == (3, 2, 1, 2)
    # 2025 reports were due before 15/01/2026: the two received "now" (in the test) are late, and so is the draft
    assert summary["late"] == 3
    missing = client.get("/officer/reports/?year=2025&state=missing").context["object_list"]
    assert [f.pk for f in missing] == [rw.draft_facility_a.pk]
    commune_b = client.get(f"/officer/reports/?year=2025&commune={world.unit_b.pk}").context["object_list"]
    assert [f.pk for f in commune_b] == [rw.facility_b.pk]
    assert client.get("/officer/reports/?year=abc&state=nonsense").status_code == 200  # bad filters are ignored


def test_editor_shows_sections_in_the_users_language(world, rw, client):
    report = _open(client, world, rw)
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "THÔNG TIN CHUNG" in page and "{&#x27;en&#x27;" not in page and "{'en'" not in page
