from django.views.generic import DetailView, ListView

from geoportal.audit.filters import AuditEventFilter
from geoportal.audit.models import AuditEvent
from geoportal.core.pagination import query_string_without_page
from geoportal.core.viewsets import CapabilityRequiredMixin
from geoportal.scopes import Capability


class AuditListView(CapabilityRequiredMixin, ListView):
    capability = Capability.AUDIT_VIEW
    template_name = "audit/event_list.html"
    paginate_by = 100

    def get_queryset(self):
        qs = AuditEvent.objects.for_user(self.request.user).select_related("organisation", "content_type")
        self.filterset = AuditEventFilter(self.request.GET, queryset=qs)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["query_string"] = query_string_without_page(self.request)
        return ctx


class AuditDetailView(CapabilityRequiredMixin, DetailView):
    capability = Capability.AUDIT_VIEW
    template_name = "audit/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return AuditEvent.objects.for_user(self.request.user).select_related("organisation", "content_type", "actor")
