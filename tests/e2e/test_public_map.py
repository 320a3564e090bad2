"""The public map in a real headless Chromium: loads from our own server without
console errors, a layer toggles (and the share link follows), a search finds
"Đình Vũ" with diacritics folded and opens a popup; a screenshot is kept."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def demo_data(live_server):
    call_command("load_demo_data", "--no-reports", stdout=StringIO(), stderr=StringIO())


def test_public_map(demo_data, live_server, page, page_log, artifacts_dir):
    page.goto("/")
    expect(page.locator("#public-map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#public-map")).to_have_attribute("data-units", "114")
    page.wait_for_load_state("networkidle")
    tile_requests = [u for u in page_log.requests if "/tiles/facilities/" in u]
    assert tile_requests, "the facilities layer asks for vector tiles"
    # toggle a layer off: the share link (hash) follows
    box = page.locator("[data-role=layer][value=facilities]")
    box.uncheck()
    assert "facilities" not in page.evaluate("window.location.hash").split("/")[-1]
    box.check()
    assert "facilities" in page.evaluate("window.location.hash")
    # search without diacritics finds Đình Vũ
    page.fill("#map-q", "dinh vu")
    first = page.locator("[data-role=results] li button").first
    expect(first).to_contain_text("Đình Vũ")
    first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Đình Vũ")
    link = page.locator(".leaflet-popup-content a").get_attribute("href")
    assert link and link.startswith("/") and link.endswith("/")  # the feature's page
    # filter by a zone: the tiles are asked for that zone only
    zone_value = page.locator("#map-zone option").nth(1).get_attribute("value")
    page.select_option("#map-zone", zone_value)
    expect(page.locator("#public-map")).to_have_attribute("data-filters", f"zone={zone_value}")
    page.wait_for_load_state("networkidle")
    assert any(f"zone={zone_value}" in u for u in page_log.requests if "/tiles/" in u)
    page.screenshot(path=str(artifacts_dir / "public-map.png"))
    assert not page_log.console_errors, page_log.console_errors
    assert not page_log.page_errors, page_log.page_errors
    assert not page_log.foreign_requests(live_server.url)
