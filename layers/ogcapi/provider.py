"""The feature provider behind /ogcapi/ (pygeoapi's provider shape, STYLE.md principle 8).

One `LayerProvider` per (layer, requester). Everything per feature happens in PostGIS:
the scoped, filtered, ordered and limited queryset is a subquery of one SQL statement that
builds the FeatureCollection text with json_build_object/json_agg/ST_AsGeoJSON and counts
numberMatched. Field masking is per row in SQL: rows in the requester's private scope
carry every field, published rows only the layer's public fields.

Errors are a small typed hierarchy; views map them to HTTP codes in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models import Extent, GeometryField
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, F, Max, Min, OuterRef, Q, Value
from django.utils.translation import gettext as _

from geoportal.scopes import EVERYTHING, NOTHING, Action, scope_for
from layers.ogcapi.conformance import DEFAULT_CRS, OutputCrs
from layers.ogcapi.params import Cursor, Interval
from layers.publishing import is_public, public_fields, publication

# Internal workflow fields never leave the service (approval_status does, to the scope).
INTERNAL_FIELDS = frozenset({
    "id", "entered_by", "submitted_at", "approved_by", "approved_at", "rejection_reason", "needs_review",
    "review_note", "is_demo", "source_srid", "admin_unit_manual",
})


class OgcApiError(Exception):
    """Base of the provider errors; `status_code` and `code` are mapped to a problem body."""

    status_code = 500
    code = "error"

    def __init__(self, detail: str = "", *, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail, self.errors = detail, errors


class InvalidParameter(OgcApiError):
    status_code = 400
    code = "validation_error"


class CollectionNotFound(OgcApiError):
    status_code = 404
    code = "not_found"


class ItemNotFound(OgcApiError):
    status_code = 404
    code = "not_found"


@dataclass(frozen=True)
class Prop:
    """A published property: its name, model field, and the value expression (an FK
    shows the related object's name, a choice field its code)."""

    name: str
    field: models.Field
    lookup: str  # ORM path of the value (for filters)

    @property
    def expression(self):
        return F(self.lookup)

    def schema(self) -> dict[str, Any]:
        f = self.field
        schema: dict[str, Any] = {"title": str(f.verbose_name)}
        if isinstance(f, models.ForeignKey):
            schema["type"] = "string"
        elif isinstance(f, models.BooleanField):
            schema["type"] = "boolean"
        elif isinstance(f, (models.IntegerField, models.BigIntegerField)):
            schema["type"] = "integer"
        elif isinstance(f, (models.DecimalField, models.FloatField)):
            schema["type"] = "number"
        elif isinstance(f, models.DateTimeField):
            schema.update(type="string", format="date-time")
        elif isinstance(f, models.DateField):
            schema.update(type="string", format="date")
        else:
            schema["type"] = "string"
        if f.choices and not isinstance(f, models.ForeignKey):
            schema["enum"] = [str(value) for value, _label in f.flatchoices]
        return schema

    def parse(self, raw: str):
        """The filter value for `raw`, or InvalidParameter naming the property."""
        if isinstance(self.field, models.ForeignKey):
            return raw
        try:
            value = self.field.to_python(raw)
            if self.field.choices and value not in {v for v, _label in self.field.flatchoices}:
                raise ValidationError(_("Not one of the allowed values."))
        except ValidationError as exc:
            raise InvalidParameter(errors={self.name: list(exc.messages)}) from None
        return value


def _label_lookup(field: models.ForeignKey) -> str:
    names = {f.name for f in field.related_model._meta.fields}
    for label in ("name", "name_vi", "title", "username"):
        if label in names:
            return f"{field.name}__{label}"
    return f"{field.name}_id"


def layer_properties(model) -> list[Prop]:
    """Every field a feature can show (to its own scope), in model order."""
    props = []
    for f in model._meta.fields:
        if f.name in INTERNAL_FIELDS or isinstance(f, GeometryField):
            continue
        lookup = _label_lookup(f) if isinstance(f, models.ForeignKey) else f.name
        props.append(Prop(f.name, f, lookup))
    return props


@dataclass
class ItemsPage:
    """A page of items: the FeatureCollection text (no links yet) and what the links need."""

    body: str
    number_returned: int
    first_id: int | None
    last_id: int | None
    has_more: bool
    private: bool


def _json_object(pairs: list[tuple[str, str]]) -> str:
    return "json_build_object(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs) + ")"


class LayerProvider:
    """Read access to one layer for one requester.

    :param slug: a key of LAYER_MODELS
    :param user: the requester (anonymous, session or token user)
    """

    def __init__(self, slug: str, user):
        from layers.models import LAYER_MODELS

        self.slug, self.user = slug, user
        self.model = LAYER_MODELS[slug]
        self.scope = scope_for(user)
        self._scope_q = self.model.objects.all().scope_q(self.scope, Action.VIEW)
        self.props = layer_properties(self.model)
        public = set(public_fields(slug))
        self.public_props = [p for p in self.props if p.name in public]

    # --- which layers, which fields ------------------------------------------------------
    @classmethod
    def visible(cls, user) -> list["LayerProvider"]:
        from layers.models import LAYER_MODELS

        providers = [cls(slug, user) for slug in LAYER_MODELS]
        return [p for p in providers if p.is_visible()]

    @classmethod
    def get(cls, slug: str, user) -> "LayerProvider":
        from layers.models import LAYER_MODELS

        if slug not in LAYER_MODELS:
            raise CollectionNotFound(_("No such collection."))
        provider = cls(slug, user)
        if not provider.is_visible():
            raise CollectionNotFound(_("No such collection."))
        return provider

    @property
    def is_public(self) -> bool:
        return is_public(self.slug)

    @property
    def has_private_scope(self) -> bool:
        return self._scope_q != NOTHING and not self.scope.is_anonymous

    def is_visible(self) -> bool:
        """Published layers for everybody; an unpublished one for a signed-in user with
        entries in their own scope (the Department: always)."""
        if self.is_public:
            return True
        if not self.has_private_scope:
            return False
        return self._scope_q == EVERYTHING or self.model.objects.for_user_private(self.user).exists()

    def queryables(self) -> list[Prop]:
        return self.props if self.has_private_scope else self.public_props

    # --- metadata --------------------------------------------------------------------------
    def title(self) -> str:
        pub = publication(self.slug)
        return pub.title if pub and pub.title_vi else str(self.model._meta.verbose_name_plural)

    def description(self) -> str:
        pub = publication(self.slug)
        return pub.description if pub else ""

    def keywords(self) -> list[str]:
        pub = publication(self.slug)
        return list(pub.keywords) if pub else []

    def licence(self) -> tuple[str, str] | None:
        pub = publication(self.slug)
        return (pub.licence, pub.licence_url) if pub and pub.is_public else None

    def extent(self) -> dict[str, Any] | None:
        """Spatial (ST_Extent over the visible rows) and temporal extent, in one query."""
        agg = self.model.objects.for_user(self.user, Action.VIEW).aggregate(
            bbox=Extent("geom"), start=Min("created_at"), end=Max("updated_at"))
        if agg["bbox"] is None:
            return None
        return {"bbox": [round(v, 6) for v in agg["bbox"]], "start": agg["start"], "end": agg["end"]}

    # --- items -------------------------------------------------------------------------------
    def _private_expression(self):
        if self._scope_q == EVERYTHING:
            return Value(True)
        if self._scope_q == NOTHING or self.scope.is_anonymous:
            return Value(False)
        return Exists(self.model.objects.filter(self._scope_q, pk=OuterRef("pk")))

    def _queryset(self):
        qs = self.model.objects.for_user(self.user, Action.VIEW).annotate(ogc_private=self._private_expression())
        return qs.annotate(**{f"ogc_{i}": p.expression for i, p in enumerate(self.props)})

    def _filtered(self, *, bbox=None, bbox_crs: OutputCrs = DEFAULT_CRS, interval: Interval | None = None,
                  q: str | None = None, properties: dict[str, str] | None = None):
        qs = self._queryset()
        if bbox:
            qs = qs.filter(self._bbox_q(bbox, bbox_crs))
        if interval:
            if interval.start:
                qs = qs.filter(updated_at__gte=interval.start)
            if interval.end:
                qs = qs.filter(updated_at__lte=interval.end)
        if q:
            qs = qs.search(q)
        by_name = {p.name: p for p in self.queryables()}
        public_names = {p.name for p in self.public_props}
        for name, raw in (properties or {}).items():
            prop = by_name[name]
            qs = qs.filter(**{prop.lookup: prop.parse(raw)})
            if name not in public_names:
                # A field that is not public can only match rows whose fields the requester sees.
                qs = qs.filter(ogc_private=True)
        return qs

    def _bbox_q(self, bbox, crs: OutputCrs) -> Q:
        # For points, "intersects the box" is exactly "its bounding box overlaps the box":
        # the index operator && alone, without ST_Intersects on every row (PERFORMANCE.md 7).
        lookup = "geom__bboverlaps" if self.model._meta.get_field("geom").geom_type == "POINT" else "geom__intersects"
        west, south, east, north = bbox
        if crs.epsg in (None, 4326):
            if west > east:  # crosses the antimeridian: two boxes
                return Q(**{lookup: _envelope(west, south, 180.0, north, None)}) | Q(
                    **{lookup: _envelope(-180.0, south, east, north, None)})
            return Q(**{lookup: _envelope(west, south, east, north, None)})
        return Q(**{lookup: _envelope(west, south, east, north, crs.epsg)})

    def _feature_sql(self, crs: OutputCrs) -> str:
        geom = 'p."geom"'
        if crs.epsg == 4326:
            geom = f"ST_FlipCoordinates({geom})"  # EPSG:4326 is latitude, longitude
        elif crs.epsg is not None:
            # PROJ by EPSG codes; EPSG:9210 is not in spatial_ref_sys, hence the text form.
            geom = f"ST_Transform({geom}, 'EPSG:4326', 'EPSG:{int(crs.epsg)}')"
        private = _json_object([(p.name, f'p."ogc_{i}"') for i, p in enumerate(self.props)])
        index = {p.name: i for i, p in enumerate(self.props)}
        public = _json_object([(p.name, f'p."ogc_{index[p.name]}"') for p in self.public_props])
        return _json_object([
            ("type", "'Feature'"),
            ("id", 'p."id"'),
            ("geometry", f"ST_AsGeoJSON({geom}, {int(crs.precision)})::json"),
            ("properties", f'CASE WHEN p."ogc_private" THEN {private} ELSE {public} END'),
        ])

    def _columns(self) -> list[str]:
        return ["id", "geom", "ogc_private", *(f"ogc_{i}" for i in range(len(self.props)))]

    def items(self, *, limit: int, offset: int = 0, cursor: Cursor | None = None, crs: OutputCrs = DEFAULT_CRS,
              **filters) -> ItemsPage:
        """One page of the filtered items, ordered by id, as FeatureCollection text.

        :param cursor: keyset position (after/before an id); replaces `offset`
        :returns: ItemsPage; `has_more` says whether rows exist beyond the page in its direction
        """
        filtered = self._filtered(**filters)
        count_sql, count_params = filtered.order_by().values("id").query.sql_with_params()
        backwards = bool(cursor and cursor.before is not None)
        page = filtered
        if cursor and cursor.after is not None:
            page = page.filter(id__gt=cursor.after).order_by("id")[: limit + 1]
        elif backwards:
            page = page.filter(id__lt=cursor.before).order_by("-id")[: limit + 1]
        else:
            page = page.order_by("id")[offset: offset + limit + 1]
        page_sql, page_params = page.values(*self._columns()).query.sql_with_params()
        direction = "DESC" if backwards else "ASC"
        sql = f"""
            WITH page AS ({page_sql}),
                 shown AS (SELECT * FROM page ORDER BY "id" {direction} LIMIT {int(limit)})
            SELECT json_build_object(
                       'type', 'FeatureCollection',
                       'numberMatched', (SELECT count(*) FROM ({count_sql}) AS matched),
                       'numberReturned', (SELECT count(*) FROM shown),
                       'features', COALESCE(
                           (SELECT json_agg({self._feature_sql(crs)} ORDER BY p."id") FROM shown AS p), '[]'::json)
                   )::text,
                   (SELECT count(*) FROM shown), (SELECT count(*) FROM page),
                   (SELECT min("id") FROM shown), (SELECT max("id") FROM shown),
                   COALESCE((SELECT bool_or("ogc_private") FROM shown), false)
        """
        with transaction.atomic(), connection.cursor() as db:
            # A page of at most 10,000 rows: parallel workers cost more to start than they save.
            db.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            db.execute(sql, (*page_params, *count_params))
            body, returned, fetched, first_id, last_id, private = db.fetchone()
        return ItemsPage(body, returned, first_id, last_id, fetched > returned, private)

    def item(self, feature_id: str, *, crs: OutputCrs = DEFAULT_CRS) -> tuple[str, bool]:
        """One feature's GeoJSON text and whether it carries private fields; ItemNotFound
        when it does not exist or the requester may not see it."""
        try:
            pk = int(feature_id)
        except ValueError:
            raise ItemNotFound(_("No such feature.")) from None
        qs = self._queryset().filter(pk=pk).values(*self._columns())
        inner_sql, params = qs.query.sql_with_params()
        sql = f'SELECT ({self._feature_sql(crs)})::text, p."ogc_private" FROM ({inner_sql}) AS p'
        with connection.cursor() as db:
            db.execute(sql, params)
            row = db.fetchone()
        if row is None:
            raise ItemNotFound(_("No such feature."))
        return row[0], row[1]


class _Envelope(models.Func):
    output_field = GeometryField(srid=4326)


def _envelope(west: float, south: float, east: float, north: float, epsg: int | None):
    """The bbox as an EPSG:4326 polygon, transformed by PostGIS when given in a projected CRS."""
    values = [Value(float(v)) for v in (west, south, east, north)]
    if epsg is None:
        return _Envelope(*values, Value(4326), function="ST_MakeEnvelope")
    # ST_Segmentize first, so the box's edges stay straight lines in the projected CRS.
    return _Envelope(*values, template=(
        "ST_SetSRID(ST_Transform(ST_Segmentize(ST_MakeEnvelope(%(expressions)s), "
        f"{max((east - west) / 16.0, 1.0)!r}), 'EPSG:{int(epsg)}', 'EPSG:4326'), 4326)"))
