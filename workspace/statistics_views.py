"""/officer/statistics/ ("workspace:statistics"): a measure by a dimension over a range of years
in the officer's scope, as a server-rendered SVG bar chart, a table, and CSV/XLSX downloads
(?format=csv|xlsx on the same URL)."""
from __future__ import annotations

import io
import re

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from layers.exports.views import attachment, neutralise
from reports.analytics_views import FORMATS, XLSX_TYPE, OfficerRequiredMixin, csv_download
from reports.selectors import FIRST_YEAR, reporting_year
from workspace.statistics import DIMENSIONS, MAX_YEARS, MEASURES, YEAR, Column, Statistic, statistic

LAST_YEAR = 2100
CHART_ROWS = 30  # the chart shows the largest groups; the table and downloads have them all
LABEL_CHARS = 28  # longer names are cut in the chart (the full name is its tooltip)
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name


class StatisticsForm(forms.Form):
    """Which measure, by which dimension, over which years (bad input is a form error, never a 500)."""

    measure = forms.ChoiceField(label=_("Measure"), choices=[(k, m.label) for k, m in MEASURES.items()])
    dimension = forms.ChoiceField(label=_("Group by"), choices=list(DIMENSIONS.items()))
    year_from = forms.IntegerField(label=_("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    year_to = forms.IntegerField(label=_("To year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None:
            if first > last:
                self.add_error("year_to", _("The last year comes before the first."))
            elif last - first >= MAX_YEARS:
                self.add_error("year_to", _("A range covers at most %(n)d years.") % {"n": MAX_YEARS})
        return data


def _header(column: Column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else str(column.label)


def table_rows(stat: Statistic) -> list[list]:
    """The main table as rows of cells (header first, total last), neutralised for spreadsheets."""
    not_set = gettext("Not specified")
    rows = [[str(stat.dimension_label), *(_header(c) for c in stat.columns)]]
    rows += [[r["label"] or not_set, *(r[c.key] for c in stat.columns)] for r in stat.rows]
    if stat.total:
        rows.append([gettext("Total"), *(stat.total.get(c.key, "") for c in stat.columns)])
    return [[neutralise(cell) for cell in row] for row in rows]


def detail_rows(stat: Statistic) -> list[list]:
    """The breakdown table (by CTNH code, waste kind or parameter) as rows of cells, header first."""
    if not stat.detail_columns:
        return []
    not_set = gettext("Not specified")
    rows = [[str(stat.dimension_label), str(stat.detail_label), *(_header(c) for c in stat.detail_columns)]]
    rows += [[r["label"] or not_set, r["detail"] or not_set, *(r[c.key] for c in stat.detail_columns)]
             for r in stat.details]
    return [[neutralise(cell) for cell in row] for row in rows]


def xlsx_download(sheets: list[tuple[str, list[list]]], filename: str) -> HttpResponse:
    """One sheet per table; numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title=SHEET_NAME.sub(" ", title)[:31])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), filename)


def _coordinate(value: float) -> str:
    # A string, so that the template does not localise it ("430,0" is no SVG number).
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(stat: Statistic, *, width: int = 720, bar: int = 18, gap: int = 6, label_width: int = 200,
              value_width: int = 90) -> dict:
    """Geometry of a horizontal stacked bar chart of the charted columns (one bar per group)."""
    charted = stat.charted
    # The largest groups (rows come largest first), or the last years.
    groups = stat.rows[-CHART_ROWS:] if stat.dimension == YEAR else stat.rows[:CHART_ROWS]
    sums = [sum(r[c.key] for c in charted) for r in groups]
    top = float(max(sums, default=0)) or 1.0
    plot = width - label_width - value_width
    not_set = gettext("Not specified")
    bars = []
    for n, (r, size) in enumerate(zip(groups, sums, strict=True)):
        y = n * (bar + gap)
        x = float(label_width)
        segments = []
        for c in charted:
            w = float(r[c.key]) / top * plot
            if w > 0:
                segments.append({"x": _coordinate(x), "width": _coordinate(w), "colour": c.colour,
                                 "title": f"{c.label}: {r[c.key]}"})
                x += w
        label = r["label"] or not_set
        bars.append({"y": y, "text_y": y + bar - 5, "label": label, "segments": segments, "value": size,
                     "short": label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…",
                     "value_x": _coordinate(x + 4)})
    return {"width": width, "height": max(len(bars) * (bar + gap), bar), "bar": bar, "bars": bars,
            "label_x": label_width - 6, "legend": charted if len(charted) > 1 else (),
            "truncated": len(stat.rows) > CHART_ROWS}


class StatisticsView(OfficerRequiredMixin, View):
    """A measure by dimension over the officer's scope, with a chart, a table and CSV/XLSX downloads."""

    template_name = "workspace/statistics.html"
    http_method_names = ["get", "head"]

    def get(self, request):
        data = request.GET.copy()
        year = str(reporting_year(timezone.localdate()))
        for key, value in {"measure": "wastewater", "dimension": "commune", "year_from": year,
                           "year_to": data.get("year_from") or year}.items():
            if not data.get(key):
                data[key] = value
        form = StatisticsForm(data)
        if not form.is_valid():
            # A form error, on the page with status 200: the officer corrects the field.
            return render(request, self.template_name, {"form": form})
        q = form.cleaned_data
        stat = statistic(measure=q["measure"], user=request.user, dimension=q["dimension"],
                         first_year=q["year_from"], last_year=q["year_to"])
        if q["format"]:
            name = f"thong-ke-{stat.measure}-{stat.dimension}-{stat.first_year}-{stat.last_year}"
            details = detail_rows(stat)
            if q["format"] == "csv":
                rows = table_rows(stat) + ([[], *details] if details else [])
                return csv_download(rows, f"{name}.csv")
            sheets = [(str(stat.spec.label), table_rows(stat))]
            if details:
                sheets.append((str(stat.detail_label), details))
            return xlsx_download(sheets, f"{name}.xlsx")
        params = data.copy()
        params.pop("format", None)
        return render(request, self.template_name, {
            "form": form, "stat": stat, "chart": bar_chart(stat), "query_string": params.urlencode(),
            "table": [(r["label"], [r[c.key] for c in stat.columns]) for r in stat.rows],
            "total": [stat.total.get(c.key, "") for c in stat.columns],
            "details": [(r["label"], r["detail"], [r[c.key] for c in stat.detail_columns]) for r in stat.details],
        })
