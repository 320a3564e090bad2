"""Admin base class that writes every admin change to the audit log."""
from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from geoportal.audit.services import audit_record, diff, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits are changes like any other: each save and delete is audited in the
    same transaction (Django's changeform view is already atomic)."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = {}
            if change and obj.pk:
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = snapshot(old) if old is not None else {}
            super().save_model(request, obj, form, change)
            label = obj._meta.model_name
            audit_record(
                actor=request.user, action=f"{label}.admin_{'change' if change else 'add'}",
                obj=obj, changes=diff(before, snapshot(obj)),
            )

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        m2m_before = {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
                      for f in obj._meta.many_to_many} if change else {}
        super().save_related(request, form, formsets, change)
        m2m_after = {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True))
                     for f in obj._meta.many_to_many}
        changes = diff(m2m_before, m2m_after)
        if changes:
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.admin_m2m", obj=obj, changes=changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.admin_delete", obj=obj,
                         changes=snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action=f"{obj._meta.model_name}.admin_delete", obj=obj,
                             changes=snapshot(obj))
            super().delete_queryset(request, queryset)


class _NoWrites:
    """No add, change or delete in the admin (for a ModelAdmin or an inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyAdmin(_NoWrites, admin.ModelAdmin):
    """Shown in the admin, written elsewhere: append-only records (audit log, revisions,
    submissions, handovers) and what a service must write (catalogues at /catalogues/, each edit
    a numbered revision; API tokens with their limits checked, the key shown once). The admin
    would skip those rules."""


class ViewOnlyInline(_NoWrites, admin.TabularInline):
    """An inline of a ViewOnlyAdmin."""

    extra = 0
