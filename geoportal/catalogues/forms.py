from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    """Why the change is made: kept with the revision."""

    comment = forms.CharField(label=_("Reason for the change"), max_length=500, required=False,
                              widget=forms.TextInput(attrs={"size": 60}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
