from rest_framework import serializers

from geoportal.accounts.models import User
from geoportal.scopes import scope_for


class UserSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    review_due = serializers.BooleanField(read_only=True)
    last_reviewed_by = serializers.CharField(source="last_reviewed_by.username", default=None, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "organisation", "roles",
                  "is_active", "last_login", "last_reviewed_at", "last_reviewed_by", "review_due"]

    def get_organisation(self, obj):
        org = obj.organisation
        return {"id": org.pk, "name": org.name, "kind": org.kind} if org else None


class MeSerializer(UserSerializer):
    capabilities = serializers.SerializerMethodField()
    unit_ids = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "capabilities", "unit_ids"]

    def get_capabilities(self, obj):
        return sorted(c.value for c in scope_for(obj).capabilities)

    def get_unit_ids(self, obj):
        return sorted(scope_for(obj).unit_ids)


class ReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
