"""/officer/compiled/: the compiled provincial reports (issue 7, "Compiled reports").

The page lists the forms the officer may compile (Mẫu 03 for the Department, Mẫu 02 for the
Department and the EZ board) and the years; each download compiles the report from the
database and writes it as DOCX or PDF. Unknown form, format or year: 404; a form the user
may not compile: 403.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Capability, scope_for
from layers.exports.views import attachment
from reports.selectors import FIRST_YEAR, reporting_year
from workspace.compiled import available_forms, compile_report
from workspace.compiled.document import FORMS, load_structure
from workspace.compiled.mau02 import boards_for

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORM_HELP = {
    "mau03": _("The city's annual report on environmental protection work (prepared by the Department for the "
               "People's Committee): air quality (AQI, PM2.5/PM10 exceedance days), waste from the facilities' "
               "reports, permits, inspections and the monitoring network."),
    "mau02": _("The EZ board's annual report on environmental protection work, for the zones under the board "
               "and the facilities in them."),
}


def _board(request, form: str):
    """The EZ board chosen with ?board= (the Department, Mẫu 02), None for all; 404 if not one it may pick."""
    value = request.GET.get("board", "")
    if form != "mau02" or not value or not scope_for(request.user).everything:
        return None
    if not (value.isascii() and value.isdigit()):  # "²" is a digit to str.isdigit, not to int()
        raise Http404
    board = boards_for(request.user).filter(pk=int(value)).first()
    if board is None:
        raise Http404
    return board


class CompiledReportsView(CapabilityRequiredMixin, View):
    """Choose a form and a year, and download the compiled report."""

    capability = Capability.WORKSPACE

    def get(self, request):
        forms = available_forms(request.user)
        if not forms:
            raise PermissionDenied
        board = _board(request, "mau02")
        boards = list(boards_for(request.user)) if scope_for(request.user).everything else []
        years = list(range(reporting_year(timezone.localdate()), FIRST_YEAR - 1, -1))
        entries = []
        for form in forms:
            structure = load_structure(form)
            entries.append({"form": form, "code": structure["code"], "title": structure["title"],
                            "help": FORM_HELP[form], "legal_basis": structure["legal_basis"],
                            "query": f"?board={board.pk}" if form == "mau02" and board else ""})
        return render(request, "workspace/compiled/index.html", {
            "entries": entries, "years": years, "boards": boards, "board": board,
            "language": (request.LANGUAGE_CODE or "vi")[:2]})


class CompiledDownloadView(CapabilityRequiredMixin, View):
    """The compiled report `form` for `year` as DOCX or PDF."""

    capability = Capability.WORKSPACE

    def get(self, request, form: str, year: int, fmt: str):
        if form not in FORMS or fmt not in FORMATS or not FIRST_YEAR <= year <= timezone.localdate().year:
            raise Http404
        if form not in available_forms(request.user):
            raise PermissionDenied
        report = compile_report(form=form, user=request.user, year=year, board=_board(request, form))
        if fmt == "docx":
            from workspace.compiled.docx import render_compiled_docx

            body = render_compiled_docx(report)
        else:
            from workspace.compiled.pdf import render_compiled_pdf

            body = render_compiled_pdf(report)
        return attachment(HttpResponse(body, content_type=FORMATS[fmt]), f"{report.file_stem}.{fmt}")
