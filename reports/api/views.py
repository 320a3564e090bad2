"""Reports API: a scoped read-only viewset, and one APIView per workflow action
(STYLE.md 2). Errors leave as problem+json bodies: 400 with per-path errors, 409 for an
illegal transition, 404 outside the scope."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FileUploadParser, FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.core.viewsets import ScopedReadOnlyViewSet
from geoportal.scopes import Action, get_scoped_or_404
from layers.api.views import Conflict
from reports.api.serializers import (
    ReasonInput,
    ReportDataInput,
    ReportDetailSerializer,
    ReportSerializer,
    SubmissionSerializer,
)
from reports.models import Report
from reports.services import workflow


class ReportViewSet(ScopedReadOnlyViewSet):
    """Annual reports in the user's scope (drafts only for their filer)."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Report.objects.with_lists().order_by("-year", "pk")
    filterset_fields = ["year", "status"]

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer


def _result_body(result) -> dict:
    return {"valid": result.is_valid, "errors": result.errors, "warnings": result.warnings,
            "exceedances": result.exceedances, "data": result.data}


def _raise(exc: ValidationError):
    if isinstance(exc, workflow.TransitionError):
        raise Conflict(" ".join(exc.messages)) from exc
    if isinstance(exc, workflow.SignatureRejected):
        v = exc.verification
        raise ApiValidationError({"signature": [v.message], "code": [v.code]}, code=v.code) from exc
    raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})


class ReportValidateApi(APIView):
    """POST /api/v1/reports/{id}/validate/ — check data without saving (live validation)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportDataInput

    def post(self, request, pk: int):
        from reports.domain.forms import clean_data

        report = get_scoped_or_404(Report.objects.select_related("form"), request.user, Action.CHANGE, pk=pk)
        body = ReportDataInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data["data"]
        section = request.query_params.get("section")
        if section:
            from reports import editor

            data = editor.merge_section(report.data, editor.find_section(report.form.definition, section), data)
        return Response(_result_body(clean_data(report.form.definition, data, for_submission=True)))


class ReportSaveApi(APIView):
    """PUT /api/v1/reports/{id}/data/ — save the draft's data (any validity) and return the checks."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportDataInput

    def put(self, request, pk: int):
        report = get_scoped_or_404(Report.objects.select_related("form"), request.user, Action.CHANGE, pk=pk)
        body = ReportDataInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = workflow.report_save_data(user=request.user, report=report, raw=body.validated_data["data"])
        except ValidationError as exc:
            _raise(exc)
        return Response(_result_body(saved.result))


class ReportSubmitApi(APIView):
    """POST /api/v1/reports/{id}/submit/ — a signed PDF (multipart "file", or the raw body
    as application/pdf). 201 with the copy of record; 400 with the verification code."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, FileUploadParser]

    def post(self, request, pk: int):
        report = get_scoped_or_404(Report.objects.select_related("form"), request.user, Action.CHANGE, pk=pk)
        upload = request.data.get("file")
        if upload is None:
            raise ApiValidationError({"file": ["Send the signed PDF as the multipart field \"file\"."]})
        if upload.size > settings.REPORT_UPLOAD_MAX_BYTES:
            raise ApiValidationError({"file": ["The file is too large."]}, code="too_large")
        try:
            submission = workflow.report_submit_signed(user=request.user, report=report, signed=upload.read())
        except ValidationError as exc:
            _raise(exc)
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class ReportReviewApi(APIView):
    """POST /api/v1/reports/{id}/accept/ or /return/ (with a reason)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = ReasonInput
    action_name = "accept"

    def post(self, request, pk: int):
        report = get_scoped_or_404(Report.objects.all(), request.user, Action.APPROVE, pk=pk)
        body = ReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            if self.action_name == "accept":
                report = workflow.report_accept(user=request.user, report=report, note=body.validated_data["reason"])
            else:
                report = workflow.report_return(user=request.user, report=report,
                                                reason=body.validated_data["reason"])
        except ValidationError as exc:
            _raise(exc)
        return Response(ReportSerializer(report).data)
