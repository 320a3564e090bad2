"""Create and edit features (officers, communes, the EZ board, enterprises)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from geoportal.accounts.choices import Role
from geoportal.scopes import Action, get_scoped_or_404, scope_for
from layers.feature_forms import feature_form_class
from layers.registry import LAYERS
from layers.services.features import feature_save


class FeatureEditView(LoginRequiredMixin, View):
    template_name = "layers/feature_form.html"

    def _setup(self, request, slug, pk=None):
        layer = LAYERS.get(slug)
        if layer is None:
            raise Http404
        scope = scope_for(request.user)
        if scope.read_only or scope.is_anonymous:
            raise PermissionDenied
        if pk is None:
            obj = layer.model()
            if slug == "facilities" and scope.has(Role.ENTERPRISE_USER):
                obj.owner_organisation = request.user.organisation
        else:
            obj = get_scoped_or_404(layer.model.objects.all(), request.user, Action.CHANGE, pk=pk)
        return layer, obj, feature_form_class(layer, request.user)

    def _context(self, request, layer, obj, form):
        scope = scope_for(request.user)
        return {"layer": layer, "feature": obj, "form": form,
                "may_save_draft": not (scope.everything or scope.has(Role.EZ_OFFICER))}

    def get(self, request, slug, pk=None):
        layer, obj, form_class = self._setup(request, slug, pk)
        return render(request, self.template_name, self._context(request, layer, obj, form_class(instance=obj)))

    def post(self, request, slug, pk=None):
        layer, obj, form_class = self._setup(request, slug, pk)
        form = form_class(request.POST, instance=obj)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items()}
            values["source_srid"] = form.fields["geom"].widget.source_srid_from_datadict(request.POST, form.add_prefix("geom"))
            try:
                saved = feature_save(actor=request.user, obj=obj, values=values,
                                     submit="save_draft" not in request.POST)
            except PermissionDenied:
                form.add_error("geom", _("This location is outside your scope (your commune, zone or facilities)."))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved: %(name)s (%(status)s).") % {
                    "name": saved.name, "status": saved.get_approval_status_display()})
                return redirect("layers:detail", slug=layer.slug, pk=saved.pk)
        return render(request, self.template_name, self._context(request, layer, obj, form), status=400)
