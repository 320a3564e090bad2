from geoportal.audit.api.serializers import AuditEventSerializer
from geoportal.audit.filters import AuditEventFilter
from geoportal.audit.models import AuditEvent
from geoportal.core.viewsets import ScopedReadOnlyViewSet, capability_permission
from geoportal.scopes import Capability


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit log (department admin only), filterable, newest first."""

    queryset = AuditEvent.objects.select_related("content_type")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [capability_permission(Capability.AUDIT_VIEW)]
