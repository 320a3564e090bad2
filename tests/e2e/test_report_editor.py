"""The annual report editor in a real headless Chromium: values are checked live by the
server as they are typed (a bad number, an exceedance), rows are added, and the draft is
saved section by section."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "Test-password-123"


@pytest.fixture
def enterprise_report(live_server):
    from reports.formdefs import load_form_definitions
    from reports.services.workflow import report_open
    from tests.factories import AdministrativeUnitFactory, EnterpriseFactory, UserFactory
    from tests.layer_factories import FacilityFactory

    load_form_definitions()
    unit = AdministrativeUnitFactory(name="Đông Hải thử")
    org = EnterpriseFactory(name="Công ty thử E2E", admin_unit=unit)
    user = UserFactory(username="dn_e2e", organisation=org, roles=["enterprise_user"])
    facility = FacilityFactory(owner_organisation=org, admin_unit=unit, tax_code=org.tax_code,
                               name="Nhà máy thử E2E", permit_class="gpmt")
    return report_open(user=user, year=2025, facility=facility)


def login(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "dn_e2e")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_live_validation_rows_and_draft_save(enterprise_report, page, page_log, artifacts_dir, live_server):
    report = enterprise_report
    login(page)
    page.goto(f"/reports/{report.pk}/edit/?section=hazardous_waste")
    table = page.locator('table[data-table="hazardous_waste"]')
    expect(table).to_be_visible()
    first = table.locator("tbody tr").first
    first.locator('[name$=".waste_name"]').fill("Bụi lò điện")
    first.locator('[name$=".ctnh_code"]').fill("05 01 02")
    first.locator('[name$=".quantity_kg"]').fill("12x5")
    # the server's verdict arrives without saving: the bad number is marked
    expect(first.locator('[name$=".quantity_kg"]')).to_have_attribute("aria-invalid", "true")
    first.locator('[name$=".quantity_kg"]').fill("1.250,5")
    expect(first.locator('[name$=".quantity_kg"]')).not_to_have_attribute("aria-invalid", "true")
    rows_before = table.locator("tbody tr").count()
    page.locator('[data-add-row="hazardous_waste"]').click()
    expect(table.locator("tbody tr")).to_have_count(rows_before + 1)
    with page.expect_navigation():
        page.locator('[data-testid="save"]').click()
    report.refresh_from_db()
    assert report.data["tables"]["hazardous_waste"][0]["quantity_kg"] == "1250.5"
    assert report.data["fields"]["hazardous_waste_total_kg"] == "1250.5"

    # an exceedance is highlighted as it is typed
    page.goto(f"/reports/{report.pk}/edit/?section=wastewater")
    row = page.locator('table[data-table="wastewater_monitoring"] tbody tr').first
    row.locator('[name$=".sampling_date"]').fill("15/06/2025")
    row.locator('[name$=".point"]').fill("NT1")
    row.locator('[name$=".parameter"]').fill("COD")
    row.locator('[name$=".limit"]').fill("≤ 150")
    row.locator('[name$=".result"]').fill("180")
    expect(row).to_have_class(re.compile(r"\bexceeds\b"))
    page.screenshot(path=str(artifacts_dir / "report-editor.png"), full_page=True)
    assert not page_log.page_errors and not page_log.console_errors, page_log
    assert page_log.foreign_requests(live_server.url) == []
