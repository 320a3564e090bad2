from rest_framework import serializers

from geoportal.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_username", "organisation", "action", "object_type",
                  "object_id", "object_repr", "changes", "digest", "ip", "request_id"]

    def get_object_type(self, obj):
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None
