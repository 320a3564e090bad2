"""Prefilling a new report from the register, the permit, inspections and last year's report."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from layers.choices import DischargeKind, FacilityStatus, OperatingFrequency, PermitClass, RemedyStatus
from layers.models import EnvironmentalRegistration, Inspection, Remedy
from layers.tests.factories import (
    DischargeStreamFactory,
    FacilityFactory,
    PermitFactory,
    ZoneFactory,
    issuing_authorities,
)
from reports import prefill
from reports.formdefs import load_form_definitions
from reports.prefill import permit_in_force, prefill_data
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms() -> dict:
    return {f.code: f for f in load_form_definitions()}


@pytest.fixture
def authorities() -> dict:
    return issuing_authorities()


@pytest.fixture
def steelworks(authorities):
    """A GPMT facility whose 2020 permit was replaced in 2023, with inspections."""
    facility = FacilityFactory(
        name="Công ty TNHH Thép Đình Vũ", address="Lô CN1, KCN Đình Vũ, phường Đông Hải",
        contact_phone="0225 3123 456", representative="Nguyễn Văn An", activity="Luyện thép",
        capacity="500.000 tấn/năm", operating_frequency=OperatingFrequency.SEASONAL, season_note="tháng 3 - tháng 10",
        business_registration="0201234567 do Sở Kế hoạch và Đầu tư cấp", tax_code="0201234567",
        iso14001_certificate="ISO 14001:2015 số VN-123", permit_class=PermitClass.GPMT)
    old = PermitFactory(facility=facility, number="12", symbol="GPMT-UBND", signed_on=dt.date(2020, 3, 1),
                        issuer=authorities["ubnd_tp"])
    new = PermitFactory(facility=facility, number="45", symbol="GPMT-UBND", signed_on=dt.date(2023, 5, 10),
                        issuer=authorities["ubnd_tp"], supersedes=old)
    DischargeStreamFactory(permit=old, code="NT1", kind=DischargeKind.WASTEWATER, max_flow=800, flow_unit="m³/day",
                           treatment_works="Trạm XLNT cũ")
    DischargeStreamFactory(permit=new, code="NT1", kind=DischargeKind.WASTEWATER, max_flow=1200,
                           flow_unit="m³/ngày đêm", treatment_works="Trạm xử lý nước thải sản xuất 1.200 m³/ngày đêm")
    DischargeStreamFactory(permit=new, code="NT2", kind=DischargeKind.WASTEWATER, max_flow=10, flow_unit="m³/h",
                           treatment_works="")
    DischargeStreamFactory(permit=new, code="KT1", kind=DischargeKind.EMISSIONS, max_flow=50000, flow_unit="m³/h",
                           treatment_works="Lọc bụi túi vải")
    DischargeStreamFactory(permit=new, code="KT2", kind=DischargeKind.EMISSIONS, max_flow=48000,
                           flow_unit="m³/ngày", treatment_works="Cyclone")
    DischargeStreamFactory(permit=new, code="ON1", kind=DischargeKind.NOISE, max_flow=None, flow_unit="")
    # Inspections: a 2023 one with a remedy done in 2023 (not reported in 2024) and one
    # still in progress; a 2024 one with an open remedy and one done in 2024.
    old_visit = Inspection.objects.create(facility=facility, inspected_on=dt.date(2023, 6, 1), authority="Sở NN&MT",
                                          decision_number="88/BB-STNMT")
    Remedy.objects.create(inspection=old_visit, description="Lắp biển báo kho CTNH", status=RemedyStatus.DONE,
                          completed_on=dt.date(2023, 7, 1))
    Remedy.objects.create(inspection=old_visit, description="Cải tạo hệ thống thu gom nước mưa",
                          status=RemedyStatus.IN_PROGRESS, follow_up="Đang thi công")
    visit = Inspection.objects.create(facility=facility, inspected_on=dt.date(2024, 4, 2), authority="Đoàn kiểm tra "
                                      "liên ngành")
    Remedy.objects.create(inspection=visit, description="Nạo vét hố ga", status=RemedyStatus.DONE,
                          completed_on=dt.date(2024, 8, 1), follow_up="Đã nạo vét")
    Remedy.objects.create(inspection=visit, description="Bổ sung quan trắc tự động", status=RemedyStatus.OPEN)
    # Someone else's inspection.
    other = Inspection.objects.create(facility=FacilityFactory(), inspected_on=dt.date(2024, 1, 1), authority="X")
    Remedy.objects.create(inspection=other, description="Không liên quan")
    return facility


LAST_YEAR = {
    "fields": {"facility_name": "Tên cũ"},
    "tables": {
        "products": [{"item": "Thép cuộn", "unit": "tấn", "reporting_year": "480000", "previous_year": "450000"},
                     {"item": "", "unit": "tấn"}],
        "consumption": [{"item": "Điện", "unit": "kWh", "reporting_year": "12500000.5"}],
        "wastewater_works": [{"works_name": "Theo báo cáo năm trước", "capacity_m3_day": "1000",
                              "volume_m3_year": "250000", "status": "Ổn định"}],
        "emission_works": [{"stack": "Ống khói lò nung", "source": "Lò nung", "treatment": "Tháp hấp thụ",
                            "flow_m3_h": "30000", "status": "Ổn định"}],
    },
}


def test_05a_from_the_register_the_permit_and_last_year(forms, steelworks):
    data = prefill_data(definition=forms["05.A"], year=2024, facility=steelworks, previous=LAST_YEAR)
    assert data["fields"] == {
        "facility_name": "Công ty TNHH Thép Đình Vũ",
        "address_phone": "Lô CN1, KCN Đình Vũ, phường Đông Hải; 0225 3123 456",
        "representative": "Nguyễn Văn An",
        "activity_scale_frequency": "Luyện thép; 500.000 tấn/năm; tần suất hoạt động: theo mùa vụ "
                                    "(tháng 3 - tháng 10)",
        "business_registration": "0201234567 do Sở Kế hoạch và Đầu tư cấp",
        "tax_code": "0201234567",
        "permit": "số 45/GPMT-UBND ngày 10/05/2023, Ủy ban nhân dân thành phố Hải Phòng",
        "iso14001": "ISO 14001:2015 số VN-123",
    }
    tables = data["tables"]
    # The permit's streams, flows in the column's unit (10 m³/h = 240 m³/day; 48 000 m³/day = 2 000 m³/h).
    assert tables["wastewater_works"] == [
        {"works_name": "Trạm xử lý nước thải sản xuất 1.200 m³/ngày đêm", "capacity_m3_day": "1200"},
        {"works_name": "NT2", "capacity_m3_day": "240"},
    ]
    assert tables["emission_works"] == [
        {"stack": "KT1", "treatment": "Lọc bụi túi vải", "flow_m3_h": "50000"},
        {"stack": "KT2", "treatment": "Cyclone", "flow_m3_h": "2000"},
    ]
    assert tables["products"] == [{"item": "Thép cuộn", "unit": "tấn", "previous_year": "480000"}]
    assert tables["consumption"] == [{"item": "Điện", "unit": "kWh", "previous_year": "12500000.5"}]
    assert tables["remedies"] == [
        {"inspection": "Sở NN&MT, số 88/BB-STNMT, ngày 01/06/2023", "requirement": "Cải tạo hệ thống thu gom nước mưa",
         "result": "Đang thi công"},
        {"inspection": "Đoàn kiểm tra liên ngành, ngày 02/04/2024", "requirement": "Nạo vét hố ga",
         "result": "Đã nạo vét", "completed_on": "2024-08-01"},
        {"inspection": "Đoàn kiểm tra liên ngành, ngày 02/04/2024", "requirement": "Bổ sung quan trắc tự động"},
    ]
    assert tables["hazardous_waste"] == [] and "wastewater_total_m3_year" not in data["fields"]


def test_a_past_year_uses_the_permit_in_force_then(forms, steelworks):
    """In 2022 the 2020 permit was in force; the 2023 one replaced it later."""
    data = prefill_data(definition=forms["05.A"], year=2022, facility=steelworks)
    assert data["fields"]["permit"] == "số 12/GPMT-UBND ngày 01/03/2020, Ủy ban nhân dân thành phố Hải Phòng"
    assert data["tables"]["wastewater_works"] == [{"works_name": "Trạm XLNT cũ", "capacity_m3_day": "800"}]
    assert permit_in_force(facility=steelworks, day=dt.date(2019, 12, 31)) is None


def test_a_revoked_permit_is_not_in_force(authorities):
    facility = FacilityFactory()
    PermitFactory(facility=facility, signed_on=dt.date(2021, 1, 1), revoked_on=dt.date(2023, 2, 1))
    assert permit_in_force(facility=facility, day=dt.date(2022, 12, 31)) is not None
    assert permit_in_force(facility=facility, day=dt.date(2023, 12, 31)) is None


def test_works_carry_over_from_last_year_without_a_permit(forms):
    facility = FacilityFactory(name="Xưởng nhỏ", operating_frequency=OperatingFrequency.REGULAR)
    data = prefill_data(definition=forms["05.A"], year=2024, facility=facility, previous=LAST_YEAR)
    # The design of the works, not last year's volumes or status.
    assert data["tables"]["wastewater_works"] == [{"works_name": "Theo báo cáo năm trước", "capacity_m3_day": "1000"}]
    assert data["tables"]["emission_works"] == [
        {"stack": "Ống khói lò nung", "source": "Lò nung", "treatment": "Tháp hấp thụ", "flow_m3_h": "30000"}]
    assert data["fields"]["activity_scale_frequency"] == "tần suất hoạt động: thường xuyên"
    assert "permit" not in data["fields"] and data["tables"]["remedies"] == []


def test_05b_uses_the_environmental_registration(forms, authorities):
    facility = FacilityFactory(name="Cơ sở ĐKMT", permit_class=PermitClass.DKMT, tax_code="0301234567")
    EnvironmentalRegistration.objects.create(facility=facility, number="07/ĐKMT", registered_on=dt.date(2023, 2, 1),
                                             received_by=authorities["ubnd_tp"])
    EnvironmentalRegistration.objects.create(facility=facility, number="99/ĐKMT", registered_on=dt.date(2025, 2, 1),
                                             received_by=authorities["ubnd_tp"])
    data = prefill_data(definition=forms["05.B"], year=2024, facility=facility)
    assert data["fields"]["permit"] == "số 07/ĐKMT ngày 01/02/2023, Ủy ban nhân dân thành phố Hải Phòng"
    assert data["fields"]["tax_code"] == "0301234567"
    assert "emission_works" not in data["tables"] and "remedies" not in data["tables"]


def test_06_from_the_zone_and_its_investor(forms, authorities):
    investor = EnterpriseFactory(name="Công ty CP Đầu tư KCN", address="Số 1 Đường A", phone="0225 999 888",
                                 tax_code="0209876543")
    zone = ZoneFactory(name="KCN Nam Đình Vũ", investor_organisation=investor, area_ha=Decimal("541.50"),
                       occupancy_pct=Decimal("87.25"), cwwtp_capacity_m3_day=Decimal("6000.0"),
                       established_by="Quyết định 123/QĐ-TTg")
    FacilityFactory(name="B Tenant", zone=zone, tax_code="0201111111", activity="May mặc")
    FacilityFactory(name="A Tenant", zone=zone, activity="Cơ khí")
    FacilityFactory(name="Closed Tenant", zone=zone, status=FacilityStatus.CLOSED)
    permit = PermitFactory(facility=None, zone=zone, number="3", symbol="GPMT-BTNMT", signed_on=dt.date(2022, 8, 8),
                           issuer=authorities["bo_tnmt"])
    DischargeStreamFactory(permit=permit, code="NT-TT", kind=DischargeKind.WASTEWATER, max_flow=6000,
                           treatment_works="Nhà máy XLNT tập trung")
    visit = Inspection.objects.create(zone=zone, inspected_on=dt.date(2024, 5, 5), authority="Bộ TN&MT")
    Remedy.objects.create(inspection=visit, description="Hoàn thiện hồ sự cố")
    data = prefill_data(definition=forms["06"], year=2024, zone=zone)
    assert data["fields"] == {
        "zone_name": "KCN Nam Đình Vũ", "investor": "Công ty CP Đầu tư KCN",
        "address_phone": "Số 1 Đường A; 0225 999 888", "tax_code": "0209876543",
        "establishment_decision": "Quyết định 123/QĐ-TTg",
        "permit": "số 3/GPMT-BTNMT ngày 08/08/2022, Bộ Tài nguyên và Môi trường (cũ)",
        "zone_area_ha": "541.5", "occupancy_pct": "87.25", "tenant_count": 2, "cwwtp_capacity_m3_day": "6000",
    }
    assert data["tables"]["wastewater_works"] == [{"works_name": "Nhà máy XLNT tập trung", "capacity_m3_day": "6000"}]
    assert data["tables"]["zone_tenants"] == [
        {"tenant": "A Tenant", "activity": "Cơ khí"},
        {"tenant": "B Tenant", "tax_code": "0201111111", "activity": "May mặc"},
    ]
    assert data["tables"]["remedies"] == [{"inspection": "Bộ TN&MT, ngày 05/05/2024",
                                           "requirement": "Hoàn thiện hồ sự cố"}]


def test_providers_extend_the_prefill(forms, steelworks, monkeypatch):
    """The monitoring issue plugs in here: a provider's rows are cleaned and checked like typed ones."""
    calls = []

    def monitoring_results(definition, year, facility, zone):
        calls.append((definition.code, year, facility.pk, zone))
        return {"fields": {"representative": "Trần Thị Bình"},
                "tables": {"wastewater_monitoring": [
                    {"sampling_date": dt.date(2024, 3, 15), "point": "NT1", "parameter": "COD", "unit": "mg/l",
                     "result": Decimal("80.50"), "limit": "75", "regulation": "QCVN 40:2025/BTNMT"}]}}

    monkeypatch.setattr(prefill, "PREFILL_PROVIDERS", [monitoring_results])
    data = prefill_data(definition=forms["05.A"], year=2024, facility=steelworks)
    assert calls == [("05.A", 2024, steelworks.pk, None)]
    assert data["fields"]["representative"] == "Trần Thị Bình"
    assert data["tables"]["wastewater_monitoring"] == [
        {"sampling_date": "2024-03-15", "point": "NT1", "parameter": "COD", "unit": "mg/l", "result": "80.5",
         "limit": "75", "regulation": "QCVN 40:2025/BTNMT", "exceeds": True}]


def test_prefill_needs_exactly_one_filer(forms):
    with pytest.raises(ValueError):
        prefill_data(definition=forms["05.A"], year=2024)
