from __future__ import annotations

from django.db.models import Q

from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet


class AuditEventQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        # The log is read by the department admin only, and written by services only.
        if action == Action.VIEW and scope.is_admin:
            return EVERYTHING
        return NOTHING

    def for_object(self, obj) -> "AuditEventQuerySet":
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
