"""The generic feature importer: a file of rows -> features of one layer.

    report = features_import(actor=user, layer="facilities", source=path_or_file,
                             original_name="co_so.geojson", options=ImportOptions(), dry_run=True)

Per batch of rows: cells are read by the layer's column map (columns.py); geometries
are checked and repaired in PostGIS in one query (geometry.py); existing features are
matched by the layer's key in one query, within what the actor may change; then each
row is written through layers.services.features.feature_save (unit and zone derived
in PostGIS, approval status for the actor, audit).

A dry run is the same import, rolled back: what it reports is exactly what the real
import would do. The real import is one transaction: if any row is rejected, it is
rolled back and the report says that nothing was imported.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.lookups import Unaccent
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, DataError, IntegrityError, connection, models, transaction
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from geoportal.accounts.choices import Role
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation
from geoportal.scopes import Action, scope_for
from layers.imports.columns import CATALOGUE, LAYER_COLUMNS, catalogue_lookup, read_cell, resolve_columns
from layers.imports.geometry import CheckedGeometry, check_geometries
from layers.imports.parsing import CellError, clean_text, fold
from layers.imports.permissions import check_may_import
from layers.imports.readers import ImportOptions, SourceRow, Table, detect_format, read_features_file, staged
from layers.imports.report import CREATE, REJECT, UNCHANGED, UPDATE, ImportRefused, ImportReport, RowReport
from layers.models import LAYER_MODELS, IndustrialZone
from layers.services.features import feature_save

BATCH_SIZE = 500
logger = logging.getLogger(__name__)


def folded(field_name: str) -> Func:
    """SQL twin of parsing.fold(): lower, unaccent, đ -> d, whitespace collapsed."""
    text = Func(Unaccent(Lower(F(field_name))), Value("đ"), Value("d"), function="replace", output_field=CharField())
    text = Func(text, Value(r"\s+"), Value(" "), Value("g"), function="regexp_replace", output_field=CharField())
    return Func(text, function="btrim", output_field=CharField())


def error_text(exc: Exception) -> str:
    """A ValidationError or PermissionDenied as one line naming the fields."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
                             for name, msgs in exc.message_dict.items())
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("This entry would be outside your scope.")
    return _("The row could not be saved.")


@dataclass
class _Work:
    """A row on its way through the import."""

    source: SourceRow
    report: RowReport
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # review notes for the feature
    geometry: CheckedGeometry | None = None
    key: tuple | None = None
    existing: models.Model | None = None

    @property
    def rejected(self) -> bool:
        return self.report.outcome == REJECT

    def review(self, note: str) -> None:
        self.report.review(note)
        self.notes.append(note)


class FeatureImporter:
    """Imports a read table into one layer (see the module docstring)."""

    def __init__(self, *, actor, layer: str, table: Table, file_format: str, dry_run: bool):
        self.actor, self.layer, self.table, self.dry_run = actor, layer, table, dry_run
        self.model = LAYER_MODELS[layer]
        self.geom_type = self.model._meta.get_field("geom").geom_type
        self.mapping, unused = resolve_columns(layer, table.headers)
        self.columns = {c.field: c for c in LAYER_COLUMNS[layer] if c.field in self.mapping}
        self.catalogues = catalogue_lookup({c.catalogue for c in self.columns.values() if c.catalogue})
        self.report = ImportReport(kind="features", layer=layer, file_format=file_format, dry_run=dry_run,
                                   source_srid=table.source_srid, notes=list(table.notes))
        unused = [h for h in unused if h not in table.coordinate_columns]
        if unused:
            self.report.notes.append(_("Columns not imported: %(columns)s.") % {"columns": ", ".join(unused)})
        self.seen: dict[tuple, int] = {}     # match key -> row number
        self.touched: dict[int, int] = {}    # id of a feature written by this import -> row number

    def run(self) -> ImportReport:
        with transaction.atomic():
            for start in range(0, len(self.table.rows), BATCH_SIZE):
                self._batch(self.table.rows[start:start + BATCH_SIZE])
            self.report.conclude(dry_run=self.dry_run)
        return self.report

    # --- per batch ----------------------------------------------------------------
    def _batch(self, rows: list[SourceRow]) -> None:
        work = [self._read(row) for row in rows]
        try:
            with transaction.atomic():  # a savepoint: a PostGIS error must not poison the import
                checked = check_geometries([(w.source.number, w.source.wkb) for w in work
                                            if w.source.wkb is not None], geom_type=self.geom_type)
        except DatabaseError:
            logger.warning("import: geometry check failed for rows %s-%s", rows[0].number, rows[-1].number,
                           exc_info=True)
            raise ImportRefused(_("The geometries of rows %(first)d to %(last)d could not be checked.")
                                % {"first": rows[0].number, "last": rows[-1].number}) from None
        for w in work:
            self._place(w, checked.get(w.source.number))
        live = [w for w in work if not w.rejected]
        self._match(live)
        same_geometry = self._same_geometries([w for w in live if w.existing is not None and not w.rejected])
        owners = self._owners([w for w in live if not w.rejected])
        for w in live:
            if not w.rejected:
                self._write(w, same_geometry, owners)
        for w in work:
            self.report.add(w.report)

    def _read(self, source: SourceRow) -> _Work:
        name_header = self.mapping["name"]
        w = _Work(source=source, report=RowReport(row=source.number,
                                                  label=clean_text(source.values.get(name_header))[:120]))
        for error in source.errors:
            w.report.reject(error)
        for field_name, header in self.mapping.items():
            column = self.columns[field_name]
            raw = source.values.get(header)
            try:
                reading = read_cell(column, self.model, raw, self.catalogues)
            except CellError as exc:
                w.report.reject(_("column “%(column)s”: %(error)s") % {"column": header, "error": exc})
                continue
            if reading is None:
                if column.required:
                    w.report.reject(_("column “%(column)s” is required") % {"column": header})
                continue
            if reading.note:
                w.review(_("column “%(column)s”: %(note)s") % {"column": header, "note": reading.note})
            if reading.value is None:
                continue
            w.values[f"{field_name}_id" if column.kind == CATALOGUE else field_name] = reading.value
        if source.wkb is None and not source.errors:
            w.report.reject(_("No readable geometry."))
        return w

    def _place(self, w: _Work, checked: CheckedGeometry | None) -> None:
        if checked is None:
            return  # no geometry: already rejected while reading
        if checked.error:
            w.report.reject(checked.error)
            return
        w.geometry = checked
        if checked.repaired:
            w.report.messages.append(_("Invalid geometry repaired (%(reason)s).") % {"reason": checked.repaired})

    # --- matching -----------------------------------------------------------------
    def _key(self, w: _Work) -> tuple:
        name = fold(w.values.get("name", ""))
        unit = w.geometry.unit_id if w.geometry else None
        if self.layer == "facilities":
            tax = w.values.get("tax_code")
            return ("tax", tax, name) if tax else ("name", name, unit)
        if self.layer == "zones":
            code = w.values.get("code")
            return ("code", fold(code)) if code else ("name", name)
        return ("name", name, unit)

    def _scoped(self):
        return self.model.objects.for_user(self.actor, Action.CHANGE)

    def _match(self, work: list[_Work]) -> None:
        for w in work:
            if w.rejected:
                continue
            w.key = self._key(w)
            if w.key in self.seen:
                w.report.reject(_("The same feature as row %(row)d.") % {"row": self.seen[w.key]})
                continue
            self.seen[w.key] = w.source.number
            if w.key[0] == "tax":  # a later row without tax code would match it by name and unit
                self.seen.setdefault(("name", w.key[2], w.geometry.unit_id), w.source.number)
        work = [w for w in work if not w.rejected]
        if not work:
            return
        names = {fold(w.values["name"]) for w in work}
        q = Q(_folded__in=names)
        if self.layer == "facilities":
            q |= Q(tax_code__in={w.values["tax_code"] for w in work if w.values.get("tax_code")})
        if self.layer == "zones":
            q |= Q(_code_folded__in={fold(w.values["code"]) for w in work if w.values.get("code")})
        queryset = self._scoped().annotate(_folded=folded("name"))
        if self.layer == "zones":
            queryset = queryset.annotate(_code_folded=folded("code"))
        candidates = list(queryset.filter(q).order_by("pk"))
        for w in work:
            self._decide(w, candidates)

    def _decide(self, w: _Work, candidates: list) -> None:
        """Update only on a sure match; an unsure one creates a new entry flagged for review."""
        name = fold(w.values["name"])
        unit = w.geometry.unit_id if w.geometry else None
        same_name = [c for c in candidates if c._folded == name]
        in_unit = [c for c in same_name if c.admin_unit_id == unit]
        tax = w.values.get("tax_code") if self.layer == "facilities" else None
        if tax:
            by_tax = [c for c in candidates if c.tax_code == tax]
            if len(by_tax) > 1:  # one enterprise, several facilities: the name decides
                by_tax = [c for c in by_tax if c._folded == name] or by_tax
            if not by_tax and len(in_unit) == 1 and not in_unit[0].tax_code:
                by_tax = in_unit  # the same facility, its tax code now known
            found = by_tax or in_unit
            sure = len(by_tax) == 1
        elif self.layer == "zones":
            code = w.values.get("code")
            found = [c for c in candidates if c._code_folded == fold(code)] if code else same_name
            sure = len(found) == 1
        else:
            found = in_unit
            sure = len(found) == 1
        if sure:
            if found[0].pk in self.touched:  # another row of this file already wrote it
                w.report.reject(_("The same feature as row %(row)d.") % {"row": self.touched[found[0].pk]})
                return
            w.existing = found[0]
            return
        if found:
            listed = ", ".join(f"“{c.name}” (#{c.pk})" for c in found[:5])
            w.review(_("Possible duplicate of %(features)s: created as a new entry; check it before approving.")
                     % {"features": listed})
        elif same_name and self.layer != "zones":
            listed = ", ".join(f"“{c.name}” (#{c.pk})" for c in same_name[:5])
            w.review(_("An entry with the same name exists in another administrative unit: %(features)s.")
                     % {"features": listed})

    def _same_geometries(self, work: list[_Work]) -> set[int]:
        """Ids whose stored geometry equals the row's (ST_Equals), in one query."""
        if not work:
            return set()
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.id FROM unnest(%s::bigint[], %s::bytea[]) AS t(id, w) JOIN {table} f ON f.id = t.id "
                "WHERE ST_Equals(f.geom, ST_GeomFromWKB(t.w, 4326))",
                [[w.existing.pk for w in work], [w.geometry.wkb for w in work]])
            return {row[0] for row in cursor.fetchall()}

    def _owners(self, work: list[_Work]) -> dict[str, int]:
        """Enterprises by tax code: a new facility gets its owner when the tax code is known."""
        if self.layer != "facilities":
            return {}
        taxes = {w.values["tax_code"] for w in work if w.values.get("tax_code")}
        if not taxes:
            return {}
        return dict(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, tax_code__in=taxes)
                    .values_list("tax_code", "pk"))

    # --- writing ------------------------------------------------------------------
    def _write(self, w: _Work, same_geometry: set[int], owners: dict[str, int]) -> None:
        values = dict(w.values)
        values["source_srid"] = self.table.source_srid or 4326
        geom = GEOSGeometry(memoryview(w.geometry.wkb), srid=4326)
        existing = w.existing
        if existing is not None:
            changes = {k: v for k, v in values.items() if getattr(existing, k) != v}
            if existing.pk not in same_geometry:
                changes["geom"] = geom
            if self.layer == "facilities" and existing.owner_organisation_id is None and \
                    owners.get(values.get("tax_code")):
                changes["owner_organisation_id"] = owners[values["tax_code"]]
            w.report.object_id = existing.pk
            if not changes:
                self.touched[existing.pk] = w.source.number
                w.report.outcome = UNCHANGED
                return
            if w.notes:
                changes["needs_review"] = True
                changes["review_note"] = "; ".join(filter(None, [existing.review_note, *w.notes]))[:1000]
            w.report.outcome = UPDATE
            obj, values = existing, changes
        else:
            values["geom"] = geom
            if w.notes:
                values["needs_review"] = True
                values["review_note"] = "; ".join(w.notes)[:1000]
            if self.layer == "facilities" and owners.get(values.get("tax_code")):
                values["owner_organisation_id"] = owners[values["tax_code"]]
            scope = scope_for(self.actor)
            if self.model is IndustrialZone and scope.has(Role.EZ_OFFICER) and not scope.everything:
                # The board's own zones are what it may edit (layers.querysets.ZoneQuerySet).
                values["managing_board_id"] = self.actor.organisation_id
            w.report.outcome = CREATE
            obj, values = self.model(), values
        try:
            saved = feature_save(actor=self.actor, obj=obj, values=values)
        except (ValidationError, PermissionDenied, IntegrityError, DataError) as exc:
            w.report.reject(error_text(exc))
            return
        self.touched[saved.pk] = w.source.number
        if not self.dry_run:  # a dry run's new ids are rolled back
            w.report.object_id = saved.pk


def import_table(*, actor, layer: str, table: Table, file_format: str, dry_run: bool) -> ImportReport:
    """Import rows already read (see FeatureImporter)."""
    check_may_import(actor, layer)
    return FeatureImporter(actor=actor, layer=layer, table=table, file_format=file_format, dry_run=dry_run).run()


def features_import(*, actor, layer: str, source, original_name: str, options: ImportOptions | None = None,
                    dry_run: bool = True) -> ImportReport:
    """Import a file into a layer: a dry run by default (nothing written), or the real,
    all-or-nothing import. Raises ImportRefused for a file refused as a whole, and
    PermissionDenied when the actor may not import into the layer."""
    check_may_import(actor, layer)
    if layer not in LAYER_MODELS:
        raise PermissionDenied
    fmt = detect_format(original_name)
    options = options or ImportOptions()
    with staged(source, fmt=fmt) as path:
        table = read_features_file(path, fmt, options)
    return import_table(actor=actor, layer=layer, table=table, file_format=fmt, dry_run=dry_run)

