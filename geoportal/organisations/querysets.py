"""Chainable, scoped reads for organisations and administrative units."""
from __future__ import annotations

from django.contrib.gis.geos import Polygon
from django.db.models import Q

from geoportal.organisations.choices import OrganisationKind
from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet


class AdministrativeUnitQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        # Administrative boundaries are public reference data; only the admin edits them.
        if action == Action.VIEW:
            return EVERYTHING
        return EVERYTHING if scope.is_admin else NOTHING

    def within(self, bbox: tuple[float, float, float, float]) -> "AdministrativeUnitQuerySet":
        """Units intersecting a (west, south, east, north) box in EPSG:4326."""
        return self.filter(geom__intersects=Polygon.from_bbox(bbox))

    def containing(self, point) -> "AdministrativeUnitQuerySet":
        return self.filter(geom__covers=point)


class OrganisationQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        if scope.is_anonymous:
            return NOTHING
        if action == Action.VIEW:
            if scope.everything:
                return EVERYTHING
            own = Q(pk=scope.organisation_id) if scope.organisation_id else NOTHING
            if scope.unit_ids:
                # A commune sees its own committee and the enterprises located in it.
                return own | Q(kind=OrganisationKind.ENTERPRISE, admin_unit_id__in=scope.unit_ids)
            return own
        if action in (Action.CHANGE, Action.MANAGE):
            return EVERYTHING if scope.is_admin else NOTHING
        return NOTHING

    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def of_kind(self, *kinds: str) -> "OrganisationQuerySet":
        return self.filter(kind__in=kinds)
