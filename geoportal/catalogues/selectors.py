"""Reads for the catalogue pages: the overview with counts, list cells and revision diffs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils.text import capfirst

from geoportal.catalogues.models import Catalogue, Revision
from geoportal.catalogues.registry import ManagedCatalogue, entry_catalogue, registered


@dataclass
class OverviewRow:
    catalogue: ManagedCatalogue
    count: int
    last_change: Any = None


def catalogue_overview(user) -> list[OverviewRow]:
    """Every managed catalogue with its number of rows and the time of its last change
    (one count per registered model, one for all entry catalogues, one for the revisions)."""
    rows = [OverviewRow(mc, mc.queryset(user).count()) for mc in registered()]
    taken = {row.catalogue.key for row in rows}
    for catalogue in Catalogue.objects.for_user(user).annotate(n=Count("entries")).order_by("code"):
        if catalogue.code not in taken:
            rows.append(OverviewRow(entry_catalogue(catalogue), catalogue.n))
    last = dict(Revision.objects.order_by().values("catalogue").annotate(at=Max("at")).values_list("catalogue", "at"))
    for row in rows:
        row.last_change = last.get(row.catalogue.key)
    return rows


def search(catalogue: ManagedCatalogue, queryset: models.QuerySet, text: str) -> models.QuerySet:
    text = text.strip()
    if not text or not catalogue.search_fields:
        return queryset
    q = Q()
    for name in catalogue.search_fields:
        q |= Q(**{f"{name}__icontains": text})
    return queryset.filter(q)


def with_latest_version(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate `latest_version`: the number of the row's last revision (None before any)."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    latest = (Revision.objects.filter(content_type=content_type, object_id=Cast(OuterRef("pk"), CharField()))
              .order_by("-version").values("version")[:1])
    return queryset.annotate(latest_version=Subquery(latest))


def _field(model: type[models.Model], name: str) -> models.Field | None:
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    return None


def column_labels(catalogue: ManagedCatalogue) -> list[str]:
    labels = []
    for name in catalogue.columns:
        f = _field(catalogue.model, name)
        labels.append(capfirst(f.verbose_name) if f is not None else name)
    return labels


def cells(catalogue: ManagedCatalogue, obj: models.Model) -> list[Any]:
    """The list columns of one row: choice labels, related rows as text, other values as they are."""
    out = []
    for name in catalogue.columns:
        f = _field(catalogue.model, name)
        if f is not None and f.choices:
            out.append(getattr(obj, f"get_{f.name}_display")())
        else:
            value = getattr(obj, name)
            out.append(", ".join(map(str, value)) if isinstance(value, list) else value)
    return out


EMPTY = (None, "", [])


@dataclass
class Change:
    label: str
    old: Any
    new: Any


def revision_diffs(catalogue: ManagedCatalogue, revisions: list[Revision]) -> None:
    """Attach `diff_rows` to each revision: (field label, old, new), with related rows and choices
    shown by name (one query per kind of related row on the page)."""
    model = catalogue.model
    related_ids: dict[models.Field, set] = {}
    for revision in revisions:
        for attname, (old, new) in revision.changes.items():
            f = _field(model, attname)
            if f is not None and f.is_relation:
                related_ids.setdefault(f, set()).update(v for v in (old, new) if v is not None)
    names = {f: {pk: str(o) for pk, o in f.related_model._default_manager.in_bulk(ids).items()}
             for f, ids in related_ids.items()}

    def shown(f: models.Field | None, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if f is None or value is None:
            return value
        if f in names:
            return names[f].get(value, value)
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        return value

    for revision in revisions:
        rows = []
        for attname, (old, new) in revision.changes.items():
            if old in EMPTY and new in EMPTY:
                continue  # e.g. a blank field of a new row: nothing to show
            f = _field(model, attname)
            rows.append(Change(capfirst(f.verbose_name) if f is not None else attname, shown(f, old), shown(f, new)))
        revision.diff_rows = rows
