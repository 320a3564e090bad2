"""The reports API: live validation, draft saving and submission, with problem bodies."""
from __future__ import annotations

import pytest

from reports.choices import ReportStatus
from reports.tests.factories import build_report_world
from reports.tests.test_workflow import _fill_render_sign, _open


@pytest.fixture
def rw(world):
    from reports.formdefs import load_form_definitions

    load_form_definitions()
    return build_report_world(world)


def _as(api_client, world, role):
    if role != "anonymous":
        api_client.force_authenticate(world.users[role])
    return api_client


@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("enterprise_user", 200), ("enterprise_b_user", 404),
                                           ("dept_officer", 404), ("commune_officer", 404), ("connection", 404)])
def test_validate_is_for_the_filer_only(world, rw, api_client, role, expected):
    body = {"data": {"fields": {"facility_name": ""}, "tables": {"hazardous_waste": [
        {"waste_name": "Bùn", "quantity_kg": "12x"}]}}}
    r = _as(api_client, world, role).post(f"/api/v1/reports/{rw.draft_a.pk}/validate/", body, format="json")
    assert r.status_code == expected
    if expected == 200:
        out = r.json()
        assert out["valid"] is False
        assert "tables.hazardous_waste.0.quantity_kg" in out["errors"]
        assert "fields.facility_name" in out["errors"]
        rw.draft_a.refresh_from_db()
        assert rw.draft_a.data["fields"]["facility_name"] == "Cơ sở thử"  # validation never saves


def test_save_draft_keeps_what_was_typed_and_reports_errors(world, rw, api_client):
    c = _as(api_client, world, "enterprise_user")
    r = c.put(f"/api/v1/reports/{rw.draft_a.pk}/data/", {"data": {"fields": {"facility_name": "Mới"}, "tables": {
        "hazardous_waste": [{"waste_name": "Bùn", "quantity_kg": "1.234,5"}, {"waste_name": "Dầu", "quantity_kg": "abc"}]}}},
        format="json")
    assert r.status_code == 200, r.content.decode()
    rw.draft_a.refresh_from_db()
    rows = rw.draft_a.data["tables"]["hazardous_waste"]
    assert rows[0]["quantity_kg"] == "1234.5" and rows[1]["quantity_kg"] == "abc"
    assert "tables.hazardous_waste.1.quantity_kg" in r.json()["errors"]


@pytest.mark.parametrize("body", [{"data": "x"}, {"nodata": {}}, [1, 2]])
def test_malformed_bodies_are_400_problems(world, rw, api_client, body):
    r = _as(api_client, world, "enterprise_user").put(f"/api/v1/reports/{rw.draft_a.pk}/data/", body, format="json")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("application/problem+json") and r.json()["code"] == "validation_error"


def test_submitted_report_cannot_be_saved(world, rw, api_client):
    r = _as(api_client, world, "enterprise_user").put(f"/api/v1/reports/{rw.report_a.pk}/data/",
                                                       {"data": {"fields": {}}}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_submit_api(world, rw, api_client, client):
    report = _open(client, world, rw)
    c = _as(api_client, world, "enterprise_user")
    assert c.post(f"/api/v1/reports/{report.pk}/submit/", {}, format="multipart").status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(f"/api/v1/reports/{report.pk}/submit/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 nothing")},
               format="multipart")
    assert r.status_code == 400 and "non_field_errors" in r.json()["errors"]  # nothing rendered to sign yet
    signed = _fill_render_sign(client, report)
    r = c.post(f"/api/v1/reports/{report.pk}/submit/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 nothing")},
               format="multipart")
    assert r.status_code == 400 and r.json()["errors"]["code"] == ["not_pdf"], r.content.decode()
    other = _as(api_client.__class__(), world, "enterprise_b_user")
    assert other.post(f"/api/v1/reports/{report.pk}/submit/", {"file": SimpleUploadedFile("a.pdf", signed)},
                      format="multipart").status_code == 404
    r = c.post(f"/api/v1/reports/{report.pk}/submit/", {"file": SimpleUploadedFile("a.pdf", signed)},
               format="multipart")
    assert r.status_code == 201, r.content
    assert r.json()["revision"] == 1 and r.json()["verification"]["code"] == "ok"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # the same file again answers with the same copy of record
    again = c.post(f"/api/v1/reports/{report.pk}/submit/", {"file": SimpleUploadedFile("a.pdf", signed)},
                   format="multipart")
    assert again.status_code == 201 and again.json()["id"] == r.json()["id"]
