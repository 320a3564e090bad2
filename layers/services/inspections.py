"""Inspection writes, with the remedies they ordered."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from geoportal.audit.services import audit_record
from layers.models import Inspection, Remedy
from layers.services.features import record_save
from layers.services.permits import replace_children


@transaction.atomic
def inspection_save(*, actor, inspection: Inspection, values: dict[str, Any] | None = None,
                    remedies: list[dict[str, Any]] | None = None) -> Inspection:
    """Create or update an inspection and (optionally) its remedies, in one transaction."""
    inspection = record_save(actor=actor, obj=inspection, values=values)
    if remedies is not None:
        counts = replace_children(parent=inspection, model=Remedy, rows=remedies, parent_field="inspection")
        audit_record(actor=actor, action="inspection.remedies", obj=inspection, changes=counts)
    return inspection
