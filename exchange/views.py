"""Officer pages of the exchange: the data packages (Department only)."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from exchange.models import DataPackage
from exchange.schema import COLLECTIONS, SCHEMA_VERSION
from exchange.services import request_data_package
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Capability, get_scoped_or_404, scope_for


class BuildForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Reporting year"), required=False, min_value=2000, max_value=2100,
                              help_text=gettext_lazy("Limits reports, daily monitoring and exceedances to the year; "
                                                     "empty: everything."))


class DepartmentMixin(CapabilityRequiredMixin):
    """Packages hold the whole city's data with every field: the Department's officers only."""

    capability = Capability.WORKSPACE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).everything:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PackageListView(DepartmentMixin, ListView):
    template_name = "exchange/packages.html"
    context_object_name = "packages"
    paginate_by = 25
    form: BuildForm | None = None

    def get_queryset(self):
        return DataPackage.objects.for_user(self.request.user).select_related("created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form or BuildForm(initial={"year": timezone.localdate().year - 1})
        ctx["collections"] = list(COLLECTIONS.values())
        ctx["schema_version"] = SCHEMA_VERSION
        return ctx


class PackageDownloadView(DepartmentMixin, View):
    def get(self, request, pk: int):
        package = get_scoped_or_404(DataPackage.objects.ready(), request.user, pk=pk)
        try:
            handle = package.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=package.filename, content_type="application/zip")


class PackageBuildView(DepartmentMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = BuildForm(request.POST)
        if form.is_valid():
            try:
                request_data_package(actor=request.user, year=form.cleaned_data["year"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The data package is being built. It appears in this list when ready."))
                return redirect("exchange:packages")
        view = PackageListView(request=request, args=(), kwargs={}, form=form)
        view.object_list = view.get_queryset()
        response = view.render_to_response(view.get_context_data())
        response.status_code = 400
        return response
