"""The home page in a real headless Chromium: the map draws the 114 units from our own
server (no CDN), Vietnamese first, the language switch, and logging in and out."""
from __future__ import annotations

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEMO_PASSWORD = "HaiPhong@2025"
TITLE_VI = "Cổng thông tin môi trường Hải Phòng"
TITLE_EN = "Hai Phong environmental geoportal"


@pytest.fixture
def demo_data(live_server):
    """The demo data set, committed so that the live server sees it."""
    call_command("load_demo_data", "--no-reports", stdout=StringIO())


def wait_for_map(page) -> str:
    """Wait until unit-map.js has drawn the units (or reported an error); the count drawn."""
    page.wait_for_selector("#unit-map[data-loaded], #unit-map[data-error]", state="attached")
    unit_map = page.locator("#unit-map")
    assert unit_map.get_attribute("data-error") is None, unit_map.get_attribute("data-error")
    return unit_map.get_attribute("data-loaded")


def switch_language(page, code: str) -> None:
    page.select_option("select#lang-select", code)
    with page.expect_navigation():
        page.locator("form.lang-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_home_page_loads_the_map_from_our_own_server(demo_data, live_server, page, page_log, artifacts_dir):
    response = page.goto("/about/")
    assert response is not None and response.status == 200
    # Vietnamese by default, although the browser asks for English.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title(TITLE_VI)
    expect(page.locator("header .brand-title")).to_have_text(TITLE_VI)
    expect(page.locator(".demo-banner")).to_contain_text("Dữ liệu minh họa")
    expect(page.locator("[data-testid=unit-counts]")).to_contain_text("114")

    page.wait_for_selector("#unit-map[data-loaded], #unit-map[data-error]", state="attached")
    page.wait_for_load_state("networkidle")
    # The artifact is saved before the map is checked, so a failed run shows what broke.
    screenshot = artifacts_dir / "home.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    assert wait_for_map(page) == "114"
    # Leaflet really drew the polygons (one SVG path per unit) on its own CSS.
    assert page.locator("#unit-map .leaflet-overlay-pane path").count() == 114
    expect(page.locator("#unit-map.leaflet-container")).to_be_visible()

    page_log.assert_clean(live_server.url)
    # The map's assets and data came from the live server.
    own = [u for u in page_log.requests if u.startswith(live_server.url)]
    for needed in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                   "/static/js/unit-map.js", "/api/v1/administrative-units.geojson"):
        assert any(needed in u for u in own), (needed, own)


def test_language_switch_to_english(demo_data, page, page_log):
    page.goto("/about/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("select#lang-select")).to_have_value("vi")

    switch_language(page, "en")

    expect(page).to_have_title(TITLE_EN)
    expect(page.locator("header .brand-title")).to_have_text(TITLE_EN)
    expect(page.locator("select#lang-select")).to_have_value("en")
    assert urlsplit(page.url).path == "/about/"  # the form's `next` brought us back
    assert wait_for_map(page) == "114"
    # The choice sticks: the next page is English too.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Log in")

    switch_language(page, "vi")
    expect(page.locator("main h1")).to_have_text("Đăng nhập")
    assert page_log.console_errors == [] and page_log.page_errors == []


def test_log_in_as_admin_and_log_out(demo_data, page, page_log):
    page.goto("/about/")
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)
    expect(page.locator("nav.main-nav a[href='/audit/']")).to_have_count(0)  # not for anonymous users

    page.goto("/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    whoami = page.locator("[data-testid=whoami]")
    expect(whoami).to_be_visible()
    expect(whoami).to_contain_text("Quản trị Sở")  # first and last name of the demo admin
    expect(whoami).to_contain_text("Sở NN&MT Hải Phòng")  # their organisation's short name
    audit_vi = page.locator("nav.main-nav a[href='/audit/']")
    expect(audit_vi).to_be_visible()
    expect(audit_vi).to_contain_text("Nhật ký")

    switch_language(page, "en")
    expect(page.locator("[data-testid=whoami]")).to_contain_text("Quản trị Sở")
    expect(page.get_by_role("link", name="Audit log", exact=True)).to_be_visible()

    page.get_by_role("link", name="Audit log", exact=True).click()
    page.wait_for_url("**/audit/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.locator("nav.main-nav a[href='/audit/']")).to_have_count(0)
    # The session is gone: the audit log now asks for a login.
    page.goto("/audit/")
    assert "/accounts/login/" in page.url
    assert page_log.console_errors == [] and page_log.page_errors == []
