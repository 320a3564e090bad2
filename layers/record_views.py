"""Create and edit records attached to a facility or zone: permits (with discharge
streams and trial operation) and inspections (with remedies)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from geoportal.scopes import Action, get_scoped_or_404
from layers.forms import InspectionForm, PermitForm, RemedyFormSet, StreamFormSet, TrialFormSet, formset_rows
from layers.models import Facility, IndustrialZone, Inspection, Permit
from layers.services.inspections import inspection_save
from layers.services.permits import permit_reissue, permit_save

PARENTS = {"facilities": Facility, "zones": IndustrialZone}


def _parent(request, slug: str, pk: int):
    model = PARENTS.get(slug)
    if model is None:
        raise Http404
    return get_scoped_or_404(model.objects.all(), request.user, Action.CHANGE, pk=pk)


def _bind_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PermitEditView(LoginRequiredMixin, View):
    """New permit for a facility/zone (slug+pk), edit (permit pk), or re-issue (reissue=True)."""

    template_name = "layers/permit_form.html"
    reissue = False

    def _objects(self, request, **kw):
        if "permit_pk" in kw:
            permit = get_scoped_or_404(Permit.objects.all(), request.user, Action.CHANGE, pk=kw["permit_pk"])
            parent = permit.facility or permit.zone
            if self.reissue:
                return parent, Permit(facility=permit.facility, zone=permit.zone), permit
            return parent, permit, None
        parent = _parent(request, kw["slug"], kw["pk"])
        permit = Permit(facility=parent) if isinstance(parent, Facility) else Permit(zone=parent)
        return parent, permit, None

    def _forms(self, request, permit, data=None):
        prefix_obj = permit if permit.pk else None
        return (PermitForm(data, instance=permit),
                StreamFormSet(data, instance=prefix_obj or Permit(), prefix="streams"),
                TrialFormSet(data, instance=prefix_obj or Permit(), prefix="trials"))

    def get(self, request, **kw):
        parent, permit, old = self._objects(request, **kw)
        form, streams, trials = self._forms(request, permit)
        return render(request, self.template_name, {"parent": parent, "form": form, "streams": streams,
                                                    "trials": trials, "old": old, "permit": permit})

    def post(self, request, **kw):
        parent, permit, old = self._objects(request, **kw)
        form, streams, trials = self._forms(request, permit, request.POST)
        if form.is_valid() and streams.is_valid() and trials.is_valid():
            values = {k: v for k, v in form.cleaned_data.items()}
            try:
                if old is not None:
                    saved = permit_reissue(actor=request.user, old=old, values=values)
                    saved = permit_save(actor=request.user, permit=saved, streams=formset_rows(streams),
                                        trials=formset_rows(trials))
                else:
                    saved = permit_save(actor=request.user, permit=permit, values=values,
                                        streams=formset_rows(streams), trials=formset_rows(trials))
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                _bind_errors(form, exc)
            else:
                messages.success(request, _("Permit %(n)s saved.") % {"n": saved.full_number})
                return redirect("layers:permit-detail", pk=saved.pk)
        return render(request, self.template_name, {"parent": parent, "form": form, "streams": streams,
                                                    "trials": trials, "old": old, "permit": permit}, status=400)


class InspectionEditView(LoginRequiredMixin, View):
    template_name = "layers/inspection_form.html"

    def _objects(self, request, **kw):
        if "inspection_pk" in kw:
            inspection = get_scoped_or_404(Inspection.objects.all(), request.user, Action.CHANGE, pk=kw["inspection_pk"])
            return inspection.facility or inspection.zone, inspection
        parent = _parent(request, kw["slug"], kw["pk"])
        return parent, Inspection(facility=parent) if isinstance(parent, Facility) else Inspection(zone=parent)

    def get(self, request, **kw):
        parent, inspection = self._objects(request, **kw)
        return render(request, self.template_name, {
            "parent": parent, "form": InspectionForm(instance=inspection),
            "remedies": RemedyFormSet(instance=inspection if inspection.pk else Inspection(), prefix="remedies")})

    def post(self, request, **kw):
        parent, inspection = self._objects(request, **kw)
        form = InspectionForm(request.POST, instance=inspection)
        remedies = RemedyFormSet(request.POST, instance=inspection if inspection.pk else Inspection(), prefix="remedies")
        if form.is_valid() and remedies.is_valid():
            try:
                inspection_save(actor=request.user, inspection=inspection, values=dict(form.cleaned_data),
                                remedies=formset_rows(remedies))
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                _bind_errors(form, exc)
            else:
                messages.success(request, _("Inspection saved."))
                slug = "facilities" if isinstance(parent, Facility) else "zones"
                return redirect("layers:detail", slug=slug, pk=parent.pk)
        return render(request, self.template_name, {"parent": parent, "form": form, "remedies": remedies}, status=400)
