"""The periodic-results import page: upload a CSV/XLSX table -> preview (a dry run, errors
per line) -> import or cancel. Thin: a form, monitoring.services.periodic, a page.

The previewed file is kept through Django's storage API under a generated name (never
the client's) and named in the session, so "Import" writes exactly the file that was
checked (and checks it again: the data may have changed meanwhile).
"""
from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from layers.imports.readers import HEAD, check_magic, detect_format
from layers.imports.services import display_name
from monitoring.services.periodic import FORMATS, PeriodicResult, periodic_import, periodic_max_bytes

SESSION_KEY = "monitoring_periodic_upload"
# The parser's names of the table's fields (the same texts, so the same translations).
FIELD_LABELS = {
    "campaign": gettext_lazy("sampling campaign"), "point": gettext_lazy("monitoring point"),
    "parameter": gettext_lazy("parameter"), "value": gettext_lazy("value"), "unit": gettext_lazy("unit"),
    "sampled_at": gettext_lazy("sampling time"), "note": gettext_lazy("note"),
}
STORAGE_DIR = "monitoring/periodic"


class PeriodicUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Results table"), help_text=gettext_lazy(
        "CSV or Excel (.xlsx) with the columns: sampling campaign, monitoring point (station code), parameter, "
        "value, unit, sampling time; optionally a note."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = periodic_max_bytes()
        if upload.size > limit:
            raise ValidationError(_("The file is larger than the limit of %(limit)s.")
                                  % {"limit": filesizeformat(limit)})
        self.fmt = detect_format(upload.name, allowed=FORMATS)  # ImportRefused is a ValidationError
        upload.seek(0)
        check_magic(self.fmt, upload.read(HEAD))
        upload.seek(0)
        return upload


def _summary(result: PeriodicResult) -> str:
    if result.file_errors:
        return " ".join(e["message"] for e in result.file_errors)
    if not result.ok:
        return ngettext("%(n)d line has errors: correct the file and upload it again. Nothing is imported while "
                        "any line has an error.",
                        "%(n)d lines have errors: correct the file and upload it again. Nothing is imported while "
                        "any line has an error.", result.error_lines) % {"n": result.error_lines}
    if result.committed:
        return ngettext("Imported %(n)d result.", "Imported %(n)d results.", result.accepted) % {
            "n": result.accepted} + " " + _("%(d)d already stored.") % {"d": result.duplicates}
    if not result.accepted:
        return _("Nothing new: all %(n)d results are already stored.") % {"n": result.duplicates}
    return ngettext("The file is correct: %(n)d result would be imported", "The file is correct: %(n)d results "
                    "would be imported", result.accepted) % {"n": result.accepted} + "; " + _(
        "%(d)d already stored.") % {"d": result.duplicates}


def _labelled(lines: list[dict]) -> list[dict]:
    for line in lines:
        for error in line["errors"]:
            error["label"] = FIELD_LABELS.get(error.get("field", ""), error.get("field", ""))
    return lines


class PeriodicImportView(LoginRequiredMixin, View):
    """Upload, preview and import periodic monitoring results."""

    template_name = "monitoring/periodic_import.html"

    def get(self, request):
        return self._page(request, PeriodicUploadForm())

    def post(self, request):
        action = request.POST.get("action", "preview")
        if action == "commit":
            return self._commit(request)
        if action == "cancel":
            self._forget(request)
            messages.info(request, _("The import was cancelled; nothing was imported."))
            return redirect(request.path)
        form = PeriodicUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        original = display_name(upload.name)
        try:
            result = periodic_import(user=request.user, data=data, fmt=form.fmt, original_name=original,
                                     now=timezone.now(), dry_run=True)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self._page(request, form, status=400)
        self._forget(request)
        pending = None
        if result.ok and result.accepted:
            pending = uuid.uuid4().hex
            name = default_storage.save(f"{STORAGE_DIR}/{pending}.{form.fmt}", ContentFile(data))
            request.session[SESSION_KEY] = {"token": pending, "name": name, "fmt": form.fmt, "original": original}
        return self._page(request, PeriodicUploadForm(), result=result, pending=pending)

    def _commit(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending or request.POST.get("upload") != pending.get("token"):
            messages.error(request, _("This preview has expired: upload the file again."))
            return redirect(request.path)
        try:
            with default_storage.open(pending["name"], "rb") as handle:
                data = handle.read()
        except OSError:
            self._forget(request)
            messages.error(request, _("This preview has expired: upload the file again."))
            return redirect(request.path)
        try:
            result = periodic_import(user=request.user, data=data, fmt=pending["fmt"],
                                     original_name=pending["original"], now=timezone.now(), dry_run=False)
        except ValidationError as exc:
            self._forget(request)
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        self._forget(request)
        if result.committed:
            messages.success(request, _summary(result))
        return self._page(request, PeriodicUploadForm(), result=result)

    def _forget(self, request) -> None:
        pending = request.session.pop(SESSION_KEY, None)
        if pending:
            default_storage.delete(pending["name"])

    def _page(self, request, form, *, result: PeriodicResult | None = None, pending: str | None = None,
              status: int = 200):
        return render(request, self.template_name, {
            "form": form, "result": result, "pending": pending,
            "summary": _summary(result) if result else "",
            "lines": _labelled(result.lines()) if result else [],
            "more_lines": max(0, result.error_lines - len(result.lines())) if result else 0,
            "max_size": filesizeformat(periodic_max_bytes()),
        }, status=status)
