"""Forms of the register. Errors name the field, in the user's language."""
from __future__ import annotations

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from geoportal.catalogues.models import CatalogueEntry
from geoportal.core import crs
from layers.models import DischargeStream, Inspection, Permit, Remedy, TrialOperation

VN_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VNDecimalField(forms.DecimalField):
    """Numbers typed the Vietnamese way: "1.949" is 1949, "3074,5" is 3074.5
    (geoportal.core.crs.parse_vn_number_ex gives the rules)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, float)) or not isinstance(value, str):
            return super().to_python(value)
        try:
            number = crs.parse_vn_number(value.strip())
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(_("“%(value)s” is not a number."), code="invalid",
                                        params={"value": value}) from None
        return super().to_python(str(number))


def vn_numbers(field, **kwargs):
    """formfield_callback: every decimal field of a form reads Vietnamese numbers."""
    from django.db import models

    if isinstance(field, models.DecimalField):
        return field.formfield(form_class=VNDecimalField, **kwargs)
    return field.formfield(**kwargs)

OUTFALL_SRID_CHOICES = [(c.srid, c.label) for c in crs.SUPPORTED_INPUT_CRS if c.projected]


class PermitForm(forms.ModelForm):
    class Meta:
        model = Permit
        formfield_callback = vn_numbers
        fields = ["number", "symbol", "signed_on", "issuer", "signer", "term_years", "expires_on", "kind",
                  "hazardous_waste_kg_year", "industrial_solid_waste_kg_year", "domestic_solid_waste_kg_year", "notes"]
        widgets = {"signed_on": VN_DATE, "expires_on": VN_DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = CatalogueEntry.objects.filter(catalogue__code="issuing_authorities")
        self.fields["signed_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["expires_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean(self):
        data = super().clean()
        if data.get("signed_on") and data.get("expires_on") and data["expires_on"] <= data["signed_on"]:
            self.add_error("expires_on", _("The expiry date must be after the signing date."))
        return data


class DischargeStreamForm(forms.ModelForm):
    """A stream; its outfall is typed as VN-2000 X (northing) / Y (easting), as permits
    write it, and converted to WGS84 by PROJ through the EPSG code."""

    # No initial value: an untouched extra row must stay "unchanged" (and be skipped).
    # When X/Y are given without a system, Hai Phong's VN-2000 zone (EPSG:9210) is used.
    outfall_source_srid = forms.TypedChoiceField(label=_("Outfall coordinate system"),
                                                 choices=[("", "—"), *OUTFALL_SRID_CHOICES], coerce=int,
                                                 empty_value=None, required=False)

    class Meta:
        model = DischargeStream
        formfield_callback = vn_numbers
        fields = ["code", "kind", "max_flow", "flow_unit", "regulation", "regulation_column", "factor_kq",
                  "factor_kf", "factor_kp", "factor_kv", "receiving_body", "outfall_source_srid",
                  "outfall_source_x", "outfall_source_y", "treatment_works"]
        widgets = {"treatment_works": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        x, y, srid = data.get("outfall_source_x"), data.get("outfall_source_y"), data.get("outfall_source_srid")
        if (x is None) != (y is None):
            self.add_error("outfall_source_y" if x is not None else "outfall_source_x", _("Enter both X and Y."))
        elif x is not None:
            try:
                lonlat = crs.projected_to_wgs84(northing=float(x), easting=float(y), srid=int(srid or crs.VN2000_TM3_105_45))
            except crs.CoordinateError as exc:
                self.add_error("outfall_source_x", str(exc))
            else:
                data["outfall"] = Point(lonlat.lon, lonlat.lat, srid=4326)
                data["outfall_source_srid"] = int(srid or crs.VN2000_TM3_105_45)
        return data


class TrialOperationForm(forms.ModelForm):
    class Meta:
        model = TrialOperation
        fields = ["starts_on", "ends_on", "works"]
        widgets = {"starts_on": VN_DATE, "ends_on": VN_DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end must not be before the start."))
        return data


StreamFormSet = forms.inlineformset_factory(Permit, DischargeStream, form=DischargeStreamForm, extra=1, can_delete=True)
TrialFormSet = forms.inlineformset_factory(Permit, TrialOperation, form=TrialOperationForm, extra=1, can_delete=True)


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        formfield_callback = vn_numbers
        fields = ["inspected_on", "authority", "kind", "decision_number", "findings", "penalty_vnd"]
        widgets = {"inspected_on": VN_DATE, "findings": forms.Textarea(attrs={"rows": 3})}


class RemedyForm(forms.ModelForm):
    class Meta:
        model = Remedy
        fields = ["description", "due_on", "status", "completed_on", "follow_up"]
        widgets = {"due_on": VN_DATE, "completed_on": VN_DATE, "description": forms.Textarea(attrs={"rows": 2}),
                   "follow_up": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("status") == "done" and not data.get("completed_on"):
            self.add_error("completed_on", _("Give the date the remedy was completed."))
        return data


RemedyFormSet = forms.inlineformset_factory(Inspection, Remedy, form=RemedyForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """Plain rows for the services from a validated inline formset (deleted rows left out)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "id", "permit", "inspection")}
        if form.instance.pk:
            data["id"] = form.instance.pk
        rows.append(data)
    return rows
