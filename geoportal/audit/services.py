"""Writing the audit log. Always called inside the transaction of the change it records."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from geoportal.audit.models import AuditEvent
from geoportal.core.middleware import current_request_context


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "wkt"):
        return value.wkt
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def canonical_json(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def change_digest(*, action: str, object_ref: str, changes: dict[str, Any]) -> str:
    """SHA-256 of the canonical change, so a stored event can be checked against its body."""
    body = canonical_json({"action": action, "object": object_ref, "changes": changes})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields whose value changed."""
    out = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if canonical_json(old) != canonical_json(new):
            out[key] = [old, new]
    return out


def audit_record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    organisation=None,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction so that the
    event exists exactly when the change does (rolled back together)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must be called inside transaction.atomic()")
    changes = json.loads(canonical_json(changes or {}))
    ctx = current_request_context()
    actor_obj = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    if organisation is None and actor_obj is not None:
        organisation = getattr(actor_obj, "organisation", None)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    object_ref = f"{content_type.app_label}.{content_type.model}:{object_id}" if content_type else ""
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_username=actor_obj.get_username() if actor_obj else "",
        organisation=organisation,
        action=action,
        content_type=content_type,
        object_id=object_id,
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes,
        digest=change_digest(action=action, object_ref=object_ref, changes=changes),
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (FKs as ids), for before/after diffs."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue  # never put secrets in the log
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue  # bookkeeping timestamps are not a change of the record
        data[field.attname] = json.loads(canonical_json(getattr(obj, field.attname)))
    return data
