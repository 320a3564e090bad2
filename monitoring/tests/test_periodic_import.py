"""Periodic results import: upload -> dry-run preview with errors per line -> import, all or
nothing, into a SamplingCampaign; only stations the user may change are points."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from geoportal.audit.models import AuditEvent
from monitoring.choices import Medium, StationKind
from monitoring.models import Reading, SamplingCampaign, StationParameter
from monitoring.periodic_views import SESSION_KEY
from monitoring.services.periodic import periodic_import
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory
from tests.layer_factories import FacilityFactory

URL = "/monitoring/periodic/import/"
pytestmark = pytest.mark.django_db
HEADER = "Đợt quan trắc;Điểm quan trắc;Thông số;Giá trị;Đơn vị;Thời gian lấy mẫu;Ghi chú\n"
GOOD = HEADER + ("Đợt 1/2026;NM01;COD;12,5;mg/L;05/01/2026;\n"
                 "Đợt 1/2026;nm01;pH;7,2;pH;05/01/2026 09:30;\n"
                 "Đợt 1/2026;NM01;TSS;<2;mg/L;05/01/2026;dưới giới hạn\n"
                 "Đợt 1/2026;NM01;COD;500;µg/L;06/01/2026;\n")


class Points:
    """A river point (water parameters), a facility's outfall of enterprise B, and the catalogue."""

    def __init__(self, world):
        mg_l = UnitFactory(code="mg/L")
        self.cod = ParameterFactory(code="COD_W", medium=Medium.WATER, aliases=["COD"], unit=mg_l)
        self.tss = ParameterFactory(code="TSS_W", medium=Medium.WATER, aliases=["TSS"], unit=mg_l)
        self.ph = ParameterFactory(code="PH_W", medium=Medium.WATER, aliases=["pH"], unit=UnitFactory(code="pH"))
        # The same names at wastewater outfalls: a river point must not take these.
        self.cod_ww = ParameterFactory(code="COD_WW", medium=Medium.WASTEWATER, aliases=["COD"], unit=mg_l)
        self.pm10 = ParameterFactory(code="PM10", medium=Medium.AMBIENT_AIR, unit=UnitFactory(code="µg/Nm³"))
        self.river = StationFactory(code="NM01", kind=StationKind.SURFACE_WATER)
        facility_b = FacilityFactory(owner_organisation=world.enterprise_b)
        self.outfall_b = StationFactory(code="XT-B", kind=StationKind.WASTEWATER, facility=facility_b)
        StationParameter.objects.create(station=self.outfall_b, parameter=self.cod_ww)
        self.officer = world.users["dept_officer"]
        self.enterprise_a = world.users["enterprise_user"]


@pytest.fixture
def points(world):
    return Points(world)


def upload(text: str | bytes, name="ket-qua.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text, content_type="text/csv")


def preview(client, user, content, name="ket-qua.csv"):
    client.force_login(user)
    return client.post(URL, {"action": "preview", "file": upload(content, name)})


def test_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_preview_writes_nothing_and_commit_imports_all(points, client):
    """The dry run reports 4 new results; "Import" writes them under one campaign, in canonical units."""
    response = preview(client, points.officer, GOOD)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.dry_run and result.accepted == 4 and not result.committed
    assert [(c.name, c.rows, c.accepted) for c in result.campaigns] == [("Đợt 1/2026", 4, 4)]
    assert [w["line"] for w in result.warnings] == [4]  # "<2": below the detection limit
    assert not Reading.objects.exists() and not SamplingCampaign.objects.exists()
    token = response.context["pending"]
    assert token and client.session[SESSION_KEY]["token"] == token

    response = client.post(URL, {"action": "commit", "upload": token})
    assert response.status_code == 200
    assert response.context["result"].committed
    campaign = SamplingCampaign.objects.get()
    assert (campaign.name, campaign.rows, campaign.created_by) == ("Đợt 1/2026", 4, points.officer)
    assert (campaign.sampled_from, campaign.sampled_to) == (dt.date(2026, 1, 5), dt.date(2026, 1, 6))
    readings = {(r.parameter_id, r.observed_at): r for r in Reading.objects.filter(station=points.river)}
    assert all(r.campaign_id == campaign.pk for r in readings.values())
    midnight = dt.datetime(2026, 1, 4, 17, 0, tzinfo=dt.UTC)  # 05/01/2026 00:00 in Vietnam (UTC+7)
    assert readings[(points.cod.pk, midnight)].value == 12.5  # COD at a river point is COD_W, not COD_WW
    assert readings[(points.ph.pk, dt.datetime(2026, 1, 5, 2, 30, tzinfo=dt.UTC))].value == 7.2
    assert readings[(points.tss.pk, midnight)].value == 2.0
    assert readings[(points.cod.pk, midnight + dt.timedelta(days=1))].value == pytest.approx(0.5)  # 500 µg/L
    assert AuditEvent.objects.filter(action="sampling_campaign.import").count() == 1
    assert SESSION_KEY not in client.session


def test_reimport_adds_nothing(points, client):
    token = preview(client, points.officer, GOOD).context["pending"]
    client.post(URL, {"action": "commit", "upload": token})
    again = preview(client, points.officer, GOOD).context
    assert again["result"].accepted == 0 and again["result"].duplicates == 4 and again["pending"] is None
    assert SamplingCampaign.objects.count() == 1 and Reading.objects.count() == 4


def test_errors_are_listed_per_line_and_nothing_can_be_imported(points, client):
    """Unknown point, a point outside the scope, unknown parameter, bad number, bad unit, wrong medium."""
    content = HEADER + ("Đợt 1;NM01;COD;12;mg/L;05/01/2026;\n"
                        "Đợt 1;NM99;COD;12;mg/L;05/01/2026;\n"
                        "Đợt 1;NM01;Không rõ;12;mg/L;05/01/2026;\n"
                        "Đợt 1;NM01;TSS;mười;mg/L;05/01/2026;\n"
                        "Đợt 1;NM01;TSS;3;kg;05/01/2026;\n"
                        "Đợt 1;NM01;PM10;3;µg/Nm³;05/01/2026;\n"
                        f"Đợt 1;NM01;TSS;3;mg/L;{(timezone.localdate() + dt.timedelta(days=3)):%d/%m/%Y};\n")
    response = preview(client, points.officer, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.ok and response.context["pending"] is None
    assert {e["line"]: e["code"] for e in result.errors} == {
        3: "unknown_point", 4: "unknown_parameter", 5: "number", 6: "unit", 7: "not_measured", 8: "future"}
    body = response.content.decode()
    assert 'data-testid="periodic-errors"' in body and 'data-line="3"' in body and 'name="upload"' not in body
    assert client.post(URL, {"action": "commit", "upload": "forged"}).status_code == 302
    assert not Reading.objects.exists() and not SamplingCampaign.objects.exists()


def test_points_outside_the_users_change_scope_are_unknown(points):
    """Enterprise A may not change enterprise B's outfall: XT-B is an unknown point to it."""
    content = HEADER + "Đợt 1;XT-B;COD;12;mg/L;05/01/2026;\n"
    result = periodic_import(user=points.enterprise_a, data=content.encode(), fmt="csv", original_name="a.csv",
                             now=timezone.now(), dry_run=True)
    assert [e["code"] for e in result.errors] == ["unknown_point"]
    ok = periodic_import(user=points.officer, data=content.encode(), fmt="csv", original_name="a.csv",
                         now=timezone.now(), dry_run=False)
    assert ok.committed and Reading.objects.get().parameter_id == points.cod_ww.pk  # the outfall's COD


def test_xlsx_is_read(points, client):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Campaign", "Point", "Parameter", "Value", "Unit", "Sampled at"])
    sheet.append(["Q1 2026", "NM01", "COD", 15.5, "mg/L", dt.datetime(2026, 2, 3)])
    sheet.append(["Q1 2026", "NM01", "pH", 6.9, "pH", dt.datetime(2026, 2, 3, 10, 15)])
    data = io.BytesIO()
    book.save(data)
    response = preview(client, points.officer, data.getvalue(), name="q1.xlsx")
    result = response.context["result"]
    assert result.ok and result.accepted == 2
    client.post(URL, {"action": "commit", "upload": response.context["pending"]})
    assert Reading.objects.filter(station=points.river).count() == 2


@pytest.mark.parametrize("name, content, expected", [
    ("ket-qua.pdf", b"%PDF-1.4", "are not accepted"),
    ("ket-qua.csv", b"MZ\x90\x00binary", "does not match its type"),
    ("ket-qua.xlsx", b"not a zip at all", "does not match its type"),
])
def test_wrong_file_types_are_form_errors_in_the_users_language(points, client, name, content, expected):
    """A refused type is a form error (400, never a 500), in the language the user chose (English here)."""
    client.cookies["django_language"] = "en"
    response = preview(client, points.officer, content, name=name)
    assert response.status_code == 400
    assert expected in " ".join(response.context["form"].errors["file"])
    assert expected in response.content.decode()
    assert not Reading.objects.exists()


def test_oversized_file_is_a_form_error(points, client, settings):
    settings.MONITORING_PERIODIC_MAX_BYTES = 100
    response = preview(client, points.officer, GOOD)
    assert response.status_code == 400 and response.context["form"].errors["file"]


@pytest.mark.parametrize("content", [
    "", HEADER, "a;b;c\n1;2;3\n", "\x00\x01\x02", HEADER.replace("Đơn vị;", ""),
])
def test_empty_or_shapeless_tables_are_errors_not_500(points, client, content):
    response = preview(client, points.officer, content)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert not response.context["result"].ok
    assert not Reading.objects.exists()


def test_cancel_forgets_the_preview(points, client):
    token = preview(client, points.officer, GOOD).context["pending"]
    assert client.post(URL, {"action": "cancel"}).status_code == 302
    assert SESSION_KEY not in client.session
    assert client.post(URL, {"action": "commit", "upload": token}).status_code == 302
    assert not Reading.objects.exists()
