import django_filters
from django.contrib.postgres.lookups import Unaccent
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import AdministrativeUnit, Organisation


def folded_search(queryset, fields: list[str], value: str):
    """Case- and diacritic-insensitive search: "dinh vu" finds "Đình Vũ".
    unaccent() does not fold Đ/đ, so both sides also map đ -> d."""
    from django.db.models import F, Func, Value

    term = value.strip().lower().replace("đ", "d")
    if not term:
        return queryset
    q = Q()
    for field in fields:
        alias = f"_folded_{field.replace('__', '_')}"
        queryset = queryset.alias(**{alias: Func(Unaccent(Lower(F(field))), Value("đ"), Value("d"), function="replace")})
        q |= Q(**{f"{alias}__contains": Func(Value(term), function="unaccent")})
    return queryset.filter(q)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    admin_unit = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.all(), label=_("Administrative unit"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "admin_unit", "is_active"]

    def search(self, queryset, name, value):
        return folded_search(queryset, ["name", "short_name", "tax_code"], value)
