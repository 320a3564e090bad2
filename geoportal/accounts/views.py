"""Account pages: the accounts in scope, their access (roles and data scope) and their periodic review."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView, ListView, View

from geoportal.accounts.choices import Role
from geoportal.accounts.filters import UserFilter
from geoportal.accounts.forms import ReviewBulkForm, UserAccessForm
from geoportal.accounts.models import ApiToken, User
from geoportal.accounts.selectors import users_for
from geoportal.accounts.services import user_mark_reviewed, user_update_access, users_disable, users_mark_reviewed
from geoportal.audit.models import AuditEvent
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.organisations.models import AdministrativeUnit
from geoportal.scopes import Action, Capability, get_scoped_or_404, has_capability, scope_for


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names when the form has it."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def account_coverage(account: User) -> dict:
    """What `account` covers, as its scope (geoportal/scopes.py) decides: communes and zones."""
    scope = scope_for(account)  # a disabled account gets the public scope: it covers nothing
    coverage = {"active": account.is_active, "everything": scope.everything, "read_only": scope.read_only,
                "units": [], "zones": None, "facilities": None}
    if not account.is_active or scope.everything:
        return coverage
    if scope.unit_ids:
        coverage["units"] = list(AdministrativeUnit.objects.filter(pk__in=scope.unit_ids)
                                 .order_by("name").only("pk", "name", "kind"))
    org = account.organisation
    if org is not None and scope.has(Role.EZ_OFFICER):
        coverage["zones"] = org.managed_zones.count()  # zones under the board (layers.IndustrialZone)
    if org is not None and scope.has(Role.ENTERPRISE_USER):
        coverage["facilities"] = org.facilities.count()
    return coverage


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
        ctx["can_manage"] = has_capability(self.request.user, Capability.ACCOUNTS_MANAGE)
        ctx["coverage"] = account_coverage(self.object)
        ctx["scope_units"] = self.object.scope_units.order_by("name").only("pk", "name", "kind")
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


class UserAccessView(CapabilityRequiredMixin, FormView):
    """The department admin sets an account's roles, organisation and additional communes."""

    capability = Capability.ACCOUNTS_MANAGE
    template_name = "accounts/user_access.html"
    form_class = UserAccessForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_capability(request.user, Capability.ACCOUNTS_MANAGE):
            self.account = get_scoped_or_404(
                User.objects.select_related("organisation"), request.user, Action.MANAGE, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def get_initial(self):
        return UserAccessForm.initial_for(self.account)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["account"] = self.account
        ctx["coverage"] = account_coverage(self.account)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            updated = user_update_access(
                actor=self.request.user, user=self.account, roles=data["roles"], organisation=data["organisation"],
                scope_units=list(data["scope_units"]), reason=data["reason"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The access of %(u)s was saved.") % {"u": updated.username})
        return redirect("accounts:user-detail", pk=updated.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def review_queue_for(user, show: str = "all"):
    """Active accounts due for the periodic review or unused, with why each is listed."""
    due = User.objects.due_for_review()
    unused = User.objects.unused()
    active_tokens = (ApiToken.objects.usable().filter(user=OuterRef("pk")).order_by()
                     .values("user").annotate(n=Count("pk")).values("n"))
    qs = users_for(user, Action.APPROVE).filter(is_active=True).annotate(
        is_review_due=Exists(due.filter(pk=OuterRef("pk"))),
        is_unused=Exists(unused.filter(pk=OuterRef("pk"))),
        active_tokens=Coalesce(Subquery(active_tokens, output_field=IntegerField()), Value(0)),
    )
    if show == "due":
        qs = qs.filter(is_review_due=True)
    elif show == "unused":
        qs = qs.filter(is_unused=True)
    else:
        qs = qs.filter(Q(is_review_due=True) | Q(is_unused=True))
    return qs.order_by("organisation__name", "username")


class ReviewQueueView(CapabilityRequiredMixin, ListView):
    """The periodic account review: accounts not reviewed lately or unused, reviewed or disabled in bulk."""

    capability = Capability.ACCOUNTS_REVIEW
    template_name = "accounts/review_queue.html"
    context_object_name = "accounts"
    paginate_by = 50
    SHOW = ("all", "due", "unused")

    def show(self) -> str:
        value = self.request.GET.get("show", "all")
        return value if value in self.SHOW else "all"

    def get_queryset(self):
        return review_queue_for(self.request.user, self.show())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show"] = self.show()
        ctx["show_choices"] = [("all", _("All")), ("due", _("Review due")), ("unused", _("Unused"))]
        ctx["review_days"] = settings.ACCOUNT_REVIEW_INTERVAL_DAYS
        ctx["unused_days"] = settings.ACCOUNT_UNUSED_DAYS
        ctx["can_disable"] = has_capability(self.request.user, Capability.ACCOUNTS_MANAGE)
        ctx["query_string"] = query_string_without_page(self.request)
        form = ctx.setdefault("form", ReviewBulkForm(accounts=User.objects.none()))
        ctx["selected"] = {int(v) for v in form.data.getlist("accounts") if v.isdigit()} if form.is_bound else set()
        return ctx

    def post(self, request):
        disabling = request.POST.get("action") == ReviewBulkForm.DISABLE
        if disabling and not has_capability(request.user, Capability.ACCOUNTS_MANAGE):
            raise PermissionDenied
        action = Action.MANAGE if disabling else Action.APPROVE
        form = ReviewBulkForm(request.POST, accounts=User.objects.for_user(request.user, action).filter(is_active=True))
        if form.is_valid():
            accounts = list(form.cleaned_data["accounts"].order_by("pk"))
            reason = form.cleaned_data["reason"].strip()
            try:
                if disabling:
                    done = users_disable(actor=request.user, users=accounts, reason=reason)
                    messages.success(request, ngettext(
                        "%(n)d account disabled; its API tokens were revoked.",
                        "%(n)d accounts disabled; their API tokens were revoked.", len(done)) % {"n": len(done)})
                else:
                    done = users_mark_reviewed(actor=request.user, users=accounts, note=reason)
                    messages.success(request, ngettext(
                        "%(n)d account marked as reviewed.", "%(n)d accounts marked as reviewed.",
                        len(done)) % {"n": len(done)})
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                query = request.GET.urlencode()
                return redirect(f"{request.path}?{query}" if query else request.path)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)
