import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from geoportal.audit.models import AuditEvent
from geoportal.organisations.models import Organisation


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="icontains", label=_("Actor"))
    action = django_filters.CharFilter(field_name="action", lookup_expr="startswith", label=_("Action"))
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label=_("Organisation"))
    object_type = django_filters.ModelChoiceFilter(
        field_name="content_type", queryset=ContentType.objects.filter(
            app_label__in=["accounts", "organisations", "catalogues", "audit", "layers", "reports", "monitoring"]),
        label=_("Object type"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("Object id"))
    ip = django_filters.CharFilter(field_name="ip", label=_("IP address"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "organisation", "object_type", "object_id", "ip", "since", "until"]
