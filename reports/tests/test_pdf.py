"""The report PDF (WeasyPrint): official layout, Vietnamese numbers, fonts embedded, a map,
deterministic bytes, long tables that paginate with their header repeated, and a renderer
that fetches nothing but data: URIs and its own fonts (RELIABILITY.md R-25)."""
from __future__ import annotations

import collections
import datetime as dt
import http.server
import io
import re
import subprocess
import threading

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction
from PIL import Image

from reports.models import FormDefinition, Report
from reports.pdf import location_map_png, render_report_pdf
from reports.pdf.fetcher import FONTS_DIR, PortalUrlFetcher, RefusedURL, font_path
from reports.pdf.formatting import format_value, vn_date, vn_number, vn_place_date
from reports.pdf.render import column_widths, html_to_pdf
from reports.pdf.samples import sample_data, sample_definition
from tests.factories import AdministrativeUnitFactory, EnterpriseFactory, square
from tests.layer_factories import FacilityFactory

# The module fixtures write (and roll back) rows: the mark makes pytest-django set up the test database.
pytestmark = pytest.mark.django_db
CREATED = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
FACILITY_POINT = (106.7788, 20.8271)


# --- helpers -------------------------------------------------------------------------------
def make_report(*, data: dict, version: str = "test-pdf", number: str = "12/BC-TDV") -> Report:
    """A 05.A report of a facility inside two administrative units (for the map)."""
    definition = sample_definition("05.A")
    form, _ = FormDefinition.objects.get_or_create(
        code="05.A", version=version,
        defaults={"applies_to": "gpmt", "title_vi": definition["title"]["vi"], "legal_basis": definition["legal_basis"],
                  "effective_from": dt.date(2022, 1, 10), "deadline_day": 15, "definition": definition,
                  "sha256": "0" * 64})
    lon, lat = FACILITY_POINT
    AdministrativeUnitFactory(name="Hải An thử", geom=square(lon - 0.01, lat - 0.01))
    AdministrativeUnitFactory(name="Đông Hải thử", geom=square(lon - 0.03, lat - 0.01))
    owner = EnterpriseFactory(name="Công ty TNHH Thép Đình Vũ (thử)", tax_code="0200000001")
    facility = FacilityFactory(name="Nhà máy thép thử", owner_organisation=owner, geom=Point(lon, lat, srid=4326))
    return Report.objects.create(facility=facility, organisation=owner, year=2025, form=form,
                                 due_before=dt.date(2026, 1, 15), data=data, number=number, place="Hải Phòng")


def rendered(django_db_blocker, *, data: dict, created: dt.datetime = CREATED, twice: bool = False):
    """Render inside a transaction that is rolled back; returns the PDF (or two renderings)."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = make_report(data=data)
        first = render_report_pdf(report=report, created=created)
        second = render_report_pdf(report=report, created=created) if twice else None
        other = render_report_pdf(report=report, created=created + dt.timedelta(days=1)) if twice else None
        transaction.set_rollback(True)
    return (first, second, other) if twice else first


def pdf_text(pdf: bytes, *, page: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def typical(django_db_setup, django_db_blocker):
    """A typical 05.A report (about 150 hazardous-waste rows)."""
    return rendered(django_db_blocker, data=sample_data(hazardous_rows=150, monitoring_rows=40))


@pytest.fixture(scope="module")
def long_report(django_db_setup, django_db_blocker):
    """500 hazardous-waste rows and little else."""
    data = sample_data(hazardous_rows=500, monitoring_rows=0)
    for key in ("wastewater_works", "automatic_monitoring", "emission_works", "solid_waste", "imported_scrap",
                "remedies"):
        data["tables"][key] = []
    return rendered(django_db_blocker, data=data)


# --- pure formatting -------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("1234.5", "1.234,5"), (1234, "1.234"), ("0.25", "0,25"), ("-1234567.125", "-1.234.567,125"),
    ("12", "12"), ("1000000", "1.000.000"), ("abc", "abc"), ("1,5 typed", "1,5 typed"),
])
def test_vn_number(value, expected):
    """Numbers print Vietnamese-style: "." between thousands, "," before decimals, digits kept."""
    assert vn_number(value) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 1, 5), "Hải Phòng, ngày 05 tháng 01 năm 2026"),
    (dt.date(2026, 2, 15), "Hải Phòng, ngày 15 tháng 02 năm 2026"),
    (dt.date(2025, 3, 9), "Hải Phòng, ngày 09 tháng 3 năm 2025"),
    (dt.date(2025, 12, 31), "Hải Phòng, ngày 31 tháng 12 năm 2025"),
])
def test_place_date_follows_decree_30(day, expected):
    """Decree 30/2020: days below 10 and the months 1 and 2 get a leading zero."""
    assert vn_place_date("Hải Phòng", day) == expected


def test_format_value_by_type():
    """Each stored type prints as the document shows it; unparsed input prints as typed."""
    assert vn_date("2025-03-07") == "07/03/2025"
    assert format_value({"type": "boolean"}, True) == "Có"
    assert format_value({"type": "choice", "options": [{"key": "domestic", "label": {"vi": "Sinh hoạt"}}]},
                        "domestic") == "Sinh hoạt"
    assert format_value({"type": "decimal"}, None) == "—"
    assert format_value({"type": "decimal"}, "12,3 tấn") == "12,3 tấn"


def test_column_widths_keep_short_columns_on_one_line():
    """Rigid (short or numeric) columns keep their width; running text gives way; shares add up to 94 %."""
    rows = [["15/04/2025", "Một đoạn giải trình rất dài " * 6, "1.234,5"]] * 10
    widths = column_widths(["Ngày", "Giải trình", "Kết quả"], rows, numeric=[False, False, True])
    shares = [float(w.rstrip("%")) for w, _nowrap in widths]
    assert abs(sum(shares) - 94) < 0.05
    assert [nowrap for _w, nowrap in widths] == [True, False, True]
    assert shares[1] > shares[0] and shares[1] > shares[2]


# --- the typical report ----------------------------------------------------------------------
def test_report_has_the_official_layout(typical):
    """Motto, number and symbol, place and date, title, sections, signature block, page numbers."""
    pdf = typical
    pages = pdf_pages(pdf)
    text = flat(pdf_text(pdf))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "CÔNG TY TNHH THÉP ĐÌNH VŨ (THỬ)", "Số: 12/BC-TDV", "Hải Phòng, ngày 05 tháng 01 năm 2026",
                     "BÁO CÁO", "Công tác bảo vệ môi trường năm 2025", "THÔNG TIN CHUNG",
                     "ĐẠI DIỆN CƠ SỞ", "(Ký, ghi rõ họ tên, đóng dấu)", "Nguyễn Văn An – Giám đốc",
                     f"Trang 1/{pages}", f"Trang {pages}/{pages}"):
        assert expected in text, expected
    # Vietnamese numbers, totals with units, exceedances marked, sections awaiting the official layout noted.
    assert "412.500,5" in text and "182.345.678" in text
    assert "171.000 m³/năm" in text
    assert "Kết quả vượt giới hạn cho phép" in text
    assert "chờ mẫu chính thức" in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "A4" in info
    assert 8 <= pages <= 40


def test_report_embeds_only_the_bundled_fonts(typical):
    """Every font is embedded and is one of ours (Noto Serif, Noto Sans Math): no system font stands in."""
    out = subprocess.run(["pdffonts", "-"], input=typical, capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name = row[0].split("+", 1)[-1]
        assert name.startswith(("Portal-Serif", "Portal-Math")), name
        assert row[-5] == "yes", row  # emb
    assert {"Portal-Serif", "Portal-Serif-Bold", "Portal-Serif-Italic"} <= {r[0].split("+", 1)[-1] for r in rows}
    assert sorted(p.name for p in FONTS_DIR.glob("*.ttf")) == [
        "NotoSansMath-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-BoldItalic.ttf", "NotoSerif-Italic.ttf",
        "NotoSerif-Regular.ttf"]
    assert (FONTS_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


def test_report_carries_the_location_map(typical):
    """The map is one embedded image (a data: URI in the HTML, nothing fetched)."""
    out = subprocess.run(["pdfimages", "-list", "-"], input=typical, capture_output=True, check=True)
    images = [line for line in out.stdout.decode().splitlines()[2:] if line.strip()]
    assert len(images) == 1
    assert images[0].split()[3:5] == ["480", "320"]


def test_same_data_same_bytes(django_db_blocker):
    """Deterministic: the same data and `created` give identical bytes; another `created` changes the dates."""
    first, again, later = rendered(django_db_blocker, data=sample_data(hazardous_rows=20, monitoring_rows=10),
                                   twice=True)
    assert first == again
    assert later != first
    info = subprocess.run(["pdfinfo", "-isodates", "-"], input=later, capture_output=True, check=True).stdout.decode()
    assert "2026-01-06T03:00:00" in info


# --- 500 rows ----------------------------------------------------------------------------------
def test_500_hazardous_rows_paginate_with_the_header_on_every_page(long_report):
    """A row is at least one 10 pt line plus padding (~17 pt) and an A4 page body is 723 pt high, so
    500 rows need at least ceil(500 / 41) = 13 pages; the header row opens every page of the table
    and every page goes on with the next whole row."""
    pdf = long_report
    pages = pdf_pages(pdf)
    assert pages >= 13 + 1  # + the first page (letterhead, general information)
    assert pages <= 120  # not one row per page either
    definition = sample_definition("05.A")
    spec = next(i for _s, i in ((s, i) for s in definition["sections"] for i in s["items"])
                if i.get("key") == "hazardous_waste")
    header = ["TT"] + [w for c in spec["columns"] for w in
                       (c["label"]["vi"] + (f" ({c['unit']})" if c.get("unit") else "")).split()]
    table_pages = [n for n in range(1, pages + 1) if "(đợt" in pdf_text(pdf, page=n)]
    assert len(table_pages) >= 13
    indexes: list[int] = []
    for n in table_pages:
        words = pdf_text(pdf, page=n).split()
        if n == table_pages[0]:
            assert collections.Counter(header) <= collections.Counter(words)
            continue
        assert collections.Counter(words[:len(header)]) == collections.Counter(header), f"page {n}"
        assert words[len(header)].isdigit(), f"page {n} does not start with a whole row"
        indexes.append(int(words[len(header)]))
    assert indexes == sorted(indexes) and indexes[-1] <= 500


# --- the renderer fetches nothing --------------------------------------------------------------
class Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    Canary.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetcher_allows_only_data_uris_and_bundled_fonts():
    """data: and the font files are served; anything else, including paths escaping the font folder, is refused."""
    fetcher = PortalUrlFetcher()
    assert fetcher("data:text/plain;base64,SGVsbG8=").read() == b"Hello"
    regular = (FONTS_DIR / "NotoSerif-Regular.ttf").as_uri()
    assert fetcher(regular).read()[:4] == b"\x00\x01\x00\x00"
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/a.css", "file:///etc/passwd",
                (FONTS_DIR / ".." / ".." / "manage.py").as_uri(), (FONTS_DIR / "OFL.txt").as_uri(),
                "ftp://example.org/x", "file://evil.example/" + str(FONTS_DIR / "NotoSerif-Regular.ttf")):
        with pytest.raises(RefusedURL):
            fetcher(url)
    assert font_path((FONTS_DIR / "sub" / ".." / "NotoSerif-Bold.ttf").as_uri()) == FONTS_DIR / "NotoSerif-Bold.ttf"
    assert len(fetcher.refused) == 7


def test_renderer_never_fetches_remote_or_local_files(canary):
    """Raw HTML with an image, a stylesheet and an attachment pointing at the canary and at /etc/passwd:
    0 connections, no embedded file, nothing of /etc/passwd in the output."""
    fetcher = PortalUrlFetcher()
    html = (f'<html><head><link rel="stylesheet" href="{canary}/style.css">'
            f'<link rel="attachment" href="file:///etc/passwd"></head><body>'
            f'<img src="{canary}/img.png"><img src="file:///etc/passwd">'
            f'<a rel="attachment" href="{canary}/a.bin">x</a>'
            f'<p style="background: url({canary}/bg.png)">Xin chào</p></body></html>')
    pdf = html_to_pdf(html, url_fetcher=fetcher)
    assert Canary.hits == []
    assert b"/EmbeddedFile" not in pdf and b"root:" not in pdf
    assert set(fetcher.refused) >= {f"{canary}/style.css", f"{canary}/img.png", "file:///etc/passwd"}


def test_user_text_is_escaped(django_db_blocker, canary):
    """Markup typed into report fields prints as text and fetches nothing."""
    data = sample_data(hazardous_rows=2, monitoring_rows=2)
    data["fields"]["other_measures"] = f'<img src="{canary}/field.png"> <b>bold</b> & <script>x()</script>'
    data["tables"]["hazardous_waste"][0]["receiver"] = '<img src="file:///etc/passwd">'
    pdf = rendered(django_db_blocker, data=data)
    text = "".join(pdf_text(pdf).split())  # lines wrap anywhere in a URL: compare without whitespace
    assert f'<imgsrc="{canary}/field.png"><b>bold</b>&<script>x()</script>' in text
    assert '<imgsrc="file:///etc/passwd">' in text
    assert Canary.hits == []


# --- the map --------------------------------------------------------------------------------
def test_location_map_draws_units_and_the_pin():
    """Boundaries from PostGIS (projected to UTM 48N in SQL), the unit holding the facility highlighted,
    the pin at the centre; the same input gives the same PNG."""
    lon, lat = FACILITY_POINT
    AdministrativeUnitFactory(name="Hải An thử", geom=square(lon - 0.01, lat - 0.01))
    AdministrativeUnitFactory(name="Đông Hải thử", geom=square(lon - 0.03, lat - 0.01))
    point = Point(lon, lat, srid=4326)
    png = location_map_png(geom=point)
    assert png == location_map_png(geom=point)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (480, 320)
    colours = collections.Counter(image.get_flattened_data())
    assert colours[(255, 241, 196)] > 10_000  # the home unit's fill
    assert colours[(236, 234, 226)] > 1_000  # the neighbour's fill
    # The pin's tip is the point: red just above the centre of the image.
    pin = [image.getpixel((x, y)) for x in range(234, 247) for y in range(140, 161)]
    assert sum(1 for r, g, b in pin if r > 180 and g < 80 and b < 80) > 40
    # A polygon subject (a zone) is outlined in red, no pin.
    zone = square(lon - 0.004, lat - 0.003, 0.006)
    zone_png = Image.open(io.BytesIO(location_map_png(geom=zone, size=(300, 200)))).convert("RGB")
    assert zone_png.size == (300, 200)
    assert collections.Counter(zone_png.get_flattened_data())[(240, 190, 190)] > 2_000
