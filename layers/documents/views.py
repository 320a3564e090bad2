"""Pages for documents: upload to a feature or record, download, delete.

Targets and documents are fetched only through the scope (`for_user`), so anything
outside it answers 404. Downloads are always attachments, with `nosniff` and a
sandboxing CSP, so an uploaded file never runs in the portal's origin.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from geoportal.scopes import Action
from layers.documents.files import content_disposition
from layers.documents.forms import DocumentUploadForm
from layers.documents.selectors import (
    document_get,
    document_target_model,
    documents_for_target,
    target_get,
    target_type_of,
)
from layers.documents.services import document_attach, document_delete, may_publish

logger = logging.getLogger(__name__)


class SizeCapUploadHandler(FileUploadHandler):
    """Drops a file part as soon as it grows past UPLOAD_MAX_BYTES: the rest of the part
    is read and discarded, never written to memory or a temporary file."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


@csrf_exempt  # the upload handler must be installed before CSRF reads the body; checked below
@login_required
def document_upload(request, target_type: str, pk: int):
    handler = SizeCapUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return _document_upload(request, target_type, pk, handler)


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def _document_upload(request, target_type: str, pk: int, handler: SizeCapUploadHandler):
    target = target_get(user=request.user, target_type=target_type, pk=pk, action=Action.CHANGE)
    publisher = may_publish(request.user)
    status = 200
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, may_publish=publisher,
                                  upload_too_large=handler.too_large)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = document_attach(
                    actor=request.user, target=target, upload=data["file"], title=data["title"],
                    kind=data["kind"], is_public=data.get("is_public", False))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The document “%(title)s” was attached.") % {"title": document.title})
                return redirect("layers:documents:upload", target_type=target_type, pk=target.pk)
        status = 400
    else:
        form = DocumentUploadForm(may_publish=publisher)
    context = {
        "target": target,
        "target_type": target_type,
        "target_label": target._meta.verbose_name,
        "documents": documents_for_target(user=request.user, target=target),
        "can_change": True,
        "form": form,
    }
    return render(request, "layers/documents/upload.html", context, status=status)


@require_safe
def document_download(request, pk: int):
    """The file as an attachment, for users who may view its target (or anyone, when the
    document is public and its target approved)."""
    document = document_get(user=request.user, pk=pk, action=Action.VIEW)
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except (FileNotFoundError, OSError):
        logger.error("document %s: stored file %s is missing", document.pk, document.file.name)
        raise Http404 from None
    response = FileResponse(handle, content_type=document.media_type)
    response["Content-Disposition"] = content_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    # Opened directly, the file gets a unique origin with no scripts, forms or plugins.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; frame-ancestors 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def document_delete_view(request, pk: int):
    document = document_get(user=request.user, pk=pk, action=Action.CHANGE)
    target_type = target_type_of(document_target_model(document))
    object_id, title = document.object_id, document.title
    document_delete(actor=request.user, document=document)
    messages.success(request, _("The document “%(title)s” was deleted.") % {"title": title})
    return redirect("layers:documents:upload", target_type=target_type, pk=object_id)
