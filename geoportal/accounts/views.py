"""Account pages: the list of accounts in scope, with their periodic review."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, View

from geoportal.accounts.filters import UserFilter
from geoportal.accounts.models import User
from geoportal.accounts.selectors import users_for
from geoportal.accounts.services import user_mark_reviewed
from geoportal.audit.models import AuditEvent
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Action, Capability, get_scoped_or_404, has_capability


class UserListView(CapabilityRequiredMixin, ListView):
    capability = Capability.ACCOUNTS_VIEW
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = UserFilter(self.request.GET, queryset=users_for(self.request.user).order_by("organisation__name", "username"))
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["can_review"] = has_capability(self.request.user, Capability.ACCOUNTS_REVIEW)
        ctx["query_string"] = query_string_without_page(self.request)
        return ctx


class UserDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.ACCOUNTS_VIEW
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_queryset(self):
        return users_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_review"] = has_capability(self.request.user, Capability.ACCOUNTS_REVIEW)
        if has_capability(self.request.user, Capability.AUDIT_VIEW):
            ctx["events"] = AuditEvent.objects.for_user(self.request.user).for_object(self.object)[:20]
        return ctx


class UserReviewView(CapabilityRequiredMixin, View):
    """POST only: mark the account reviewed, then go back to where the officer was."""

    capability = Capability.ACCOUNTS_REVIEW
    http_method_names = ["post"]

    def post(self, request, pk: int):
        target = get_scoped_or_404(User.objects.all(), request.user, Action.APPROVE, pk=pk)
        note = request.POST.get("note", "")[:500]
        user_mark_reviewed(actor=request.user, user=target, note=note)
        messages.success(request, _("Account %(u)s marked as reviewed.") % {"u": target.username})
        nxt = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(nxt)
        return redirect("accounts:user-detail", pk=target.pk)
