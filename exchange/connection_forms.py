"""The form that issues a connection account's token: account, name, expiry, rate, grants."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.accounts.services import CONNECTION_TOKEN_MAX_DAYS, TOKEN_RATE_LIMIT_MAX
from geoportal.scopes import Action

# A minute's budget that fits a nightly synchronisation without letting a loop flood the API.
DEFAULT_RATE_LIMIT = 60


class ConnectionAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        org = obj.organisation.name if obj.organisation_id else "–"
        return f"{obj.username} – {obj.get_full_name() or obj.username} ({org})"


class ConnectionTokenForm(forms.Form):
    """Collections come from exchange.schema.COLLECTIONS: per collection an "all fields" box
    and one box per field; only the collections with a box ticked are granted."""

    user = ConnectionAccountChoiceField(label=_("Connection account"), queryset=User.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("The agency and the agreement, e.g. “Cục Môi trường – data sharing 2026”."))
    expires_on = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day the token works (at most one year from today)."),
    )
    rate_limit_per_minute = forms.IntegerField(
        label=_("Rate limit (requests per minute)"), min_value=1, max_value=TOKEN_RATE_LIMIT_MAX,
        initial=DEFAULT_RATE_LIMIT,
    )

    def __init__(self, *args, actor, **kwargs):
        from exchange.schema import COLLECTIONS  # lazy: the schema belongs to the exchange contract

        super().__init__(*args, **kwargs)
        self.collections = list(COLLECTIONS.values())
        self.fields["user"].queryset = (
            User.objects.for_user(actor, Action.MANAGE).with_role(Role.CONNECTION).filter(is_active=True)
            .select_related("organisation").order_by("username")
        )
        self.fields["expires_on"].initial = self.max_date()
        for c in self.collections:
            self.fields[f"all_{c.key}"] = forms.BooleanField(
                label=_("All fields, including fields added later"), required=False)
            self.fields[f"fields_{c.key}"] = forms.MultipleChoiceField(
                label=c.label, required=False, choices=[(f, f) for f in c.fields],
                widget=forms.CheckboxSelectMultiple)

    @staticmethod
    def max_date():
        return timezone.localdate() + timedelta(days=CONNECTION_TOKEN_MAX_DAYS)

    def grant_groups(self) -> list[dict]:
        """Per collection, its bound fields, for the template."""
        return [{"collection": c, "all": self[f"all_{c.key}"], "fields": self[f"fields_{c.key}"]}
                for c in self.collections]

    def account_fields(self):
        """The non-grant fields, in order, for the template."""
        return [self[name] for name in ("user", "name", "expires_on", "rate_limit_per_minute")]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The expiry must be in the future."))
        if day > self.max_date():
            raise forms.ValidationError(_("A connection token lasts at most %(days)d days.")
                                        % {"days": CONNECTION_TOKEN_MAX_DAYS})
        return day

    def clean(self):
        data = super().clean()
        grants: dict[str, list[str] | str] = {}
        for c in self.collections:
            if data.get(f"all_{c.key}"):
                grants[c.key] = "*"
            elif data.get(f"fields_{c.key}"):
                grants[c.key] = list(data[f"fields_{c.key}"])
        if not grants and not self.errors:
            raise forms.ValidationError(_("Grant at least one collection."))
        data["grants"] = grants
        return data

    @property
    def expires_at(self) -> datetime:
        """The end of the chosen local day: the token works through the whole of it."""
        day = self.cleaned_data["expires_on"] + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time.min))
