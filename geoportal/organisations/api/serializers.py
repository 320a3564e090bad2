from rest_framework import serializers

from geoportal.organisations.models import AdministrativeUnit, Organisation


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name", "kind", "kind_display", "former_district", "former_province",
                  "is_approximate", "source_srid"]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    admin_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    account_holder = serializers.CharField(source="account_holder.username", read_only=True, default=None)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "kind_display", "admin_unit", "tax_code",
                  "address", "email", "phone", "is_active", "account_holder", "is_demo"]


class HandoverInputSerializer(serializers.Serializer):
    to_user = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500, trim_whitespace=True)
    deactivate_previous = serializers.BooleanField(default=True)


class BBoxQuerySerializer(serializers.Serializer):
    """?bbox=west,south,east,north in EPSG:4326."""

    bbox = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=AdministrativeUnit._meta.get_field("kind").choices, required=False)
    simplify = serializers.FloatField(required=False, min_value=0, max_value=0.05)

    def validate_bbox(self, value: str):
        parts = value.split(",")
        if len(parts) != 4:
            raise serializers.ValidationError("bbox must be west,south,east,north")
        try:
            w, s, e, n = (float(p) for p in parts)
        except ValueError:
            raise serializers.ValidationError("bbox values must be numbers") from None
        import math

        if not all(math.isfinite(v) for v in (w, s, e, n)):
            raise serializers.ValidationError("bbox values must be finite")
        if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
            raise serializers.ValidationError("bbox is outside -180..180, -90..90")
        if s > n:
            raise serializers.ValidationError("bbox south edge lies north of its north edge")
        if w > e:
            raise serializers.ValidationError("bbox west edge lies east of its east edge")
        return (w, s, e, n)
