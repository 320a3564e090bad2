"""Compiled provincial reports (issue 7): Mẫu 03 for the city, Mẫu 02 for the EZ board.

Each is compiled from the facilities' annual reports, the register and the monitoring
network (mau03.py, mau02.py, over the blocks of figures.py), every figure traceable to the
query that produced it (sources.py), and written as DOCX (docx.py) and PDF (pdf.py).
"""
from __future__ import annotations

from geoportal.scopes import scope_for

FORM_LABELS = {"mau03": "Mẫu số 03", "mau02": "Mẫu số 02"}


def available_forms(user) -> list[str]:
    """The compiled forms `user` may produce: Mẫu 03 for the Department (it covers the whole
    city), Mẫu 02 for the Department and the EZ board officers (their zones)."""
    from workspace.compiled.mau02 import boards_for

    forms = []
    if scope_for(user).everything:
        forms.append("mau03")
    if scope_for(user).everything or boards_for(user).exists():
        forms.append("mau02")
    return forms


def compile_report(*, form: str, user, year: int, board=None, created=None):
    """The compiled report `form` ("mau03" or "mau02") for `year` as the user may see it."""
    if form == "mau03":
        from workspace.compiled.mau03 import compile_mau03

        return compile_mau03(user=user, year=year, created=created)
    if form == "mau02":
        from workspace.compiled.mau02 import compile_mau02

        return compile_mau02(user=user, year=year, board=board, created=created)
    raise ValueError(f"unknown compiled form: {form}")
