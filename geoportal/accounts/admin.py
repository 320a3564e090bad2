from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import AccountHandover, ApiToken, User
from geoportal.accounts.services import validate_roles
from geoportal.core.admin import AuditedModelAdmin, ViewOnlyAdmin


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class PortalUserChangeForm(forms.ModelForm):
    roles = RolesField(choices=Role.choices, required=False, label=_("roles"))

    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        data = super().clean()
        from django.core.exceptions import ValidationError

        try:
            validate_roles(organisation=data.get("organisation"), roles=data.get("roles") or [])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(User)
class PortalUserAdmin(AuditedModelAdmin, UserAdmin):
    form = PortalUserChangeForm
    list_display = ("username", "get_full_name", "organisation", "roles", "is_active",
                    "last_login", "last_reviewed_at")
    list_filter = ("is_active", "is_staff", "organisation__kind")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "scope_units")
    readonly_fields = ("last_login", "date_joined", "last_reviewed_at", "last_reviewed_by")
    fieldsets = UserAdmin.fieldsets + (
        (_("Organisation, roles and scope"), {"fields": ("organisation", "roles", "scope_units", "job_title", "phone")}),
        (_("Periodic review"), {"fields": ("last_reviewed_at", "last_reviewed_by")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Organisation and roles"), {"fields": ("organisation",)}),
    )


@admin.register(AccountHandover)
class AccountHandoverAdmin(ViewOnlyAdmin):
    list_display = ("organisation", "from_user", "to_user", "performed_by", "performed_at")
    list_select_related = ("organisation", "from_user", "to_user", "performed_by")
    search_fields = ("organisation__name", "to_user__username", "from_user__username")
    # Handovers are made through the service (organisation page), never edited here.


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_select_related = ("user",)
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "prefix", "expires_at", "created_at", "last_used_at", "revoked_at")
