"""The officers' query page across received reports (issue 5, "Review"): a GET form,
a table with its total, CSV and XLSX downloads. Wired at /officer/reports/query/
("reports:query")."""
from __future__ import annotations

import csv
import io

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.organisations.models import AdministrativeUnit
from geoportal.scopes import Capability
from layers.exports.views import attachment, neutralise
from layers.models import IndustrialZone
from reports.analytics import DIMENSIONS, MEASURES, AnalyticsResult, query_table
from reports.models import FormDefinition
from reports.selectors import FIRST_YEAR, reporting_year

FORMATS = (("", "HTML"), ("csv", "CSV"), ("xlsx", "XLSX"))
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfficerRequiredMixin(CapabilityRequiredMixin):
    """Officers query reports; an enterprise (its own reports only) or a connection account does not."""

    capability = Capability.WORKSPACE


def _form_codes() -> list[tuple[str, str]]:
    codes = FormDefinition.objects.order_by("code").values_list("code", flat=True).distinct()
    return [("", _("All forms")), *((code, code) for code in codes)]


class ReportQueryForm(forms.Form):
    """What to total, by what, for which year and filters (all validated: bad input is a form error)."""

    measure = forms.ChoiceField(label=_("Measure"), choices=[(k, m.label) for k, m in MEASURES.items()])
    dimension = forms.ChoiceField(label=_("Group by"), choices=[(k, d.label) for k, d in DIMENSIONS.items()])
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    form = forms.ChoiceField(label=_("Form"), required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), required=False, empty_label=_("All communes"),
                                     queryset=AdministrativeUnit.objects.only("pk", "name").order_by("name"))
    zone = forms.ModelChoiceField(label=_("Zone"), required=False, empty_label=_("All zones"),
                                  queryset=IndustrialZone.objects.only("pk", "name").order_by("name"))
    breakdown = forms.BooleanField(label=_("Break down by CTNH code, waste kind or parameter"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = _form_codes()  # read once, for validation and for the page
        for name in ("commune", "zone"):  # the bare name: the options need no other column
            self.fields[name].label_from_instance = lambda obj: obj.name

    def query(self) -> dict:
        """The keyword arguments of reports.analytics.query_table()."""
        data = self.cleaned_data
        return {"measure": data["measure"], "dimension": data["dimension"], "year": data["year"],
                "form": data["form"] or None, "commune": data["commune"], "zone": data["zone"],
                "breakdown": data["breakdown"]}


def table_rows(result: AnalyticsResult, *, breakdown: bool) -> list[list]:
    """The result as rows of cells (header first, total last) for CSV and XLSX."""
    m, d = result.measure, result.dimension
    unit = f" ({m.unit})" if m.unit else ""
    header = [str(d.label)] + ([str(m.detail_label)] if breakdown else []) + [
        f"{m.label}{unit}", gettext("Reports"), gettext("Values ignored")]
    not_set = gettext("Not specified")
    rows = [header]
    for r in result.rows:
        rows.append([r["dim_label"] or not_set] + ([r["detail"] or not_set] if breakdown else [])
                    + [r["value"], r["reports"], r["ignored"]])
    if result.total:
        t = result.total
        rows.append([gettext("Total")] + ([""] if breakdown else []) + [t["value"], t["reports"], t["ignored"]])
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_download(rows: list[list], filename: str) -> HttpResponse:
    """UTF-8 with a BOM, so that Excel reads the Vietnamese names right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, filename)


def xlsx_download(rows: list[list], filename: str, *, title: str) -> HttpResponse:
    """One sheet; numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), filename)


class ReportQueryView(OfficerRequiredMixin, View):
    """Totals across the received reports in the officer's scope, with CSV/XLSX downloads."""

    template_name = "reports/analytics.html"
    http_method_names = ["get", "head"]

    def get(self, request):
        data = request.GET.copy()
        defaults = {"measure": "hazardous_waste_kg", "dimension": "commune",
                    "year": str(reporting_year(timezone.localdate()))}
        for key, value in defaults.items():
            if not data.get(key):
                data[key] = value
        form = ReportQueryForm(data)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        query = form.query()
        result = query_table(user=request.user, **query)
        breakdown = bool(query["breakdown"] and result.measure.detail)
        fmt = form.cleaned_data["format"]
        if fmt:
            rows = table_rows(result, breakdown=breakdown)
            name = f"bvmt-{query['measure']}-{query['dimension']}-{query['year']}"
            if fmt == "csv":
                return csv_download(rows, f"{name}.csv")
            return xlsx_download(rows, f"{name}.xlsx", title=f"{query['measure']} {query['year']}")
        params = data.copy()
        params.pop("format", None)
        return render(request, self.template_name, {
            "form": form, "result": result, "breakdown": breakdown, "query_string": params.urlencode(),
            "show_parameters": result.measure.is_count and not breakdown,
        })
