"""Scoped reads of the data packages."""
from __future__ import annotations

from django.db.models import Q

from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet


class DataPackageQuerySet(ScopedQuerySet):
    """Packages hold the whole city's data with every field: the Department only. Connection
    accounts read the same collections through the API, limited by their grants."""

    def scope_q(self, scope: Scope, action: Action) -> Q:
        if scope.everything and action in (Action.VIEW, Action.CHANGE):
            return EVERYTHING
        return NOTHING

    def ready(self) -> "DataPackageQuerySet":
        from exchange.models import PackageStatus

        return self.filter(status=PackageStatus.READY)
