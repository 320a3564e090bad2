"""Attaching documents to features and records, and removing them. Every write is
atomic and audited; files go through Django's storage API under a random name."""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from geoportal.scopes import Action
from layers.choices import DocumentKind
from layers.documents import files
from layers.documents.selectors import user_may
from layers.models import Document
from layers.services.approval import self_approving
from layers.services.monthly import record_monthly_update

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its type, size and SHA-256."""

    name: str
    file_type: files.FileType
    size: int
    sha256: str


def may_publish(user) -> bool:
    """Marking a document public publishes it to everyone: the Department and the EZ
    board only, whose entries count at once (the others' entries wait for approval)."""
    return self_approving(user)


def document_check_upload(*, upload: UploadedFile) -> CheckedFile:
    """Name, type, size and content checks, hashing the file in chunks as it is read.

    :raises ValidationError: with one message naming the problem (code too_large,
        type_not_allowed, content_mismatch, macro, legacy_office, archive_*, ...).
    """
    name = files.sanitise_filename(upload.name)
    file_type = files.file_type_for(name)
    limit = files.size_limit(file_type)
    declared = upload.size
    if declared is not None and declared > limit:
        raise files.too_large_error(size=declared, limit=limit, label=file_type.label)
    digest, size, head = hashlib.sha256(), 0, b""
    upload.seek(0)
    for chunk in upload.chunks(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:  # the declared size can lie: count what is actually read
            raise files.too_large_error(size=max(size, declared or 0), limit=limit, label=file_type.label)
        digest.update(chunk)
        if len(head) < files.SNIFF_BYTES:
            head += chunk[: files.SNIFF_BYTES - len(head)]
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    files.check_content(name=name, file_type=file_type, head=head, fileobj=upload)
    upload.seek(0)
    return CheckedFile(name=name, file_type=file_type, size=size, sha256=digest.hexdigest())


def _remove_stored(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # an orphan is logged for the operator, never raised to the user
        logger.exception("could not delete stored document file %s", name)


def document_attach(
    *,
    actor,
    target: models.Model,
    upload: UploadedFile,
    title: str,
    kind: str,
    is_public: bool = False,
) -> Document:
    """Check an uploaded file and attach it to a feature or record the actor may change.

    The file is stored under a random name (the client's name is only metadata), inside
    the transaction that writes the row and its audit event; if anything in that
    transaction fails, the stored file is deleted before the error propagates.
    A caller that wraps this in its own transaction and later rolls back owns the
    cleanup of `document.file.name`.

    :raises PermissionDenied: the actor may not change `target`.
    :raises ValidationError: keyed by field (file, title, kind, is_public).
    """
    if not user_may(actor, target, Action.CHANGE):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [ValidationError(_("Choose a kind of document."), code="invalid_choice")]
    if is_public and not may_publish(actor):
        errors["is_public"] = [ValidationError(
            _("Only the Department or the Economic Zone board can make a document public."), code="publish")]
    checked = None
    try:
        checked = document_check_upload(upload=upload)
    except ValidationError as exc:
        errors["file"] = exc.error_list
    if errors:
        raise ValidationError(errors)

    title = " ".join((title or "").split()) or os.path.splitext(checked.name)[0]
    document = Document(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        title=title,
        kind=kind,
        original_name=checked.name,  # also gives document_upload_to its extension
        media_type=checked.file_type.media_type,
        size=checked.size,
        sha256=checked.sha256,
        is_public=bool(is_public),
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    storage, stored = document.file.storage, None
    try:
        with transaction.atomic():
            document.file.save(checked.name, upload, save=False)  # name from document_upload_to
            stored = document.file.name
            document.save()
            ct = document.content_type
            audit_record(actor=actor, action="document.create", obj=document, changes={
                "target": f"{ct.app_label}.{ct.model}:{target.pk}",
                "title": document.title, "kind": document.kind, "file": stored,
                "original_name": document.original_name, "media_type": document.media_type,
                "size": document.size, "sha256": document.sha256, "is_public": document.is_public,
            })
            record_monthly_update(organisation=getattr(actor, "organisation", None))
    except BaseException:
        if stored:
            _remove_stored(storage, stored)
        raise
    return document


def document_delete(*, actor, document: Document) -> None:
    """Remove a document (audited); its file leaves the storage once the transaction commits.

    :raises PermissionDenied: the actor may not change the document's target.
    """
    with transaction.atomic():
        document = (Document.objects.select_for_update(of=("self",)).select_related("content_type")
                    .get(pk=document.pk))
        target = document.target
        if target is None or not user_may(actor, target, Action.CHANGE):
            raise PermissionDenied
        ct = document.content_type
        storage, stored = document.file.storage, document.file.name
        audit_record(actor=actor, action="document.delete", obj=document, changes={
            "target": f"{ct.app_label}.{ct.model}:{document.object_id}",
            "title": document.title, "file": stored, "original_name": document.original_name,
            "sha256": document.sha256,
        })
        document.delete()
        record_monthly_update(organisation=getattr(actor, "organisation", None))
        transaction.on_commit(partial(_remove_stored, storage, stored))
