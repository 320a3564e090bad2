"""The officer workspace in a real headless Chromium: the dashboard's and the statistics page's
server-drawn SVG charts show with no script and no other origin asked; screenshots kept."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "Test-password-123"


@pytest.fixture
def officer(live_server):
    """A Department officer, and a facility with a received report holding hazardous waste."""
    from geoportal.organisations.choices import OrganisationKind
    from reports.formdefs import load_form_definitions
    from reports.tests.factories import ReportFactory, received
    from tests.factories import AdministrativeUnitFactory, EnterpriseFactory, OrganisationFactory, UserFactory
    from tests.layer_factories import FacilityFactory

    load_form_definitions()
    department = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, name="Sở NN&MT thử")
    user = UserFactory(username="canbo_e2e", organisation=department, roles=["dept_officer"])
    facility = FacilityFactory(name="Công ty E2E", owner_organisation=EnterpriseFactory(),
                               admin_unit=AdministrativeUnitFactory(name="Phường E2E"))
    report = ReportFactory(facility=facility)
    report.data = {"fields": {}, "tables": {"hazardous_waste": [
        {"waste_name": "Dầu thải", "ctnh_code": "17 02 03", "quantity_kg": "1250.5"}]}}
    report.save(update_fields=["data"])
    received(report)
    return user


def login(page):
    page.goto("/accounts/login/?next=/officer/")  # not the home map: its tile requests are cut short
    page.fill("#id_username", "canbo_e2e")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_dashboard_and_statistics_charts_render_offline(officer, live_server, page, page_log, artifacts_dir):
    login(page)
    assert page.url.endswith("/officer/")
    charts = page.locator("main svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    page.screenshot(path=str(artifacts_dir / "officer-dashboard.png"), full_page=True)

    page.goto("/officer/statistics/?measure=hazardous_waste&dimension=commune")
    chart = page.locator("main svg[role=img]").first
    expect(chart).to_be_visible()
    expect(page.locator("main table").first).to_contain_text("1")
    page.screenshot(path=str(artifacts_dir / "officer-statistics.png"), full_page=True)
    page.wait_for_load_state("networkidle")
    page_log.assert_clean(live_server.url)
