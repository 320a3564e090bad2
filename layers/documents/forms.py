"""The upload form. The checks that matter (type, size, content) are in the service."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from layers.choices import DocumentKind
from layers.documents.files import ACCEPTED_LABEL, ACCEPTED_TYPES, IMAGE_MAX_BYTES, too_large_error


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Leave empty to use the file name."))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    is_public = forms.BooleanField(
        label=_("Public"), required=False,
        help_text=_("Anyone can download a public document once its entry is approved."))

    def __init__(self, *args, may_publish: bool, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        field = self.fields["file"]
        field.widget.attrs["accept"] = ",".join(ACCEPTED_TYPES)
        limit = settings.UPLOAD_MAX_BYTES
        field.help_text = _("Accepted: %(types)s. Largest file: %(max)s; images: %(images)s.") % {
            "types": ACCEPTED_LABEL, "max": filesizeformat(limit),
            "images": filesizeformat(min(limit, IMAGE_MAX_BYTES))}
        if upload_too_large:
            field.required = False  # the part was dropped while streaming; say why below
        if not may_publish:
            del self.fields["is_public"]

    def clean_file(self):
        if self.upload_too_large:
            raise too_large_error(size=None, limit=settings.UPLOAD_MAX_BYTES)
        return self.cleaned_data["file"]
