import django_filters
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.filters import folded_search


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label=_("Role"))
    organisation_kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices, label=_("Organisation kind"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    review_due = django_filters.BooleanFilter(method="filter_review_due", label=_("Review due"))

    class Meta:
        model = User
        fields = ["q", "role", "organisation_kind", "is_active", "review_due"]

    def search(self, queryset, name, value):
        return folded_search(queryset, ["username", "first_name", "last_name", "organisation__name"], value)

    def filter_role(self, queryset, name, value):
        return queryset.filter(roles__contains=[value])

    def filter_review_due(self, queryset, name, value):
        due = User.objects.due_for_review().values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)
