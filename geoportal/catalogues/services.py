"""Writes to catalogues, audited so that every edit has a history."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.catalogues.models import Catalogue, CatalogueEntry


@transaction.atomic
def catalogue_entry_upsert(*, actor, catalogue: Catalogue, code: str, values: dict[str, Any]) -> CatalogueEntry:
    """Create or update one entry by (catalogue, code); the audit row keeps the old values."""
    entry = CatalogueEntry.objects.select_for_update().filter(catalogue=catalogue, code=code).first()
    created = entry is None
    if created:
        entry = CatalogueEntry(catalogue=catalogue, code=code)
    before = {} if created else snapshot(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.full_clean()
    entry.save()
    changes = diff(before, snapshot(entry))
    if changes:
        audit_record(actor=actor, action="catalogue.create" if created else "catalogue.update",
                     obj=entry, changes=changes)
    return entry


def files_digest(paths: list[Path]) -> str:
    """SHA-256 over the names and contents of fixture files: the version a FixtureLoad records."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()
