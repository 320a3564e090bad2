"""Creating and editing features: location, derived unit and zone, workflow, audit."""
from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.core.crs import VIETNAM_BOUNDS  # noqa: E402  (one definition of Vietnam's box)
from geoportal.organisations.models import AdministrativeUnit
from geoportal.scopes import Action
from layers.models import Facility, IndustrialZone
from layers.services.approval import stamp_on_save
from layers.services.monthly import record_monthly_update


def check_geometry(geom: GEOSGeometry, *, field: str = "geom") -> GEOSGeometry:
    """Refuse empty, invalid or out-of-Vietnam geometries with a message naming the field."""
    if geom is None or geom.empty:
        raise ValidationError({field: _("The geometry is empty.")})
    if geom.srid not in (None, 4326):
        geom = geom.transform(4326, clone=True)
    if not geom.valid:
        raise ValidationError({field: _("The geometry is invalid: %(reason)s.") % {"reason": geom.valid_reason}})
    w, s, e, n = geom.extent
    bw, bs, be, bn = VIETNAM_BOUNDS
    if w < bw or e > be or s < bs or n > bn:
        raise ValidationError({field: _("The location is outside Vietnam (%(lat).5f, %(lon).5f). "
                                        "Check the coordinate system and the order of X and Y.")
                               % {"lat": geom.centroid.y, "lon": geom.centroid.x}})
    return geom


def coerce_geometry(model, geom: GEOSGeometry, *, field: str = "geom") -> GEOSGeometry:
    """Fit a geometry to the layer's type: a Polygon becomes a MultiPolygon; anything
    else of the wrong type is refused with a message naming the field."""
    from django.contrib.gis.geos import MultiPolygon

    expected = model._meta.get_field(field).geom_type  # "POINT", "MULTIPOLYGON", ...
    if geom is None:
        raise ValidationError({field: _("A geometry is required.")})
    if expected == "MULTIPOLYGON" and geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=geom.srid)
    if geom.geom_type.upper() != expected:
        raise ValidationError({field: _("This layer needs a %(expected)s, not a %(got)s.")
                               % {"expected": expected.title(), "got": geom.geom_type}})
    if geom.srid is None:
        geom.srid = 4326
    return geom


def ensure_in_scope(*, actor, obj: models.Model) -> None:
    """After the write, the entry must still be in the actor's scope: a commune cannot
    place an entry in another commune, an enterprise cannot give its facility to another
    owner. Checked through the same for_user() choke point; raising rolls back."""
    if not type(obj)._default_manager.for_user(actor, Action.CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("This entry would be outside your scope."))


def derive_location(obj: models.Model) -> None:
    """Administrative unit (and, for facilities, zone) from the geometry, in PostGIS."""
    point = obj.geom if obj.geom.geom_type == "Point" else obj.geom.point_on_surface
    if not getattr(obj, "admin_unit_manual", False):
        obj.admin_unit = AdministrativeUnit.objects.filter(geom__covers=point).order_by("pk").first()
    if isinstance(obj, Facility):
        # The smallest covering zone: a KCN inside the economic zone (KKT) wins over the KKT.
        obj.zone = (IndustrialZone.objects.filter(geom__covers=point).approved()
                    .annotate(zone_area=Area("geom")).order_by("zone_area", "pk").first())


@transaction.atomic
def feature_save(*, actor, obj: models.Model, values: dict[str, Any] | None = None,
                 submit: bool = True) -> models.Model:
    """Create or update any feature (a layer model instance).

    Validates the geometry, derives unit and zone in PostGIS, sets the workflow
    status for the actor (approved for the Department and the EZ board, awaiting
    approval otherwise), saves, audits the diff and counts the monthly update.
    """
    created = obj.pk is None
    before = {} if created else snapshot(type(obj)._default_manager.get(pk=obj.pk))
    values = dict(values or {})
    if "geom" in values:
        values["geom"] = coerce_geometry(type(obj), values["geom"])
    for key, value in values.items():
        setattr(obj, key, value)
    obj.geom = check_geometry(coerce_geometry(type(obj), obj.geom))
    derive_location(obj)
    stamp_on_save(actor=actor, obj=obj, was_created=created, submit=submit)
    obj.full_clean()
    obj.save()
    ensure_in_scope(actor=actor, obj=obj)
    changes = diff(before, snapshot(obj))
    if "geom" in changes:
        changes["geom"] = [before.get("geom", None) and "changed", obj.geom.wkt[:200]]
    audit_record(actor=actor, action=f"{obj._meta.model_name}.{'create' if created else 'update'}",
                 obj=obj, changes=changes)
    record_monthly_update(organisation=getattr(actor, "organisation", None))
    return obj


@transaction.atomic
def record_save(*, actor, obj: models.Model, values: dict[str, Any] | None = None,
                submit: bool = True) -> models.Model:
    """Create or update a record attached to a feature (permit, inspection, ...)."""
    created = obj.pk is None
    before = {} if created else snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for key, value in (values or {}).items():
        setattr(obj, key, value)
    stamp_on_save(actor=actor, obj=obj, was_created=created, submit=submit)
    obj.full_clean()
    obj.save()
    ensure_in_scope(actor=actor, obj=obj)
    audit_record(actor=actor, action=f"{obj._meta.model_name}.{'create' if created else 'update'}",
                 obj=obj, changes=diff(before, snapshot(obj)))
    record_monthly_update(organisation=getattr(actor, "organisation", None))
    return obj
