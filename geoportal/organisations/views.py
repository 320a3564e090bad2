from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from geoportal.accounts.services import account_handover
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.organisations.filters import OrganisationFilter
from geoportal.organisations.forms import HandoverForm
from geoportal.organisations.models import Organisation
from geoportal.organisations.selectors import organisations_for
from geoportal.scopes import Action, Capability, get_scoped_or_404, has_capability


class OrganisationListView(CapabilityRequiredMixin, ListView):
    capability = Capability.ORGANISATIONS_VIEW
    template_name = "organisations/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = OrganisationFilter(self.request.GET, queryset=organisations_for(self.request.user))
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["query_string"] = query_string_without_page(self.request)
        return ctx


class OrganisationDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.ORGANISATIONS_VIEW
    template_name = "organisations/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return organisations_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        ctx["members"] = org.users.select_related("last_reviewed_by").order_by("username")
        ctx["handovers"] = org.handovers.select_related("from_user", "to_user", "performed_by")[:20]
        if has_capability(self.request.user, Capability.ACCOUNTS_MANAGE):
            ctx["handover_form"] = kwargs.get("handover_form") or HandoverForm(organisation=org)
        return ctx

    def post(self, request, pk: int):
        if not has_capability(request.user, Capability.ACCOUNTS_MANAGE):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        org = get_scoped_or_404(Organisation.objects.all(), request.user, Action.MANAGE, pk=pk)
        form = HandoverForm(request.POST, organisation=org)
        if form.is_valid():
            try:
                account_handover(
                    actor=request.user, organisation=org, to_user=form.cleaned_data["to_user"],
                    reason=form.cleaned_data["reason"],
                    deactivate_previous=form.cleaned_data["deactivate_previous"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The account of %(org)s was handed over to %(u)s.") % {
                    "org": org, "u": form.cleaned_data["to_user"].username})
                return redirect("organisations:detail", pk=org.pk)
        self.object = organisations_for(request.user).get(pk=org.pk)
        return self.render_to_response(self.get_context_data(handover_form=form), status=400)
