"""Permit and inspection forms: VN-2000 outfalls converted by PROJ, errors per field,
nothing half-saved, scope enforced."""
from decimal import Decimal

import pytest

from geoportal.core import crs
from layers.models import DischargeStream, Inspection, Permit, Remedy
from tests.layer_factories import FacilityFactory


def management(prefix, total=1):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def facility(world):
    return FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a)


def permit_post(**stream):
    data = {"number": "123", "symbol": "GPMT-UBND", "signed_on": "2024-03-12", "term_years": "7", "kind": "new",
            **management("streams"), **management("trials", 0)}
    data.update({f"streams-0-{k}": v for k, v in stream.items()})
    return data


def test_new_permit_with_a_vn2000_outfall(world, client, facility):
    n, e = crs.wgs84_to_vn2000(106.7745, 20.8268)  # Đình Vũ, EPSG:9210
    client.force_login(world.users["dept_officer"])
    r = client.post(f"/facilities/{facility.pk}/permits/new/", permit_post(
        kind="wastewater", code="NT1", max_flow="1.949", flow_unit="m³/ngày đêm", regulation="QCVN 40:2011/BTNMT",
        regulation_column="B", outfall_source_srid="9210", outfall_source_x=f"{n:.3f}", outfall_source_y=f"{e:.3f}"))
    assert r.status_code == 302, r.content.decode()[:3000]
    permit = Permit.objects.get(number="123")
    assert permit.hazardous_waste_kg_year is None
    stream = DischargeStream.objects.get(permit=permit)
    assert abs(stream.outfall.x - 106.7745) < 1e-6 and abs(stream.outfall.y - 20.8268) < 1e-6
    assert stream.outfall_source_srid == 9210 and stream.max_flow == Decimal("1949")  # Vietnamese "1.949"


def test_swapped_outfall_coordinates_are_a_field_error_and_nothing_is_saved(world, client, facility):
    n, e = crs.wgs84_to_vn2000(106.7745, 20.8268)
    client.force_login(world.users["dept_officer"])
    r = client.post(f"/facilities/{facility.pk}/permits/new/", permit_post(
        kind="wastewater", outfall_source_srid="9210", outfall_source_x=f"{e:.3f}", outfall_source_y=f"{n:.3f}"))
    assert r.status_code == 400
    assert "X" in r.content.decode() and not Permit.objects.exists()


def test_permit_form_out_of_scope_is_404(world, client, facility):
    client.force_login(world.users["enterprise_b_user"])
    assert client.get(f"/facilities/{facility.pk}/permits/new/").status_code == 404
    assert client.post(f"/facilities/{facility.pk}/permits/new/", permit_post()).status_code == 404


def test_reissue_through_the_form_supersedes(world, client, facility):
    client.force_login(world.users["dept_officer"])
    client.post(f"/facilities/{facility.pk}/permits/new/", permit_post())
    old = Permit.objects.get()
    r = client.post(f"/permits/{old.pk}/reissue/", {**permit_post(), "number": "456", "signed_on": "2026-01-05"})
    assert r.status_code == 302
    new = Permit.objects.get(number="456")
    assert new.supersedes == old and old.state().status == "superseded"


def test_inspection_with_remedies(world, client, facility):
    client.force_login(world.users["commune_officer"])
    data = {"inspected_on": "2026-05-04", "authority": "UBND phường", "kind": "periodic",
            **management("remedies", 2),
            "remedies-0-description": "Nạo vét hố ga", "remedies-0-status": "open",
            "remedies-1-description": "Đã lắp đồng hồ", "remedies-1-status": "done"}  # done without a date
    r = client.post(f"/facilities/{facility.pk}/inspections/new/", data)
    assert r.status_code == 400 and not Inspection.objects.exists()
    data["remedies-1-completed_on"] = "2026-06-01"
    r = client.post(f"/facilities/{facility.pk}/inspections/new/", data)
    assert r.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.approval_status == "awaiting"  # a commune's entry waits for its chairman
    assert Remedy.objects.filter(inspection=inspection).count() == 2
