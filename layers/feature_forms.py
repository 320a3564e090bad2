"""Create/edit forms of the map layers, with the map widget (draw, move, or type
coordinates in WGS84, DMS or VN-2000, converted live)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from geoportal.catalogues.models import CatalogueEntry
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation
from geoportal.scopes import scope_for
from layers.forms import VN_DATE, vn_numbers
from layers.registry import Layer
from layers.widgets import AreaField, LocationField

# Fields a user never edits here: derived in PostGIS, or set by the workflow.
NOT_EDITABLE = {"admin_unit", "zone"}


def feature_form_class(layer: Layer, user) -> type[forms.ModelForm]:
    model = layer.model
    geom_field = model._meta.get_field("geom")
    scope = scope_for(user)
    fields = ["name", *[f for f in layer.detail_fields if f not in NOT_EDITABLE], "description"]
    if scope.everything:
        fields += ["admin_unit_manual", "admin_unit"] if layer.slug == "facilities" else []
    if layer.slug == "facilities" and not scope.everything:
        fields = [f for f in fields if f != "owner_organisation"]  # an enterprise's facilities are its own
    date_widgets = {f.name: VN_DATE for f in model._meta.fields if f.get_internal_type() == "DateField"}

    meta = type("Meta", (), {
        "model": model,
        "fields": ["geom", *fields],
        "widgets": {**date_widgets, "description": forms.Textarea(attrs={"rows": 3})},
        "formfield_callback": vn_numbers,
    })

    class _Form(forms.ModelForm):
        geom = (LocationField if geom_field.geom_type == "POINT" else AreaField)(label=geom_field.verbose_name)
        Meta = meta

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "sector" in self.fields:
                self.fields["sector"].queryset = CatalogueEntry.objects.in_force().filter(catalogue__code="sectors")
            for name in ("owner_organisation", "investor_organisation", "operator"):
                if name in self.fields:
                    self.fields[name].queryset = Organisation.objects.filter(
                        kind=OrganisationKind.ENTERPRISE, is_active=True).order_by("name")
            if "managing_board" in self.fields:
                self.fields["managing_board"].queryset = Organisation.objects.filter(kind=OrganisationKind.EZ_BOARD)
            if "admin_unit" in self.fields:
                self.fields["admin_unit"].help_text = _("Derived from the location unless set by hand.")

        def clean(self):
            data = super().clean()
            if data.get("admin_unit_manual") and not data.get("admin_unit"):
                self.add_error("admin_unit", _("Choose the administrative unit, or untick 'set by hand'."))
            return data

    _Form.__name__ = f"{model.__name__}Form"
    return _Form
