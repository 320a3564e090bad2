"""Forms of the account pages: roles and data scope of one account, and the periodic review in bulk.

The forms only type the input; the rules (which roles fit which organisation, one department
administrator, extra communes for commune roles only) live in the services, which report
violations as ValidationError keyed by these field names.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.organisations.models import AdministrativeUnit, Organisation
from geoportal.scopes import Action


class UserAccessForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Organisation"),
        help_text=_("The unit the account belongs to. EZ board officers cover the zones their board manages."),
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Roles"),
        help_text=_("Roles must fit the kind of organisation. The regulation allows one department administrator."),
    )
    scope_units = forms.ModelMultipleChoiceField(
        queryset=AdministrativeUnit.objects.none(), required=False, label=_("Additional communes"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Communes covered beyond the organisation's own commune (commune officers and chairmen only)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.for_user(actor, Action.MANAGE).filter(is_active=True)
            .select_related("admin_unit").order_by("kind", "name")
        )
        self.fields["scope_units"].queryset = AdministrativeUnit.objects.order_by("name").defer("geom")

    @classmethod
    def initial_for(cls, account: User) -> dict:
        """The form's initial values: the account's current access."""
        return {
            "organisation": account.organisation_id,
            "roles": list(account.roles),
            "scope_units": list(account.scope_units.values_list("pk", flat=True)),
        }


class ReviewBulkForm(forms.Form):
    REVIEW = "review"
    DISABLE = "disable"

    action = forms.ChoiceField(choices=[(REVIEW, _("Mark reviewed")), (DISABLE, _("Disable"))], label=_("Action"))
    accounts = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Accounts"),
        error_messages={"required": _("Select at least one account.")},
    )
    reason = forms.CharField(label=_("Note or reason"), max_length=500, required=False)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        # The caller passes the accounts the actor may act on: anything else is "not a valid choice".
        self.fields["accounts"].queryset = accounts

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.DISABLE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for disabling these accounts."))
        return cleaned
