"""Locating a feature in a real headless Chromium: typed VN-2000 X/Y are converted
live, the marker moves there, and the saved entry lies at Đình Vũ."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geoportal.core import crs
from tests.factories import AdministrativeUnitFactory, square

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "Test-password-123"


@pytest.fixture
def officer(live_server):
    from geoportal.organisations.choices import OrganisationKind
    from tests.factories import OrganisationFactory, UserFactory

    # A unit around Đình Vũ so the point derives its administrative unit.
    AdministrativeUnitFactory(name="Đông Hải thử", geom=square(106.76, 20.81, 0.04))
    dept = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, name="Sở thử")
    return UserFactory(username="canbo_e2e", organisation=dept, roles=["dept_officer"])


def test_vn2000_coordinates_are_converted_live_and_saved(officer, page, page_log, artifacts_dir):
    from layers.models import CraftVillage

    northing, easting = crs.wgs84_to_vn2000(106.7745, 20.8268)
    page.goto("/accounts/login/")
    page.fill("#id_username", "canbo_e2e")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/layers/craft-villages/new/")
    widget = page.locator(".location-widget")
    expect(widget).to_have_attribute("data-ready", "1")
    widget.locator("[data-role=crs]").select_option("9210")
    # Typed the Vietnamese way: spaces between thousands, a decimal comma.
    widget.locator("[data-role=x]").fill(f"{northing:,.2f}".replace(",", " ").replace(".", ","))
    widget.locator("[data-role=y]").fill(f"{easting:,.2f}".replace(",", " ").replace(".", ","))
    result = widget.locator("[data-role=result]")
    expect(result).to_contain_text("20,8268", timeout=10_000)  # shown live, Vietnamese decimal comma
    widget.locator("[data-role=apply]").click()
    page.fill("#id_name", "Làng nghề thử VN-2000")
    page.screenshot(path=str(artifacts_dir / "feature-form.png"), full_page=True)
    with page.expect_navigation():
        page.locator("form[data-testid=feature-form] button[name=save]").click()
    expect(page.locator("h1")).to_contain_text("Làng nghề thử VN-2000")
    village = CraftVillage.objects.get(name="Làng nghề thử VN-2000")
    assert abs(village.geom.x - 106.7745) < 1e-6 and abs(village.geom.y - 20.8268) < 1e-6
    assert village.source_srid == 9210 and village.admin_unit.name == "Đông Hải thử"
    assert not page_log.console_errors and not page_log.page_errors
    assert not page_log.foreign_requests(page.url)
