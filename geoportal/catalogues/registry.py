"""Managed catalogues (danh mục): reference tables the department admin edits in the UI, with history.

Apps register their own models in `AppConfig.ready()` (monitoring: units, parameters, limit sets;
reports: form versions and deadlines), so geoportal never imports them. Every `Catalogue` row
(sectors, issuing authorities, CTNH codes, loaded from fixtures/catalogues/) is a managed catalogue
too, keyed by its code; a registered key wins over a catalogue code of the same name.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import modelform_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.scopes import Action, Capability

# Who may open the catalogue pages read-only: the officers.
VIEW_CAPABILITY = Capability.WORKSPACE

Check = Callable[[models.Model, dict[str, Any]], None]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _formfield(db_field: models.Field, **kwargs):
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("widget", DATE_INPUT)
    return db_field.formfield(**kwargs)


@dataclass(frozen=True)
class ManagedCatalogue:
    """One reference table editable in the UI: which model, which fields, and its rules.

    :param key: the URL key (/catalogues/<key>/)
    :param fields: the fields the edit form offers
    :param create_only: fields set when a row is created and fixed afterwards (codes others refer to)
    :param filter: the rows of this catalogue within the model (the entries of one Catalogue)
    :param defaults: values given to a new row besides the form's (the entry's Catalogue)
    :param deactivate: the values that retire a row; None when rows of this catalogue are never retired
    :param is_active: whether a row is in force (shown in the list)
    :param checks: rules beyond the model's own validation, run by the services before saving;
        each raises ValidationError
    :param locked: a reason why a row may no longer change (None when it may)
    :param snapshot_exclude: fields left out of the revision snapshot (large, not edited here)
    """

    key: str
    label: Any
    model: type[models.Model]
    fields: tuple[str, ...]
    form_class: type[forms.ModelForm] | None = None
    ordering: tuple[str, ...] = ()
    capability: Capability = Capability.CATALOGUES_MANAGE
    list_display: tuple[str, ...] = ()
    list_select_related: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    create_only: tuple[str, ...] = ()
    filter: dict[str, Any] = field(default_factory=dict)
    defaults: Callable[[], dict[str, Any]] | None = None
    deactivate: Callable[[models.Model], dict[str, Any]] | None = None
    is_active: Callable[[models.Model], bool] | None = None
    checks: tuple[Check, ...] = ()
    locked: Callable[[models.Model], str | None] | None = None
    snapshot_exclude: tuple[str, ...] = ()
    allow_create: bool = True
    description: Any = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.list_display or self.fields[:4]

    def queryset(self, user, action: Action = Action.VIEW) -> models.QuerySet:
        """The rows of this catalogue, through the model's scope when it has one."""
        qs = self.model._default_manager.all()
        if hasattr(qs, "for_user"):
            qs = qs.for_user(user, action)
        qs = qs.filter(**self.filter)
        if self.list_select_related:
            qs = qs.select_related(*self.list_select_related)
        return qs.order_by(*self.ordering, "pk") if self.ordering else qs.order_by("pk")

    def form(self, *, instance: models.Model | None = None, data=None) -> forms.ModelForm:
        """The edit form; create-only fields are shown but disabled on an existing row."""
        form_class = modelform_factory(self.model, form=self.form_class or forms.ModelForm, fields=list(self.fields),
                                       formfield_callback=_formfield)
        form = form_class(data=data, instance=instance)
        if instance is not None and instance.pk is not None:
            for name in self.create_only:
                if name in form.fields:
                    form.fields[name].disabled = True
        return form

    def snapshot_fields(self) -> list[str]:
        """The fields a revision keeps: every concrete field but the key and the excluded ones."""
        return [f.name for f in self.model._meta.concrete_fields
                if not f.primary_key and f.name not in self.snapshot_exclude]


_REGISTRY: dict[str, ManagedCatalogue] = {}


def register_managed(catalogue: ManagedCatalogue) -> ManagedCatalogue:
    """Register (or re-register, e.g. when ready() runs again) a managed catalogue under its key."""
    existing = _REGISTRY.get(catalogue.key)
    if existing is not None and existing.model is not catalogue.model:
        raise ValueError(f"managed catalogue {catalogue.key!r} is already registered for {existing.model.__name__}")
    _REGISTRY[catalogue.key] = catalogue
    return catalogue


def registered() -> list[ManagedCatalogue]:
    return list(_REGISTRY.values())


ENTRY_FIELDS = ("code", "name_vi", "name_en", "sort_order", "valid_from", "valid_to", "note")


def entry_catalogue(catalogue) -> ManagedCatalogue:
    """The managed catalogue of the entries of one `Catalogue` row (sectors, CTNH codes, ...)."""
    from geoportal.catalogues.models import CatalogueEntry

    return ManagedCatalogue(
        key=catalogue.code, label=catalogue.name, model=CatalogueEntry, fields=ENTRY_FIELDS,
        ordering=("sort_order", "code"), list_display=("code", "name_vi", "name_en", "valid_from", "valid_to"),
        search_fields=("code", "name_vi", "name_en"), create_only=("code",), filter={"catalogue": catalogue.pk},
        defaults=lambda: {"catalogue": catalogue}, deactivate=flag_off("is_active"), is_active=flag_on("is_active"),
        checks=(date_order_check("valid_from", "valid_to"),), description=catalogue.legal_basis,
    )


def get_managed(key: str) -> ManagedCatalogue | None:
    """The managed catalogue under `key`: a registered one, else the entries of the Catalogue of that code."""
    if key in _REGISTRY:
        return _REGISTRY[key]
    from geoportal.catalogues.models import Catalogue

    catalogue = Catalogue.objects.filter(code=key).first()
    return entry_catalogue(catalogue) if catalogue is not None else None


# Building blocks for registrations -------------------------------------------------------------

def flag_off(name: str) -> Callable[[models.Model], dict[str, Any]]:
    """Deactivation that clears a boolean flag (is_active)."""
    return lambda obj: {name: False}


def flag_on(name: str) -> Callable[[models.Model], bool]:
    return lambda obj: bool(getattr(obj, name))


def end_validity(from_field: str, to_field: str) -> Callable[[models.Model], dict[str, Any]]:
    """Deactivation that ends the row's validity today (it stays in force for past dates)."""

    def values(obj: models.Model) -> dict[str, Any]:
        today = timezone.localdate()
        start, end = getattr(obj, from_field), getattr(obj, to_field)
        if end is not None and end <= today:
            raise ValidationError(_("It is already out of force since %(date)s.") % {"date": end.isoformat()})
        if start is not None and start > today:
            raise ValidationError(_("It only takes effect on %(date)s: change its dates instead.")
                                  % {"date": start.isoformat()})
        return {to_field: today}

    return values


def in_force(from_field: str, to_field: str) -> Callable[[models.Model], bool]:
    def active(obj: models.Model) -> bool:
        today = timezone.localdate()
        start, end = getattr(obj, from_field), getattr(obj, to_field)
        return (start is None or start <= today) and (end is None or end >= today)

    return active


def date_order_check(from_field: str, to_field: str) -> Check:
    """The end of a validity period may not come before its start."""

    def check(obj: models.Model, before: dict[str, Any]) -> None:
        start, end = getattr(obj, from_field), getattr(obj, to_field)
        if start is not None and end is not None and end < start:
            raise ValidationError({to_field: _("The end date comes before the start date.")})

    return check


def month_day_check(month_field: str, day_field: str) -> Check:
    """A (month, day) pair that names a real date in every year: 29 February is refused, since
    the yearly date built from it would not exist in three years out of four."""

    def check(obj: models.Model, before: dict[str, Any]) -> None:
        month, day = getattr(obj, month_field), getattr(obj, day_field)
        if month is None or not 1 <= month <= 12:
            raise ValidationError({month_field: _("The month is a number from 1 to 12.")})
        try:
            dt.date(2023, month, day)  # 2023: not a leap year
        except (TypeError, ValueError):
            raise ValidationError({day_field: _("Day %(day)s of month %(month)s is not a date of every year.")
                                   % {"day": day, "month": month}}) from None

    return check
