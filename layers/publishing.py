"""Open data: which layers and fields are published (the Department decides).

Published = the layer is public AND the entry is approved. Anonymous users and
tokens see published entries with the public fields only; signed-in users also see
their own scope with every field.
"""
from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.scopes import NOTHING, scope_for

CACHE_SECONDS = 60
ALWAYS_PUBLIC = ("name",)  # a published entry always shows its name (and its geometry)


def _key(slug: str) -> str:
    return f"layers:publication:{slug}"


def forget(slug: str) -> None:
    """Drop the cached publication of a layer (after the Department changed it)."""
    cache.delete(_key(slug))


def publication(slug: str):
    """The LayerPublication of a layer (cached briefly; cleared on change), or None."""
    from layers.models import LayerPublication

    cached = cache.get(_key(slug))
    if cached is None:
        pub = LayerPublication.objects.filter(layer=slug).first()
        cached = pub if pub is not None else False
        cache.set(_key(slug), cached, CACHE_SECONDS)
    return cached or None


def is_public(slug: str) -> bool:
    pub = publication(slug)
    return bool(pub and pub.is_public)


def public_fields(slug: str) -> list[str]:
    """Model field names published for the layer (name always; never unknown names)."""
    from layers.models import LAYER_MODELS

    pub = publication(slug)
    if not pub or not pub.is_public:
        return []
    known = {f.name for f in LAYER_MODELS[slug]._meta.fields}
    return [f for f in dict.fromkeys([*ALWAYS_PUBLIC, *pub.public_fields]) if f in known and f != "geom"]


def published_q(slug: str) -> Q:
    return Q(approval_status="approved") if is_public(slug) else NOTHING


@transaction.atomic
def publication_update(*, actor, slug: str, values: dict[str, Any]):
    """Change a layer's publication (the Department only); audited."""
    from layers.models import LAYER_MODELS, LayerPublication

    if not scope_for(actor).everything:
        raise PermissionDenied
    if slug not in LAYER_MODELS:
        raise ValidationError({"layer": _("Unknown layer.")})
    fields = values.get("public_fields")
    if fields is not None:
        known = {f.name for f in LAYER_MODELS[slug]._meta.fields}
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ValidationError({"public_fields": _("Unknown fields: %(f)s") % {"f": ", ".join(unknown)}})
    pub, _created = LayerPublication.objects.select_for_update().get_or_create(
        layer=slug, defaults={"title_vi": str(LAYER_MODELS[slug]._meta.verbose_name_plural)})
    before = snapshot(pub)
    for key, value in values.items():
        setattr(pub, key, value)
    pub.full_clean()
    pub.save()
    audit_record(actor=actor, action="publication.update", obj=pub, changes=diff(before, snapshot(pub)))
    transaction.on_commit(lambda: forget(slug))
    return pub


def ensure_default_publications() -> int:
    """Create the default open-data settings (fixtures/reference/publications.json) for
    layers that have none; never overwrites a Department's choice. Returns rows created."""
    import json

    from django.conf import settings

    from layers.models import LayerPublication

    seed = json.loads((settings.BASE_DIR / "fixtures" / "reference" / "publications.json").read_text(encoding="utf-8"))
    created = 0
    for slug, values in seed["layers"].items():
        _obj, was_created = LayerPublication.objects.get_or_create(layer=slug, defaults=values)
        created += was_created
    if created:
        for slug in seed["layers"]:
            forget(slug)
    return created
