"""The masked SELECT shared by vector tiles and exports.

One rule (layers/publishing.py): a published row (approved, public layer) shows the
layer's public fields; a row in the requester's own scope shows every field. The rule
is applied in SQL with CASE expressions, so masked values never leave the database.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models import PointField
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.db.models import ForeignKey as _FK
from django.http import Http404

from geoportal.scopes import EVERYTHING, NOTHING, Action, scope_for
from layers.models import LAYER_MODELS
from layers.publishing import is_public, public_fields

PREFIX = "c_"
GEOM = "xgeom"
PRIVATE = "xprivate"
# Columns never exported, even to the owner (bookkeeping without meaning outside the portal).
HIDDEN = {"geom", "source_srid"}


@dataclass(frozen=True)
class Column:
    name: str  # the model field name, used as the output attribute name
    alias: str  # the column alias in the inner SQL
    internal_type: str


@dataclass(frozen=True)
class MaskedQuery:
    slug: str
    sql: str
    params: tuple
    columns: list[Column]
    is_point: bool
    has_private: bool  # the requester may see private rows of this layer


def _fk_path(field) -> str:
    """Foreign keys are shown by name (e.g. the administrative unit's name)."""
    names = {f.name for f in field.related_model._meta.concrete_fields}
    for candidate in ("name", "name_vi", "username"):
        if candidate in names:
            return f"{field.name}__{candidate}"
    return field.attname


def private_q(model, user):
    """The Q of the requester's own scope (every field visible), or NOTHING."""
    return model.objects.get_queryset().scope_q(scope_for(user), Action.VIEW)


def layer_or_404(slug: str, user):
    """The model of a layer the requester may see at all: public, or with a private scope."""
    model = LAYER_MODELS.get(slug)
    if model is None:
        raise Http404
    if not is_public(slug) and private_q(model, user) == NOTHING:
        raise Http404
    return model


# Anonymous requests all get the same SQL for a layer and its publication: compile it
# once per process (the ORM compilation is ~1.7 ms, a third of a z14 tile's time).
_ANONYMOUS_SQL: dict[tuple, "MaskedQuery"] = {}


def masked_query(slug: str, user, *, refine=None, ordered: bool = False) -> MaskedQuery:
    """The SQL of the rows `user` may see in layer `slug`, one column per visible field
    (masked to NULL on rows outside the private scope), plus the geometry (EPSG:4326).

    `refine(queryset) -> queryset` adds filters (bbox, admin unit, text search)."""
    if refine is None and not getattr(user, "is_authenticated", False):
        key = (slug, ordered, is_public(slug), tuple(public_fields(slug)))
        cached = _ANONYMOUS_SQL.get(key)
        if cached is None:
            cached = _masked_query(slug, user, refine=None, ordered=ordered)
            _ANONYMOUS_SQL[key] = cached
        return cached
    return _masked_query(slug, user, refine=refine, ordered=ordered)


def _masked_query(slug: str, user, *, refine=None, ordered: bool = False) -> MaskedQuery:
    model = layer_or_404(slug, user)
    qs = model.objects.for_user(user, Action.VIEW)
    if refine is not None:
        qs = refine(qs)
    q = private_q(model, user)
    if q == NOTHING:
        private = Value(False)
    elif q == EVERYTHING:
        private = Value(True)
    else:
        private = Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
    public = set(public_fields(slug)) | {"id", "name"}
    has_private = q != NOTHING
    columns: list[Column] = []
    values = {}
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN:
            continue
        if field.name not in public and not has_private:
            continue
        path = _fk_path(field) if isinstance(field, _FK) else field.name
        alias = f"{PREFIX}{field.name}"
        expr = F(path)
        if field.name not in public:
            expr = Case(When(Q(**{PRIVATE: True}), then=F(path)), default=Value(None))
        values[alias] = expr
        internal = "CharField" if isinstance(field, _FK) and not path.endswith("_id") else field.get_internal_type()
        columns.append(Column(field.name, alias, internal))
    qs = qs.annotate(**{PRIVATE: private}).values(**{GEOM: F("geom")}, **values)
    qs = qs.order_by("pk") if ordered else qs.order_by()
    sql, params = qs.query.sql_with_params()
    return MaskedQuery(slug=slug, sql=sql, params=tuple(params), columns=columns,
                       is_point=isinstance(model._meta.get_field("geom"), PointField), has_private=has_private)


def quote(name: str) -> str:
    """Quote an identifier that comes from model metadata (never from the request)."""
    return '"' + name.replace('"', '""') + '"'
