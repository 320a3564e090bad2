from django import forms
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.models import User


class HandoverForm(forms.Form):
    to_user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("New account holder"))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    deactivate_previous = forms.BooleanField(label=_("Disable the previous holder's account"), required=False, initial=True)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(organisation=organisation, is_active=True)
        if organisation.account_holder_id:
            qs = qs.exclude(pk=organisation.account_holder_id)
        self.fields["to_user"].queryset = qs.order_by("username")
