"""Input and output serializers of the reports API (separate, STYLE.md 9)."""
from rest_framework import serializers

from reports.models import Report, ReportSubmission


class ReportSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code", read_only=True)
    form_version = serializers.CharField(source="form.version", read_only=True)
    subject = serializers.CharField(source="subject_name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    commune = serializers.CharField(source="admin_unit.name", default=None, read_only=True)
    zone = serializers.CharField(source="in_zone.name", default=None, read_only=True)

    class Meta:
        model = Report
        fields = ["id", "year", "form", "form_version", "status", "revision", "facility", "subject", "organisation",
                  "commune", "former_district", "zone", "due_before", "first_submitted_at", "submitted_at",
                  "reviewed_at", "return_reason"]


class ReportDetailSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "data", "rendered_sha256"]


class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportSubmission
        fields = ["id", "revision", "sha256", "size", "signing_path", "signer_name", "signer_tax_code", "signed_at",
                  "received_at", "receipt_sha256", "verification", "outcome", "outcome_reason", "outcome_at"]


class ReportDataInput(serializers.Serializer):
    data = serializers.DictField(help_text='{"fields": {...}, "tables": {...}}')


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class SignedPdfInput(serializers.Serializer):
    file = serializers.FileField()
