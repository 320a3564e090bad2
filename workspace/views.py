"""Officer workspace pages: the dashboard (/officer/) and the work queues (/officer/queues/).
Thin views: a form for the year, then the selectors of workspace.dashboard and workspace.queues."""
from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Capability
from layers.domain.permits import EXPIRING_WINDOW_MONTHS
from reports.selectors import open_years, reporting_year
from workspace.charts import bar_chart, line_chart
from workspace.dashboard import dashboard
from workspace.queues import work_queues


class YearForm(forms.Form):
    """The reporting year of the report figures: one of the years reports can be filed for."""

    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class DashboardView(CapabilityRequiredMixin, View):
    """Counts and trends of the officer's scope, each linked to its list and to the map."""

    capability = Capability.WORKSPACE

    def get(self, request):
        today = timezone.localdate()
        form = YearForm(request.GET if "year" in request.GET else None, years=open_years(today))
        valid = not form.is_bound or form.is_valid()
        # A bad year is a form error on the page (400); the figures are then the default year's.
        year = (form.cleaned_data.get("year") if form.is_bound and valid else None) or reporting_year(today)
        figures = dashboard(user=request.user, year=year, today=today)
        charts = {
            "reports": bar_chart(figures["reports_trend"], title=_("Reports received per reporting year"),
                                 value_label=_("Reports received")),
            "exceedances": line_chart(figures["exceedance_trend"], title=_("Exceedance events per month"),
                                      value_label=_("Events begun")),
        }
        sections = [
            ("sectors", _("Facilities by sector"), figures["by_sector"], ""),
            ("communes", _("Facilities by commune"), figures["by_commune"], ""),
            ("permits", _("Environmental permits"), figures["permits"],
             _("Current permits (not superseded or revoked); expiring: within %(months)s months.")
             % {"months": EXPIRING_WINDOW_MONTHS}),
            ("reports", _("Annual reports for %(year)s") % {"year": year}, figures["reports"],
             _("Facilities and zone investors that must report; a report counts as received once submitted. "
               "Only accepted reports count in official figures.")),
            ("remedies", _("Inspection remedies"), figures["remedies"],
             _("The list shows the inspections that ordered them.")),
            ("exceedances", _("Monitoring exceedances"), figures["exceedances"], ""),
        ]
        return render(request, "workspace/dashboard.html", {
            **figures, "sections": sections, "form": form, "year": year, "today": today, "charts": charts,
            "facilities_total": sum(f.value for f in figures["by_commune"]),
        }, status=200 if valid else 400)


class QueuesView(CapabilityRequiredMixin, View):
    """What waits for the officer: reports to review, entries to approve, rows to check, accounts."""

    capability = Capability.WORKSPACE

    def get(self, request):
        return render(request, "workspace/queues.html",
                      {"queues": work_queues(user=request.user, today=timezone.localdate())})
