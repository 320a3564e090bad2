"""Connection accounts of other agencies (department admin): their tokens with grants, expiry
and rate limit, usage statistics, issue and immediate revocation."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, View

from exchange.connection_forms import ConnectionTokenForm
from geoportal.accounts.choices import Role
from geoportal.accounts.models import ApiToken, ApiTokenUsage
from geoportal.accounts.services import CONNECTION_TOKEN_MAX_DAYS, connection_token_create, token_revoke
from geoportal.accounts.usage import USAGE_DAYS, collection_counts, daily_counts, day_bars
from geoportal.audit.models import AuditEvent
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Action, Capability, get_scoped_or_404, has_capability

STATUS_ACTIVE, STATUS_EXPIRED, STATUS_REVOKED = "active", "expired", "revoked"


def connection_tokens(user, action: Action = Action.VIEW):
    """The tokens of connection accounts that `user` may see (or act on)."""
    return (ApiToken.objects.for_user(user, action).filter(user__roles__contains=[Role.CONNECTION])
            .select_related("user", "user__organisation"))


def _collection_labels() -> dict[str, str]:
    from exchange.schema import COLLECTIONS

    return {key: str(c.label) for key, c in COLLECTIONS.items()}


class ConnectionListView(CapabilityRequiredMixin, ListView):
    capability = Capability.ACCOUNTS_MANAGE
    template_name = "exchange/connections/list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = connection_tokens(self.request.user).order_by("revoked_at", "-created_at")
        now = timezone.now()
        status = self.request.GET.get("status", "")
        if status == STATUS_ACTIVE:
            qs = qs.usable(now)
        elif status == STATUS_REVOKED:
            qs = qs.filter(revoked_at__isnull=False)
        elif status == STATUS_EXPIRED:
            qs = qs.filter(revoked_at__isnull=True, expires_at__lte=now)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = list(ctx["object_list"])
        page_ids = ApiToken.objects.filter(pk__in=[t.pk for t in page])
        per_day = daily_counts(page_ids)
        per_collection = collection_counts(page_ids)
        labels = _collection_labels()
        ctx["rows"] = [{
            "token": t,
            "bars": day_bars(per_day.get(t.pk, {})),
            "total": sum(per_day.get(t.pk, {}).values()),
            "collections": [{**c, "label": labels.get(c["key"], c["key"])} for c in per_collection.get(t.pk, [])],
        } for t in page]
        ctx["now"] = timezone.now()
        ctx["days"] = USAGE_DAYS
        ctx["status"] = self.request.GET.get("status", "")
        ctx["statuses"] = [(STATUS_ACTIVE, _("Active")), (STATUS_EXPIRED, _("Expired")), (STATUS_REVOKED, _("Revoked"))]
        ctx["query_string"] = f"status={ctx['status']}" if ctx["status"] else ""
        return ctx


@method_decorator(never_cache, name="dispatch")
class ConnectionCreateView(CapabilityRequiredMixin, FormView):
    """Issue a token. The raw key is in the POST's response only, never stored or redirected to."""

    capability = Capability.ACCOUNTS_MANAGE
    template_name = "exchange/connections/form.html"
    form_class = ConnectionTokenForm

    # Service errors onto the form's fields (the form's names differ where it takes a date).
    FIELD_FOR = {"user": "user", "name": "name", "expires_at": "expires_on",
                 "rate_limit_per_minute": "rate_limit_per_minute", "grants": None}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "max_days": CONNECTION_TOKEN_MAX_DAYS}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            token, raw = connection_token_create(
                actor=self.request.user, user=data["user"], name=data["name"], expires_at=form.expires_at,
                grants=data["grants"], rate_limit_per_minute=data["rate_limit_per_minute"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(self.FIELD_FOR.get(field), error)
            return self.form_invalid(form)
        return render(self.request, "exchange/connections/created.html", {"token": token, "raw_key": raw})


class ConnectionDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.ACCOUNTS_MANAGE
    template_name = "exchange/connections/detail.html"
    context_object_name = "token"

    def get_queryset(self):
        return connection_tokens(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        token = self.object
        one = ApiToken.objects.filter(pk=token.pk)
        per_day = daily_counts(one).get(token.pk, {})
        labels = _collection_labels()
        grants = token.grants or {}
        ctx.update({
            "now": timezone.now(),
            "days": USAGE_DAYS,
            "bars": day_bars(per_day, width=12, height=60),
            "daily": [b for b in reversed(day_bars(per_day)) if b.count],
            "total": sum(per_day.values()),
            "collections": [{**c, "label": labels.get(c["key"], c["key"])}
                            for c in collection_counts(one).get(token.pk, [])],
            "all_time": ApiTokenUsage.objects.filter(token=token).aggregate(n=Sum("count"))["n"] or 0,
            "grants": [{"key": key, "label": labels.get(key, key), "all": fields == "*",
                        "fields": [] if fields == "*" else fields} for key, fields in sorted(grants.items())],
        })
        if has_capability(self.request.user, Capability.AUDIT_VIEW):
            ctx["events"] = AuditEvent.objects.for_user(self.request.user).for_object(token)[:20]
        return ctx


class ConnectionRevokeView(CapabilityRequiredMixin, View):
    """POST only: revoke at once; the next request with the key is a 401."""

    capability = Capability.ACCOUNTS_MANAGE
    http_method_names = ["post"]

    def post(self, request, pk: int):
        connection = ApiToken.objects.filter(user__roles__contains=[Role.CONNECTION])
        token = get_scoped_or_404(connection, request.user, Action.CHANGE, pk=pk)
        if token.revoked_at is not None:
            messages.info(request, _("This token was already revoked."))
        else:
            token_revoke(actor=request.user, token=token)
            messages.success(request, _("Token %(name)s revoked; it no longer works.") % {"name": token.name})
        return redirect("exchange:connection-detail", pk=token.pk)
