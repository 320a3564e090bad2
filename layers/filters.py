"""Filters shared by the layer lists (pages and API): unit, zone, sector, status, year, text."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from geoportal.catalogues.models import CatalogueEntry
from geoportal.organisations.models import AdministrativeUnit
from layers.choices import ApprovalStatus, FacilityStatus, PermitClass, PermitStatus, RemedyStatus, ZoneKind
from layers.models import Facility, IndustrialZone, Inspection, Permit


class FeatureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    admin_unit = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.order_by("name"),
                                                  label=_("Administrative unit"))
    approval_status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("Approval"))
    needs_review = django_filters.BooleanFilter(label=_("Needs review"))
    year = django_filters.NumberFilter(field_name="created_at", lookup_expr="year", label=_("Year entered"))
    search_fields: tuple[str, ...] = ("name",)

    def search(self, queryset, name, value):
        return queryset.search(value, self.search_fields)


def feature_filter_for(model):
    """A FilterSet class for any layer model (the common filters)."""
    meta = type("Meta", (), {"model": model, "fields": ["q", "admin_unit", "approval_status", "needs_review", "year"]})
    return type(f"{model.__name__}Filter", (FeatureFilter,), {"Meta": meta})


class FacilityFilter(FeatureFilter):
    zone = django_filters.ModelChoiceFilter(queryset=IndustrialZone.objects.order_by("name"), label=_("Zone"))
    sector = django_filters.ModelChoiceFilter(
        queryset=CatalogueEntry.objects.filter(catalogue__code="sectors"), label=_("Sector"))
    status = django_filters.ChoiceFilter(choices=FacilityStatus.choices, label=_("Status"))
    permit_class = django_filters.ChoiceFilter(choices=PermitClass.choices, label=_("Permit class"))
    search_fields = ("name", "address", "tax_code")

    class Meta:
        model = Facility
        fields = ["q", "admin_unit", "zone", "sector", "status", "permit_class", "approval_status",
                  "needs_review", "year"]


class ZoneFilter(FeatureFilter):
    kind = django_filters.ChoiceFilter(choices=ZoneKind.choices, label=_("Kind"))

    class Meta:
        model = IndustrialZone
        fields = ["q", "kind", "admin_unit", "approval_status", "needs_review", "year"]


class PermitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    admin_unit = django_filters.ModelChoiceFilter(field_name="facility__admin_unit",
                                                  queryset=AdministrativeUnit.objects.order_by("name"),
                                                  label=_("Administrative unit"))
    zone = django_filters.ModelChoiceFilter(field_name="facility__zone", queryset=IndustrialZone.objects.order_by("name"),
                                            label=_("Zone"))
    year = django_filters.NumberFilter(field_name="signed_on", lookup_expr="year", label=_("Year signed"))
    status = django_filters.ChoiceFilter(choices=PermitStatus.choices, method="filter_status", label=_("Status"))

    class Meta:
        model = Permit
        fields = ["q", "admin_unit", "zone", "year", "status"]

    def search(self, queryset, name, value):
        from geoportal.organisations.filters import folded_search

        return folded_search(queryset, ["number", "facility__name"], value)

    def filter_status(self, queryset, name, value):
        """Computed status, filtered in SQL by the same rules as layers.domain.permits."""
        from django.db.models import Q
        from django.utils import timezone

        from layers.domain.permits import EXPIRING_WINDOW_MONTHS, add_months

        today = timezone.localdate()
        horizon = add_months(today, EXPIRING_WINDOW_MONTHS)
        qs = queryset.with_expiry()
        live = Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)
        current = live & Q(superseded_by__isnull=True)
        if value == PermitStatus.REVOKED:
            return qs.filter(revoked_on__lte=today)
        if value == PermitStatus.SUPERSEDED:
            return qs.filter(live, superseded_by__isnull=False)
        if value == PermitStatus.UNDETERMINED:
            return qs.filter(current).filter(Q(signed_on__isnull=True) | Q(expiry__isnull=True))
        dated = qs.filter(current, signed_on__isnull=False, expiry__isnull=False)
        if value == PermitStatus.EXPIRED:
            return dated.filter(expiry__lt=today)
        if value == PermitStatus.EXPIRING:
            return dated.filter(expiry__gte=today, expiry__lte=horizon)
        return dated.filter(expiry__gt=horizon)


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = django_filters.NumberFilter(field_name="inspected_on", lookup_expr="year", label=_("Year"))
    admin_unit = django_filters.ModelChoiceFilter(field_name="facility__admin_unit",
                                                  queryset=AdministrativeUnit.objects.order_by("name"),
                                                  label=_("Administrative unit"))
    remedy_status = django_filters.ChoiceFilter(choices=RemedyStatus.choices, field_name="remedies__status",
                                                distinct=True, label=_("Remedy status"))

    class Meta:
        model = Inspection
        fields = ["q", "year", "admin_unit", "remedy_status"]

    def search(self, queryset, name, value):
        from geoportal.organisations.filters import folded_search

        return folded_search(queryset, ["authority", "facility__name", "findings"], value)
