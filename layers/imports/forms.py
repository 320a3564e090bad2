"""The upload form: layer (or the permit book), file, and the options some files need."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from geoportal.core.crs import SUPPORTED_INPUT_CRS
from layers.imports.permissions import PERMIT_BOOK, importable_layers
from layers.imports.readers import FEATURE_FORMATS, HEAD, ImportOptions, check_magic, check_size, detect_format
from layers.imports.report import ImportRefused
from layers.registry import LAYERS


def layer_label(slug: str) -> str:
    if slug == PERMIT_BOOK:
        return str(_("Permit tracking book (Excel .xlsx)"))
    layer = LAYERS.get(slug)
    return str(layer.title) if layer else slug


def srid_choices():
    seen: set[int] = set()
    choices = [("", _("From the file (or WGS 84 lon/lat for CSV)"))]
    for crs in SUPPORTED_INPUT_CRS:
        if crs.kind != "dms" and crs.srid not in seen:
            seen.add(crs.srid)
            choices.append((crs.srid, crs.label))
    return choices


class ImportUploadForm(forms.Form):
    layer = forms.ChoiceField(label=_("Import into"))
    file = forms.FileField(label=_("File"), help_text=_(
        "GeoJSON, Shapefile (.zip), GeoPackage, KML or CSV with coordinate columns; the permit book as .xlsx."))
    layer_name = forms.CharField(label=_("Layer in the file"), required=False, max_length=100,
                                 help_text=_("For a GeoPackage or a zip with several layers."))
    srid = forms.TypedChoiceField(label=_("Coordinate system"), required=False, coerce=int, empty_value=None,
                                  help_text=_("When the file has none; for CSV, the system of the X/Y columns."))
    x_column = forms.CharField(label=_("CSV: X column"), required=False, max_length=100,
                               help_text=_("Longitude in WGS 84; in VN-2000, X is the northing."))
    y_column = forms.CharField(label=_("CSV: Y column"), required=False, max_length=100,
                               help_text=_("Latitude in WGS 84; in VN-2000, Y is the easting."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layer"].choices = [(slug, layer_label(slug)) for slug in importable_layers(user)]
        self.fields["srid"].choices = srid_choices()

    def clean(self):
        data = super().clean()
        upload, layer = data.get("file"), data.get("layer")
        if upload is None or layer is None:
            return data
        try:
            check_size(upload.size)
            fmt = detect_format(upload.name, allowed=("xlsx",) if layer == PERMIT_BOOK else FEATURE_FORMATS)
            upload.seek(0)
            head = upload.read(HEAD)
            upload.seek(0)
            check_magic(fmt, head)
        except ImportRefused as exc:
            self.add_error("file", exc.messages)
        return data

    @property
    def options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(layer_name=data.get("layer_name") or "", srid=data.get("srid"),
                             x_column=data.get("x_column") or "", y_column=data.get("y_column") or "")
