"""Pages of the register: layer lists, feature pages, permits, inspections, the
approval queue and the monthly-update table. Views stay thin: querysets scope,
services write."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View

from geoportal.accounts.choices import Role
from geoportal.core.html import json_for_script
from geoportal.core.pagination import query_string_without_page
from geoportal.scopes import Action, get_scoped_or_404, scope_for
from layers.choices import ApprovalStatus
from layers.documents.selectors import target_type_of
from layers.filters import InspectionFilter, PermitFilter
from layers.models import Facility, IndustrialZone, Inspection, MonthlyUpdate, Permit, ProtectedArea
from layers.panels import panels_for
from layers.publishing import public_fields
from layers.registry import LAYERS, Layer
from layers.selectors import facility_records, layer_list, monthly_reporting_units, public_permits, zone_records
from layers.services.approval import TransitionError, entry_approve, entry_reject
from layers.services.monthly import is_late, month_start, monthly_declare_no_change


class LayerMixin:
    def get_layer(self) -> Layer:
        layer = LAYERS.get(self.kwargs["slug"])
        if layer is None:
            raise Http404
        return layer


class LayerListView(LoginRequiredMixin, LayerMixin, ListView):
    """A layer's table: paginated, filterable, scoped."""

    template_name = "layers/layer_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.layer = self.get_layer()
        self.filterset = self.layer.filterset(self.request.GET, queryset=layer_list(layer=self.layer, user=self.request.user))
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fields = {f.name: f for f in self.layer.model._meta.fields}
        ctx.update(layer=self.layer, filter=self.filterset, query_string=query_string_without_page(self.request),
                   columns=[(c, fields[c].verbose_name) for c in self.layer.columns])
        return ctx


class FeatureDetailView(LayerMixin, DetailView):
    """A feature's page: small map, attributes, records, documents. Public once the
    layer is published (issue 4); until then, for users in scope."""

    template_name = "layers/feature_detail.html"
    context_object_name = "feature"

    def get_queryset(self):
        self.layer = self.get_layer()
        return self.layer.model.objects.for_user(self.request.user, Action.VIEW).select_related(*self.layer.select_related)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        model = type(obj)
        # In the user's own scope: every field and record. Otherwise the entry is only
        # published: its public fields, its permits' status and its public documents.
        private = model.objects.for_user_private(user).filter(pk=obj.pk).exists()
        shown = self.layer.detail_fields if private else [f for f in self.layer.detail_fields
                                                          if f in public_fields(self.layer.slug)]
        fields = {f.name: f for f in obj._meta.fields}
        attributes = []
        for name in shown:
            f = fields[name]
            value = getattr(obj, f"get_{name}_display")() if f.choices else getattr(obj, name)
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            attributes.append((f.verbose_name, value))
        ctx.update(layer=self.layer, attributes=attributes, private=private,
                   geometry_json=json_for_script({"type": "Feature", "geometry": json.loads(obj.geom.json),
                                                  "properties": {"name": obj.name}}))
        ctx["panels"] = panels_for(feature=obj, user=user) if private else []
        if private and isinstance(obj, Facility):
            ctx.update(facility_records(facility=obj, user=user))
        elif private and isinstance(obj, IndustrialZone):
            ctx.update(zone_records(zone=obj, user=user))
            ctx["zone_facilities"] = Facility.objects.for_user(user).filter(zone=obj).order_by("name")[:200]
        elif isinstance(obj, (Facility, IndustrialZone)):
            ctx["permits"] = public_permits(feature=obj)
        if isinstance(obj, ProtectedArea):
            ctx["species_records"] = obj.species_records.select_related("species").order_by("species__scientific_name")
        documents = obj.documents.order_by("-uploaded_at")
        ctx["documents"] = documents if private else documents.filter(is_public=True)
        ctx["doc_target"] = target_type_of(model)  # the documents app's name for this kind of target
        ctx["can_approve"] = (obj.approval_status == ApprovalStatus.AWAITING and
                              model.objects.for_user(user, Action.APPROVE).filter(pk=obj.pk).exists())
        ctx["can_edit"] = model.objects.for_user(user, Action.CHANGE).filter(pk=obj.pk).exists()
        return ctx


class PermitListView(LoginRequiredMixin, ListView):
    template_name = "layers/permit_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = (Permit.objects.for_user(self.request.user).with_successor().with_expiry()
              .select_related("facility", "zone", "issuer").order_by("-signed_on", "-pk"))
        self.filterset = PermitFilter(self.request.GET, queryset=qs)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx.update(filter=self.filterset, query_string=query_string_without_page(self.request),
                   rows=[(p, p.state(today)) for p in ctx["object_list"]])
        return ctx


class PermitDetailView(LoginRequiredMixin, DetailView):
    template_name = "layers/permit_detail.html"
    context_object_name = "permit"

    def get_queryset(self):
        return (Permit.objects.for_user(self.request.user).with_successor()
                .select_related("facility", "zone", "issuer", "supersedes")
                .prefetch_related("discharge_streams", "trial_operations"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        chain = []
        node = self.object.supersedes
        while node is not None and len(chain) < 20:  # older permits this one replaced
            chain.append(node)
            node = node.supersedes
        ctx.update(state=self.object.state(), older_permits=chain,
                   can_edit=Permit.objects.for_user(self.request.user, Action.CHANGE).filter(pk=self.object.pk).exists(),
                   successor=Permit.objects.for_user(self.request.user).filter(supersedes=self.object).first(),
                   documents=self.object.documents.all())
        return ctx


class InspectionListView(LoginRequiredMixin, ListView):
    template_name = "layers/inspection_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = (Inspection.objects.for_user(self.request.user).select_related("facility", "zone")
              .prefetch_related("remedies").order_by("-inspected_on", "-pk"))
        self.filterset = InspectionFilter(self.request.GET, queryset=qs)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(filter=self.filterset, query_string=query_string_without_page(self.request))
        return ctx


APPROVABLE = {**{slug: layer.model for slug, layer in LAYERS.items()},
              "permits": Permit, "inspections": Inspection}


class ApprovalQueueView(LoginRequiredMixin, TemplateView):
    """Entries awaiting approval that this user may approve (commune chairman: the
    commune's entries; the Department: everything)."""

    template_name = "layers/approval_queue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        groups = []
        for slug, model in APPROVABLE.items():
            rows = list(model.objects.for_user(user, Action.APPROVE).filter(approval_status=ApprovalStatus.AWAITING)
                        .select_related("entered_by").order_by("submitted_at", "pk")[:200])
            if rows:
                groups.append({"slug": slug, "title": model._meta.verbose_name_plural, "rows": rows})
        ctx["groups"] = groups
        return ctx


class ApprovalActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug: str, pk: int, action: str):
        model = APPROVABLE.get(slug)
        if model is None or action not in ("approve", "reject"):
            raise Http404
        obj = get_scoped_or_404(model.objects.all(), request.user, Action.APPROVE, pk=pk)
        try:
            if action == "approve":
                entry_approve(actor=request.user, obj=obj)
                messages.success(request, _("Approved: %(name)s") % {"name": obj})
            else:
                entry_reject(actor=request.user, obj=obj, reason=request.POST.get("reason", ""))
                messages.success(request, _("Returned with a reason: %(name)s") % {"name": obj})
        except TransitionError as exc:
            messages.error(request, " ".join(exc.messages))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise Http404 from None
        return redirect("layers:approvals")


class MonthlyUpdatesView(LoginRequiredMixin, TemplateView):
    """Monthly updates are due before the 30th: each unit sees its own month; the
    Department and the EZ board see which units are late."""

    template_name = "layers/monthly.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        period = month_start(today)
        scope = scope_for(user)
        org = user.organisation
        ctx.update(period=period, today=today,
                   own=MonthlyUpdate.objects.filter(organisation=org, period=period).first() if org else None)
        if scope.everything:
            units = monthly_reporting_units(user=user).select_related("admin_unit").order_by("name")
            done = {u.organisation_id: u for u in MonthlyUpdate.objects.filter(period=period)}
            table = [(o, done.get(o.pk), is_late(o.pk in done, period=period, today=today)) for o in units]
            ctx.update(table=table, late_count=sum(1 for _, _, late in table if late))
        return ctx

    def post(self, request):
        scope = scope_for(request.user)
        if request.user.organisation is None or not (scope.unit_ids or scope.has(Role.EZ_OFFICER)):
            raise PermissionDenied
        monthly_declare_no_change(actor=request.user)
        messages.success(request, _("Recorded: no change this month."))
        return redirect("layers:monthly")
