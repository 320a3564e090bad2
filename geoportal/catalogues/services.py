"""Writes to catalogues: each change is validated, saved, versioned (a Revision) and audited in one transaction."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.catalogues.choices import RevisionAction
from geoportal.catalogues.models import Catalogue, CatalogueEntry, Revision
from geoportal.catalogues.registry import ManagedCatalogue, entry_catalogue


def _record(*, actor, catalogue: ManagedCatalogue, obj: models.Model, before: dict[str, Any],
            action: RevisionAction, comment: str) -> Revision | None:
    """Write the Revision and the audit event of a saved change; nothing when no value changed."""
    after = snapshot(obj, catalogue.snapshot_fields())
    changes = diff(before, after)
    if not changes and action != RevisionAction.CREATE:
        return None
    event = audit_record(actor=actor, action=f"catalogue.{action}", obj=obj, changes=changes)
    content_type = ContentType.objects.get_for_model(obj)
    object_id = str(obj.pk)
    # The row is locked (select_for_update) or new, so no concurrent writer takes the same number.
    last = Revision.objects.filter(content_type=content_type, object_id=object_id).aggregate(n=Max("version"))["n"]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return Revision.objects.create(
        catalogue=catalogue.key, content_type=content_type, object_id=object_id, object_repr=str(obj)[:255],
        version=(last or 0) + 1, action=action, data=after, changes=changes, actor=actor_obj,
        actor_username=actor_obj.get_username() if actor_obj else "", comment=comment[:500], audit_event=event,
    )


def _apply(*, catalogue: ManagedCatalogue, obj: models.Model, values: dict[str, Any], before: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    for check in catalogue.checks:
        check(obj, before)
    obj.save()


def _editable(catalogue: ManagedCatalogue, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(catalogue.fields)
    if unknown:
        raise ValueError(f"not editable in {catalogue.key}: {sorted(unknown)}")
    return dict(data)


def _locked_row(catalogue: ManagedCatalogue, obj: models.Model) -> models.Model:
    """The row again, locked for the transaction, refused when the catalogue says it may not change."""
    row = catalogue.model._default_manager.select_for_update().get(pk=obj.pk)
    reason = catalogue.locked(row) if catalogue.locked else None
    if reason:
        raise ValidationError(reason, code="locked")
    return row


def managed_create(*, actor, catalogue: ManagedCatalogue, data: dict[str, Any], comment: str = "") -> models.Model:
    """Create a row of a managed catalogue; its Revision is version 1."""
    if not catalogue.allow_create:
        raise ValidationError(_("New rows of this catalogue are not created here."), code="no_create")
    values = _editable(catalogue, data)
    with transaction.atomic():
        obj = catalogue.model(**(catalogue.defaults() if catalogue.defaults else {}))
        _apply(catalogue=catalogue, obj=obj, values=values, before={})
        _record(actor=actor, catalogue=catalogue, obj=obj, before={}, action=RevisionAction.CREATE, comment=comment)
    return obj


def managed_update(*, actor, catalogue: ManagedCatalogue, obj: models.Model, data: dict[str, Any],
                   comment: str = "") -> models.Model:
    """Change a row of a managed catalogue: a new version when a value changed, nothing otherwise."""
    values = _editable(catalogue, data)
    with transaction.atomic():
        row = _locked_row(catalogue, obj)
        for name in catalogue.create_only:
            if name in values and values[name] != getattr(row, name):
                raise ValidationError({name: _("This value is fixed once the row exists.")}, code="create_only")
        before = snapshot(row, catalogue.snapshot_fields())
        _apply(catalogue=catalogue, obj=row, values=values, before=before)
        _record(actor=actor, catalogue=catalogue, obj=row, before=before, action=RevisionAction.UPDATE,
                comment=comment)
    return row


def managed_deactivate(*, actor, catalogue: ManagedCatalogue, obj: models.Model, comment: str = "") -> models.Model:
    """Retire a row instead of deleting it (other records refer to it): it stays for history."""
    if catalogue.deactivate is None:
        raise ValidationError(_("Rows of this catalogue are not deactivated."), code="no_deactivate")
    with transaction.atomic():
        row = _locked_row(catalogue, obj)
        if catalogue.is_active is not None and not catalogue.is_active(row):
            raise ValidationError(_("It is already inactive."), code="inactive")
        before = snapshot(row, catalogue.snapshot_fields())
        _apply(catalogue=catalogue, obj=row, values=catalogue.deactivate(row), before=before)
        _record(actor=actor, catalogue=catalogue, obj=row, before=before, action=RevisionAction.DEACTIVATE,
                comment=comment)
    return row


@transaction.atomic
def catalogue_entry_upsert(*, actor, catalogue: Catalogue, code: str, values: dict[str, Any],
                           comment: str = "") -> CatalogueEntry:
    """Create or update one entry by (catalogue, code), versioned and audited like an edit in the UI
    (used by the fixture loader; an unchanged entry writes nothing)."""
    managed = entry_catalogue(catalogue)
    entry = CatalogueEntry.objects.filter(catalogue=catalogue, code=code).first()
    if entry is None:
        return managed_create(actor=actor, catalogue=managed, data={**values, "code": code}, comment=comment)
    return managed_update(actor=actor, catalogue=managed, obj=entry, data=values, comment=comment)


def files_digest(paths: list[Path]) -> str:
    """SHA-256 over the names and contents of fixture files: the version a FixtureLoad records."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()
