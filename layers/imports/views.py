"""Import pages: upload -> preview (dry run) -> import or cancel; the list of past
imports; the permit book export. Thin views: a form, a service, a redirect."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from geoportal.scopes import Action
from layers.imports.forms import ImportUploadForm, layer_label
from layers.imports.permissions import may_import
from layers.imports.permit_book import export_permit_book
from layers.imports.report import REJECT, ImportRefused
from layers.imports.selectors import import_batch_list, import_batches_for
from layers.imports.services import import_batch_cancel, import_batch_commit, import_batch_preview
from layers.models import ImportBatch, Permit

ROWS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImporterRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; users who may not import get a 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def get_batch_or_404(user, pk: int) -> ImportBatch:
    """A batch of the user's organisation (or any, for the Department); else 404."""
    try:
        return import_batches_for(user).select_related("uploaded_by", "organisation").get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


class ImportListView(ImporterRequiredMixin, ListView):
    template_name = "layers/imports/import_list.html"
    context_object_name = "batches"
    paginate_by = 50

    def get_queryset(self):
        return import_batch_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for batch in ctx["batches"]:
            batch.layer_label = layer_label(batch.layer)
        return ctx


class ImportUploadView(ImporterRequiredMixin, View):
    template_name = "layers/imports/import_form.html"

    def get(self, request):
        form = ImportUploadForm(user=request.user, initial={"layer": request.GET.get("layer")})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                batch = import_batch_preview(actor=request.user, layer=form.cleaned_data["layer"],
                                             upload=form.cleaned_data["file"], options=form.options)
            except ImportRefused as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect("layers:imports:detail", pk=batch.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ImportDetailView(LoginRequiredMixin, View):
    template_name = "layers/imports/import_detail.html"

    def get(self, request, pk: int):
        batch = get_batch_or_404(request.user, pk)
        report = batch.report or {}
        rows = report.get("rows", [])
        only_issues = request.GET.get("show") == "issues"
        if only_issues:
            rows = [r for r in rows if r.get("messages") or r.get("outcome") == REJECT or r.get("needs_review")]
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        can_act = batch.status == ImportBatch.Status.PREVIEWED and batch.uploaded_by_id == request.user.pk
        return render(request, self.template_name, {
            "batch": batch, "report": report, "page_obj": page, "is_paginated": page.has_other_pages(),
            "rows": page.object_list, "only_issues": only_issues, "layer_label": layer_label(batch.layer),
            "can_import": can_act and batch.rejected_count == 0, "can_cancel": can_act,
            "query_string": "show=issues" if only_issues else "",
        })


class _BatchActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def act(self, request, batch: ImportBatch) -> ImportBatch:  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, pk: int):
        batch = get_batch_or_404(request.user, pk)
        try:
            batch = self.act(request, batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("layers:imports:detail", pk=batch.pk)


class ImportCommitView(_BatchActionView):
    def act(self, request, batch):
        batch = import_batch_commit(actor=request.user, batch=batch)
        if batch.status == ImportBatch.Status.IMPORTED:
            messages.success(request, batch.report.get("summary") or _("Imported."))
        else:
            messages.error(request, batch.report.get("summary") or _("Nothing was imported."))
        return batch


class ImportCancelView(_BatchActionView):
    def act(self, request, batch):
        batch = import_batch_cancel(actor=request.user, batch=batch)
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return batch


class PermitBookExportView(LoginRequiredMixin, View):
    """The permits the user may see, as the permit book (.xlsx)."""

    def get(self, request):
        data = export_permit_book(Permit.objects.for_user(request.user, Action.VIEW))
        response = HttpResponse(data, content_type=XLSX)
        filename = f"so-theo-doi-giay-phep-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
