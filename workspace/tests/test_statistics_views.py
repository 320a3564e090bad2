"""The statistics page: the table, chart and downloads carry the same numbers as the selectors'
independent sums, spreadsheet formulas are defused, bad parameters are form errors on a 200
page (never a 500), and only officers get in."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.test_permission_matrix import ROLES, _client_for
from workspace.statistics_views import CHART_ROWS
from workspace.tests.test_statistics import EVIL_SECTOR, build_stats, expected

URL = "/officer/statistics/"
SVG_NUMBER = re.compile(r'(?:x|y|width|height)="([^"]*)"')


@pytest.fixture
def stats(world):
    return build_stats(world)


def test_url_name():
    assert reverse("workspace:statistics") == URL


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_page_shows_the_figures_chart_and_basis(stats, client):
    """The table has one row per commune with the independent sums; the SVG chart one bar each."""
    w = stats["world"]
    r = get(client, w.users["dept_officer"], measure="wastewater", dimension="commune", year_from=2025, year_to=2025)
    assert r.status_code == 200
    stat = r.context["stat"]
    want = expected(stats["counted"], "wastewater_works", "volume_m3_year", lambda rep, row: rep["unit"])
    assert {label: cells[0] for label, cells in r.context["table"]} == want
    assert r.context["total"][0] == sum(want.values())
    html = r.content.decode()
    assert 'data-testid="statistics-chart"' in html and "<svg" in html
    assert len(r.context["chart"]["bars"]) == len(stat.rows) == 2
    assert html.count("<rect") == 2
    svg = html[html.index("<g>"):html.index("</svg>")]  # the bars, after the <svg> element's own width
    coordinates = SVG_NUMBER.findall(svg)
    assert coordinates and all(float(c) >= 0 for c in coordinates)  # plain SVG numbers, never "430,0"
    assert "submitted at least once" in html or "nộp ít nhất một lần" in html


def test_csv_and_xlsx_carry_the_same_numbers(stats, client):
    """Both downloads hold the table (and the CTNH breakdown) with the page's numbers."""
    w = stats["world"]
    params = {"measure": "hazardous_waste", "dimension": "commune", "year_from": 2025, "year_to": 2025}
    page = get(client, w.users["dept_officer"], **params)
    want = {label: cells[0] for label, cells in page.context["table"]}
    by_code = expected(stats["counted"], "hazardous_waste", "quantity_kg",
                       lambda rep, row: (rep["unit"], row["ctnh_code"]))

    r = client.get(URL, {**params, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = csv_rows(r)
    blank = rows.index([])
    main, details = rows[1:blank], rows[blank + 2:]
    assert {row[0]: Decimal(row[1]) for row in main[:-1]} == want
    assert Decimal(main[-1][1]) == sum(want.values())
    assert {(row[0], row[1].lstrip("'")): Decimal(row[2]) for row in details} == by_code

    r = client.get(URL, {**params, "format": "xlsx"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    first, second = book.worksheets
    cells = list(first.iter_rows(values_only=True))
    assert {row[0]: Decimal(str(row[1])) for row in cells[1:-1]} == want
    assert Decimal(str(cells[-1][1])) == sum(want.values())
    assert {(row[0], row[1].lstrip("'")): Decimal(str(row[2]))
            for row in second.iter_rows(min_row=2, values_only=True)} == by_code


def test_exports_neutralise_formulas(stats, client):
    """A sector named "=HYPERLINK(…)" and a CTNH code "=1+1" reach the files as text, not formulas."""
    w = stats["world"]
    user = w.users["dept_officer"]
    params = {"measure": "hazardous_waste", "dimension": "sector", "year_from": 2025, "year_to": 2025}
    rows = csv_rows(get(client, user, **params, format="csv"))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL_SECTOR in cells and "'=1+1" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL, {**params, "format": "xlsx"}).content))
    values = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert "'" + EVIL_SECTOR in values and "'=1+1" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.parametrize("measure", ["exceedances", "aqi_days"])
def test_monitoring_measures_on_the_page_and_in_csv(stats, client, measure):
    """Exceedances and AQI days: the CSV total row equals the page's."""
    w = stats["world"]
    params = {"measure": measure, "dimension": "commune", "year_from": 2025, "year_to": 2025}
    page = get(client, w.users["dept_officer"], **params)
    assert page.status_code == 200 and page.context["stat"].rows
    rows = csv_rows(client.get(URL, {**params, "format": "csv"}))
    total = rows[rows.index([]) - 1] if [] in rows else rows[-1]
    assert [int(v) for v in total[1:]] == [int(v) for v in page.context["total"]]
    if measure == "aqi_days":
        assert page.context["chart"]["legend"]  # one colour per category
        assert int(total[rows[0].index(str(page.context["stat"].columns[2].label))]) == 2  # poor days


@pytest.mark.parametrize("params", [
    {"measure": "nope"},
    {"dimension": "facility"},
    {"year_from": "abc"},
    {"year_from": "2019", "year_to": "2020"},
    {"year_from": "2025", "year_to": "2024"},
    {"year_from": "2022", "year_to": "2030"},
    {"format": "pdf"},
    {"year_to": "99999999999999999999"},
])
def test_bad_parameters_are_form_errors(world, client, params):
    """Every bad value answers 200 with the form's error, never a 500 nor a download."""
    r = get(client, world.users["dept_officer"], **params)
    assert r.status_code == 200
    assert r.context["form"].errors
    assert "stat" not in r.context
    assert b'data-testid="statistics-errors"' in r.content


def test_empty_state(world, client):
    """No data: a sentence, no chart, no download links."""
    r = get(client, world.users["dept_officer"], measure="hazardous_waste", dimension="zone", year_from=2023,
            year_to=2023)
    assert r.status_code == 200
    assert b'data-testid="statistics-empty"' in r.content and b"<svg" not in r.content
    assert b"format=csv" not in r.content


def test_defaults_without_parameters(world, client):
    """The bare URL shows the reporting year's wastewater by commune."""
    r = get(client, world.users["commune_officer"])
    assert r.status_code == 200 and r.context["stat"].measure == "wastewater"
    assert r.context["stat"].first_year == r.context["stat"].last_year


def test_chart_is_capped(stats, client, monkeypatch):
    """Beyond CHART_ROWS groups the chart keeps the largest and says so."""
    monkeypatch.setattr("workspace.statistics_views.CHART_ROWS", 1)
    r = get(client, stats["world"].users["dept_officer"], measure="wastewater", dimension="commune",
            year_from=2025, year_to=2025)
    assert len(r.context["chart"]["bars"]) == 1 and r.context["chart"]["truncated"]
    top = max(r.context["stat"].rows, key=lambda row: row["value"])
    assert r.context["chart"]["bars"][0]["label"] == top["label"]
    assert CHART_ROWS == 30


@pytest.mark.parametrize("fmt", ["", "csv"])
def test_page_query_count_is_bounded(stats, client, django_assert_max_num_queries, fmt):
    """Session, user, scope, and two queries a year for hazardous waste over two years."""
    client.force_login(stats["world"].users["commune_officer"])
    with django_assert_max_num_queries(12):
        r = client.get(URL, {"measure": "hazardous_waste", "dimension": "sector", "year_from": 2024,
                             "year_to": 2025, "format": fmt})
    assert r.status_code == 200


EXPECTED = {"anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 200, "commune_officer": 200,
            "commune_chairman": 200, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role", ROLES)
def test_statistics_permission_matrix(world, client, role):
    """Officers 200 (page and download); anonymous to the login page; enterprises and connections 403."""
    c = _client_for(role, world, client)
    for params in ({}, {"format": "csv"}, {"measure": "aqi_days", "format": "xlsx"}):
        r = c.get(URL, params)
        assert r.status_code == EXPECTED[role], (role, params)
        if EXPECTED[role] == 302:
            assert r["Location"].startswith(reverse("login"))
