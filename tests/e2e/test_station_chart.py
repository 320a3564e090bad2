"""The station page's charts and the AQI map in a real headless Chromium: uPlot (vendored)
draws one canvas per parameter, the range links switch the aggregation, the AQI map colours
its stations; no console error, nothing asked of another origin; screenshots kept."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]



@pytest.fixture
def station(live_server):
    """A published city air station with PM2.5, NO2 and O3 readings every 5 minutes for 2 days."""
    from monitoring.models import Parameter, StationParameter
    from monitoring.reference import load_reference
    from monitoring.services.ingest import ResolvedReading, write_readings
    from monitoring.tests.factories import StationFactory

    load_reference()
    station = StationFactory(code="HP-AIR-E2E", name="Trạm Tô Hiệu")
    params = [Parameter.objects.get(code=c) for c in ("PM2.5", "NO2", "O3")]
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for n, p in enumerate(params):
        StationParameter.objects.create(station=station, parameter=p)
        rows += [ResolvedReading(station.pk, p.pk, now - dt.timedelta(minutes=5 * i), 20.0 + 10 * n + (i % 24),
                                 status=1 if i == 7 else 0)
                 for i in range(1, 2 * 288)]
    write_readings(rows)
    return station


def test_station_charts_render_offline(station, live_server, page, page_log, artifacts_dir):
    page.goto(f"/monitoring/stations/{station.pk}/")
    charts = page.locator("#station-charts")
    expect(charts).to_have_attribute("data-ready", "1")
    expect(charts).to_have_attribute("data-rendered", "3")
    for code in ("PM2.5", "NO2", "O3"):
        figure = page.locator(f"[data-chart='{code}']")
        expect(figure.locator("canvas")).to_have_count(1)
        assert int(figure.get_attribute("data-points")) >= 280  # 24 h of 5-minute readings
    # the limit line is drawn as a series and labelled (NO2 1 h: 200 µg/Nm³, QCVN 05:2023)
    expect(page.locator("[data-chart='NO2'] .limit-note")).to_contain_text("200")
    box = page.locator("[data-chart='PM2.5'] canvas").bounding_box()
    assert box and box["width"] > 250 and box["height"] > 150
    page.screenshot(path=str(artifacts_dir / "station-charts-24h.png"), full_page=True)
    # a range link: hourly means over 7 days
    page.locator("[data-range='7d']").click()
    expect(page.locator("#station-charts")).to_have_attribute("data-step", "hour")
    expect(page.locator("#station-charts")).to_have_attribute("data-ready", "1")
    expect(page.locator("[data-chart='O3'] canvas")).to_have_count(1)
    assert 40 <= int(page.locator("[data-chart='O3']").get_attribute("data-points")) <= 7 * 24 + 1
    page.wait_for_load_state("networkidle")
    page_log.assert_clean(live_server.url)
    requested = [u for u in page_log.requests if "/static/" in u]
    assert any(u.endswith("uPlot.iife.min.js") for u in requested)


def test_aqi_map_renders_offline(station, live_server, page, page_log, artifacts_dir):
    page.goto("/monitoring/aqi/")
    el = page.locator("#aqi-map")
    expect(el).to_have_attribute("data-ready", "1")
    expect(el).to_have_attribute("data-stations", "1")
    row = page.locator("tr[data-station='HP-AIR-E2E']")
    assert row.get_attribute("data-category") != "none"
    row.locator("[data-role=show]").click()
    expect(el).to_have_attribute("data-popup", "HP-AIR-E2E")
    expect(page.locator(".aqi-popup tr.dominant")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "aqi-map.png"))
    page_log.assert_clean(live_server.url)
