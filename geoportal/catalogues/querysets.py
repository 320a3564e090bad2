from __future__ import annotations

from datetime import date

from django.db.models import Q

from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet


class CatalogueQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        # Catalogues (danh mục) are public reference lists; the admin maintains them.
        if action == Action.VIEW:
            return EVERYTHING
        return EVERYTHING if scope.is_admin else NOTHING


class CatalogueEntryQuerySet(CatalogueQuerySet):
    def in_force(self, on: date | None = None) -> "CatalogueEntryQuerySet":
        on = on or date.today()
        return self.filter(is_active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on)
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
