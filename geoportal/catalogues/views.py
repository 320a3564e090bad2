"""Catalogue pages: officers read them, the department admin edits them; every edit is a revision."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from geoportal.catalogues import selectors
from geoportal.catalogues.forms import CommentForm, SearchForm, add_service_errors
from geoportal.catalogues.models import Revision
from geoportal.catalogues.registry import VIEW_CAPABILITY, ManagedCatalogue, get_managed
from geoportal.catalogues.services import managed_create, managed_deactivate, managed_update
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Action, Capability, has_capability

PAGE_SIZE = 50


class CatalogueMixin(CapabilityRequiredMixin):
    """Resolves /catalogues/<key>/ to its managed catalogue (404 when unknown); officers may read."""

    capability = VIEW_CAPABILITY
    edits = False  # True: the page changes rows and needs the catalogue's own capability

    def setup_catalogue(self, request, key: str) -> ManagedCatalogue:
        catalogue = get_managed(key)
        if catalogue is None:
            raise Http404
        if self.edits and not has_capability(request.user, catalogue.capability):
            raise PermissionDenied
        self.catalogue = catalogue
        return catalogue

    def get_row(self, request, pk: int, action: Action = Action.VIEW):
        """One row through the catalogue's queryset (the model's scope when it has one): else 404."""
        try:
            return self.catalogue.queryset(request.user, action).get(pk=pk)
        except (self.catalogue.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def base_context(self, request) -> dict:
        return {"catalogue": self.catalogue, "can_edit": has_capability(request.user, self.catalogue.capability)}


class CatalogueIndexView(CatalogueMixin, TemplateView):
    template_name = "catalogues/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.catalogue_overview(self.request.user)
        ctx["can_manage"] = has_capability(self.request.user, Capability.CATALOGUES_MANAGE)
        return ctx


class CatalogueRowsView(CatalogueMixin, View):
    def get(self, request, key: str):
        catalogue = self.setup_catalogue(request, key)
        search = SearchForm(request.GET)
        qs = catalogue.queryset(request.user)
        if search.is_valid():
            qs = selectors.search(catalogue, qs, search.cleaned_data["q"])
        page = Paginator(selectors.with_latest_version(qs), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(obj, selectors.cells(catalogue, obj),
                 catalogue.is_active(obj) if catalogue.is_active else None) for obj in page.object_list]
        return render(request, "catalogues/rows.html", {
            **self.base_context(request), "search": search, "rows": rows, "page_obj": page,
            "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "query_string": query_string_without_page(request), "columns": selectors.column_labels(catalogue),
        })


class CatalogueEditView(CatalogueMixin, View):
    """New row (pk None) or an edit of one; a service error is shown on the form, never a 500."""

    edits = True

    def _context(self, request, form, comment, obj):
        reason = self.catalogue.locked(obj) if obj is not None and self.catalogue.locked else None
        return {**self.base_context(request), "form": form, "comment_form": comment, "object": obj,
                "locked_reason": reason}

    def _load(self, request, key: str, pk: int | None):
        catalogue = self.setup_catalogue(request, key)
        if pk is None:
            if not catalogue.allow_create:
                raise Http404
            return None
        return self.get_row(request, pk, Action.CHANGE)

    def get(self, request, key: str, pk: int | None = None):
        obj = self._load(request, key, pk)
        return render(request, "catalogues/form.html",
                      self._context(request, self.catalogue.form(instance=obj), CommentForm(), obj))

    def post(self, request, key: str, pk: int | None = None):
        obj = self._load(request, key, pk)
        form = self.catalogue.form(instance=obj, data=request.POST)
        comment = CommentForm(request.POST)
        if form.is_valid() and comment.is_valid():
            data = {name: form.cleaned_data[name] for name in self.catalogue.fields if name in form.cleaned_data}
            try:
                if obj is None:
                    saved = managed_create(actor=request.user, catalogue=self.catalogue, data=data,
                                           comment=comment.cleaned_data["comment"])
                    messages.success(request, _("Created: %(name)s") % {"name": saved})
                else:
                    saved = managed_update(actor=request.user, catalogue=self.catalogue, obj=obj, data=data,
                                           comment=comment.cleaned_data["comment"])
                    messages.success(request, _("Saved: %(name)s") % {"name": saved})
                return redirect("catalogues:history", key=self.catalogue.key, pk=saved.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
        if obj is not None:
            obj.refresh_from_db()  # the form wrote the posted values into it
        return render(request, "catalogues/form.html", self._context(request, form, comment, obj), status=400)


class CatalogueDeactivateView(CatalogueMixin, View):
    edits = True
    http_method_names = ["post"]

    def post(self, request, key: str, pk: int):
        self.setup_catalogue(request, key)
        obj = self.get_row(request, pk, Action.CHANGE)
        comment = CommentForm(request.POST)
        try:
            if not comment.is_valid():
                raise ValidationError(comment.errors["comment"])
            managed_deactivate(actor=request.user, catalogue=self.catalogue, obj=obj,
                               comment=comment.cleaned_data["comment"])
            messages.success(request, _("Deactivated: %(name)s") % {"name": obj})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("catalogues:history", kwargs={"key": key, "pk": pk}))


class CatalogueHistoryView(CatalogueMixin, View):
    def get(self, request, key: str, pk: int):
        catalogue = self.setup_catalogue(request, key)
        obj = self.get_row(request, pk)
        revisions = (Revision.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                             object_id=str(obj.pk)).order_by("-version"))
        page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
        page_revisions = list(page.object_list)
        selectors.revision_diffs(catalogue, page_revisions)
        return render(request, "catalogues/history.html", {
            **self.base_context(request), "object": obj, "revisions": page_revisions, "page_obj": page, "paginator": page.paginator,
            "is_paginated": page.has_other_pages(), "query_string": "",
            "can_audit": has_capability(request.user, Capability.AUDIT_VIEW),
            "is_active": catalogue.is_active(obj) if catalogue.is_active else None,
            "locked_reason": catalogue.locked(obj) if catalogue.locked else None,
        })
