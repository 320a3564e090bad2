"""/officer/compiled/: who may compile which form (the permission matrix over ROLES), the downloads
(content type, file name, bytes that open), and 404 for an unknown form, format, year or board."""
from __future__ import annotations

import io

import docx
import pytest

from geoportal.organisations.choices import OrganisationKind
from tests.factories import OrganisationFactory
from tests.test_permission_matrix import ROLES

PAGE = "/officer/compiled/"
YEAR = 2025

# Mẫu 03 covers the whole city: the Department only. Mẫu 02: the Department and the EZ board.
PAGE_STATUS = {"anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 200,
               "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}
MAU03_STATUS = {**PAGE_STATUS, "ez_officer": 403}
MAU02_STATUS = PAGE_STATUS


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_compiled_page_by_role(world, client, role):
    """The page: officers who can compile something get it, with only their forms; anonymous → login."""
    r = _client(client, world, role).get(PAGE)
    assert r.status_code == PAGE_STATUS[role]
    if r.status_code == 302:
        assert r["Location"].startswith("/accounts/login/")
    if r.status_code == 200:
        html = r.content.decode()
        assert ('data-testid="compiled-mau03"' in html) == (MAU03_STATUS[role] == 200)
        assert 'data-testid="compiled-mau02"' in html
        assert f"/officer/compiled/mau02/{YEAR}.docx" in html and f"/officer/compiled/mau02/{YEAR}.pdf" in html


@pytest.mark.parametrize("form,table", [("mau03", MAU03_STATUS), ("mau02", MAU02_STATUS)])
@pytest.mark.parametrize("role", ROLES)
def test_compiled_download_by_role(world, client, role, form, table):
    """The download of each form by every role: 200 with a Word file that opens, 403, or the login page."""
    r = _client(client, world, role).get(f"/officer/compiled/{form}/{YEAR}.docx")
    assert r.status_code == table[role]
    if r.status_code == 200:
        assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert r["Content-Disposition"] == f'attachment; filename="{form}-{YEAR}.docx"'
        document = docx.Document(io.BytesIO(r.content))
        assert any("NGUỒN SỐ LIỆU" in p.text for p in document.paragraphs)
        if role == "ez_officer":
            assert world.ez_board.name.upper() in document.core_properties.author


@pytest.mark.parametrize("url", [
    "/officer/compiled/mau04/2025.docx", "/officer/compiled/mau03/2025.odt", "/officer/compiled/mau03/2025.PDF",
    "/officer/compiled/mau03/2019.docx", "/officer/compiled/mau03/2999.pdf",
    "/officer/compiled/mau02/2025.docx?board=abc", "/officer/compiled/mau02/2025.docx?board=999999999",
])
def test_unknown_form_format_year_or_board_is_404(world, client, url):
    client.force_login(world.users["dept_officer"])
    assert client.get(url).status_code == 404


def test_board_must_be_an_ez_board(world, client):
    """The Department picks a board among the EZ boards; another organisation's id is absent."""
    client.force_login(world.users["dept_officer"])
    assert client.get(f"/officer/compiled/mau02/{YEAR}.docx?board={world.commune_a.pk}").status_code == 404
    other = OrganisationFactory(kind=OrganisationKind.EZ_BOARD, name="BQL thứ hai")
    r = client.get(f"{PAGE}?board={other.pk}")
    assert r.status_code == 200 and f"mau02/{YEAR}.docx?board={other.pk}" in r.content.decode()
    r = client.get(f"/officer/compiled/mau02/{YEAR}.docx?board={other.pk}")
    assert r.status_code == 200
    assert docx.Document(io.BytesIO(r.content)).core_properties.author == "BQL THỨ HAI"


def test_ez_officer_cannot_pick_another_board(world, client):
    """An EZ board officer's report is its own board's, whatever ?board= says."""
    other = OrganisationFactory(kind=OrganisationKind.EZ_BOARD, name="BQL thứ hai")
    client.force_login(world.users["ez_officer"])
    r = client.get(f"/officer/compiled/mau02/{YEAR}.docx?board={other.pk}")
    assert r.status_code == 200
    assert docx.Document(io.BytesIO(r.content)).core_properties.author == world.ez_board.name.upper()


def test_pdf_download(world, client):
    client.force_login(world.users["dept_officer"])
    r = client.get(f"/officer/compiled/mau03/{YEAR}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and r["Content-Disposition"] == f'attachment; filename="mau03-{YEAR}.pdf"'
