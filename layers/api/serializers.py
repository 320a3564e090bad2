"""Input and output serializers of the register API (STYLE.md principle 9)."""
from __future__ import annotations

import json

from django.utils import timezone
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from layers.models import Inspection, Permit


def feature_output_serializer(model, fields: tuple[str, ...]):
    """Output: a GeoJSON Feature per row. The geometry text comes from ST_AsGeoJSON
    (annotated as `geom_geojson` by the view), not from GEOS in Python."""

    class _Out(serializers.ModelSerializer):
        class Meta:
            pass

        def to_representation(self, obj):
            props = {}
            for name in ("name", "approval_status", "needs_review", *fields):
                f = obj._meta.get_field(name)
                value = getattr(obj, f.attname)
                props[f.attname if f.is_relation else name] = value
            props["admin_unit"] = obj.admin_unit.name if obj.admin_unit_id else None
            props["updated_at"] = obj.updated_at.isoformat() if obj.updated_at else None
            geometry = getattr(obj, "geom_geojson", None)
            return {"type": "Feature", "id": obj.pk,
                    "geometry": json.loads(geometry) if geometry else json.loads(obj.geom.json),
                    "properties": serializers.JSONField().to_representation(
                        json.loads(json.dumps(props, default=str)))}

    _Out.Meta.model = model
    _Out.Meta.fields = ["id"]
    return _Out


def feature_input_serializer(model, fields: tuple[str, ...]):
    """Input: the layer's editable fields plus a GeoJSON/WKT geometry and its source SRID.
    Protected fields (approval status, author, approver) are not accepted (R-03)."""
    writable = [f for f in fields if f not in {"admin_unit", "zone"}]

    class _In(serializers.ModelSerializer):
        geom = GeometryField()
        source_srid = serializers.IntegerField(required=False, min_value=2000, max_value=999999)

        class Meta:
            pass

        def validate_geom(self, value):
            from django.core.exceptions import ValidationError as DjangoValidationError

            from layers.services.features import check_geometry, coerce_geometry

            try:
                return check_geometry(coerce_geometry(model, value))
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict.get("geom", exc.messages)) from exc

    _In.Meta.model = model
    _In.Meta.fields = ["name", "description", "geom", "source_srid", *writable]
    return _In


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, trim_whitespace=True)


class PermitSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    expiry = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()
    full_number = serializers.CharField(read_only=True)

    class Meta:
        model = Permit
        fields = ["id", "full_number", "number", "symbol", "facility", "zone", "signed_on", "issuer", "signer",
                  "term_years", "expires_on", "expiry", "kind", "supersedes", "superseded_by", "revoked_on",
                  "status", "hazardous_waste_kg_year", "industrial_solid_waste_kg_year",
                  "domestic_solid_waste_kg_year", "approval_status"]

    def _state(self, obj):
        cache = self.context.setdefault("_states", {})
        if obj.pk not in cache:
            cache[obj.pk] = obj.state(self.context.get("today") or timezone.localdate())
        return cache[obj.pk]

    def get_status(self, obj):
        return self._state(obj).status.value

    def get_expiry(self, obj):
        expiry = self._state(obj).expiry
        return expiry.isoformat() if expiry else None

    def get_superseded_by(self, obj):
        return self._state(obj).superseded_by


class InspectionSerializer(serializers.ModelSerializer):
    remedies = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "facility", "zone", "inspected_on", "authority", "kind", "decision_number", "findings",
                  "penalty_vnd", "remedies", "approval_status"]

    def get_remedies(self, obj):
        return [{"id": r.pk, "description": r.description, "due_on": r.due_on, "status": r.status,
                 "completed_on": r.completed_on} for r in obj.remedies.all()]
