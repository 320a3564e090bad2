"""Who may import into which layer.

Importing writes features, so it follows who may edit a layer (DESIGN.md section 4):
the Department imports into every layer and the permit book; the EZ board into its
zones and the facilities in them; commune officers and chairmen into every layer,
each row having to lie in their own units (feature_save checks every row against the
scope and rejects it otherwise). Enterprises enter their facilities by hand.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from geoportal.accounts.choices import Role
from geoportal.scopes import scope_for
from layers.models import LAYER_MODELS

PERMIT_BOOK = "permit-book"
EZ_LAYERS = ("facilities", "zones")


def importable_layers(user) -> list[str]:
    """The layer slugs (and "permit-book") `user` may import into, in catalogue order."""
    from layers.imports.columns import LAYER_COLUMNS

    scope = scope_for(user)
    if scope.is_anonymous or scope.read_only:
        return []
    importable = [slug for slug in LAYER_MODELS if slug in LAYER_COLUMNS]  # a layer may have no importer
    if scope.everything:
        return [*importable, PERMIT_BOOK]
    allowed: set[str] = set()
    if scope.has(Role.EZ_OFFICER) and scope.organisation_id:
        allowed.update(EZ_LAYERS)
    if (scope.has(Role.COMMUNE_OFFICER) or scope.has(Role.COMMUNE_CHAIRMAN)) and scope.unit_ids:
        allowed.update(LAYER_MODELS)
    return [slug for slug in importable if slug in allowed]


def may_import(user, layer: str | None = None) -> bool:
    layers = importable_layers(user)
    return bool(layers) if layer is None else layer in layers


def check_may_import(user, layer: str) -> None:
    if not may_import(user, layer):
        raise PermissionDenied
