"""Reads for the layer pages."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet  # noqa: F401

from geoportal.scopes import Action
from layers.models import EIADecision, EnvironmentalRegistration, Inspection, Permit, Remedy
from layers.registry import Layer


def layer_list(*, layer: Layer, user):
    """The register list: the user's own scope (published data is on the public map)."""
    return (layer.model.objects.for_user_private(user, Action.VIEW).select_related(*layer.select_related)
            .order_by("name", "pk"))


def facility_records(*, facility, user) -> dict:
    """Permits (with their replacement chain), EIA decisions, registrations, inspections."""
    permits = (Permit.objects.for_user(user).filter(facility=facility).with_successor()
               .select_related("issuer", "supersedes").prefetch_related("discharge_streams", "trial_operations")
               .order_by("-signed_on", "-pk"))
    inspections = (Inspection.objects.for_user(user).filter(facility=facility)
                   .prefetch_related(Prefetch("remedies", queryset=Remedy.objects.order_by("due_on", "pk")))
                   .annotate(open_remedies=Count("remedies", filter=~Q(remedies__status="done"))))
    return {
        "permits": permits,
        "eia_decisions": EIADecision.objects.for_user(user).filter(facility=facility).select_related("authority", "related_permit"),
        "registrations": EnvironmentalRegistration.objects.for_user(user).filter(facility=facility).select_related("received_by"),
        "inspections": inspections,
    }


def public_permits(*, feature) -> "QuerySet":
    """Approved permits of a published facility or zone: number, dates and status are
    public decisions; the rest of the file stays with those in scope."""
    field = "facility" if feature._meta.model_name == "facility" else "zone"
    return (Permit.objects.filter(**{field: feature}, approval_status="approved").with_successor()
            .select_related("issuer", "supersedes").order_by("-signed_on", "-pk"))


def zone_records(*, zone, user) -> dict:
    permits = (Permit.objects.for_user(user).filter(zone=zone).with_successor()
               .select_related("issuer", "supersedes").prefetch_related("discharge_streams"))
    return {
        "permits": permits,
        "eia_decisions": EIADecision.objects.for_user(user).filter(zone=zone).select_related("authority"),
        "inspections": Inspection.objects.for_user(user).filter(zone=zone).prefetch_related("remedies"),
    }


def monthly_reporting_units(*, user) -> "QuerySet":
    """The units that send the monthly update (communes' committees and the EZ board, active)
    the user follows: the Department all of them, others their own organisation and the
    committees of the communes they cover."""
    from geoportal.organisations.choices import OrganisationKind
    from geoportal.organisations.models import Organisation
    from geoportal.scopes import NOTHING, scope_for

    units = Organisation.objects.filter(kind__in=[OrganisationKind.COMMUNE, OrganisationKind.EZ_BOARD],
                                        is_active=True)
    scope = scope_for(user)
    if scope.everything:
        return units
    q = Q(pk=scope.organisation_id) if scope.organisation_id else NOTHING
    if scope.unit_ids:
        q |= Q(kind=OrganisationKind.COMMUNE, admin_unit__in=scope.unit_ids)
    return units.filter(q)
