"""One JSON error body for every 4xx/5xx of the API (RFC 9457 problem details).

    {"type": "https://geoportal/errors/validation", "title": "...", "status": 400,
     "code": "invalid", "detail": "...", "errors": {"field": ["..."]}, "request_id": "..."}

`code` is machine-readable and stable; `title`/`detail` follow the user's language.
"""
from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geoportal.core.middleware import current_request_context

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
ERROR_TYPE_BASE = "urn:geoportal:error:"


def problem_body(*, status_code: int, code: str, title: str, detail: str = "",
                 errors: dict[str, Any] | list[Any] | None = None) -> dict[str, Any]:
    ctx = current_request_context()
    body: dict[str, Any] = {
        "type": ERROR_TYPE_BASE + code,
        "title": title,
        "status": status_code,
        "code": code,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    if ctx:
        body["request_id"] = ctx.request_id
    return body


def problem_response(*, status_code: int, code: str, title: str, detail: str = "",
                     errors=None, headers: dict[str, str] | None = None) -> JsonResponse:
    """A plain Django response with the problem body (for non-DRF views and handlers)."""
    response = JsonResponse(
        problem_body(status_code=status_code, code=code, title=title, detail=detail, errors=errors),
        status=status_code, content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for k, v in (headers or {}).items():
        response[k] = v
    return response


_TITLES = {
    400: lambda: _("Invalid request"),
    401: lambda: _("Authentication required"),
    403: lambda: _("Permission denied"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    406: lambda: _("Not acceptable"),
    409: lambda: _("Conflict"),
    413: lambda: _("Request too large"),
    415: lambda: _("Unsupported media type"),
    429: lambda: _("Too many requests"),
}


def _flatten_detail(detail: Any) -> Any:
    """DRF ErrorDetail trees -> plain str/list/dict."""
    if isinstance(detail, dict):
        return {str(k): _flatten_detail(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten_detail(v) for v in detail]
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error leaves as a problem body, never a traceback."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.APIException(_("The request body is larger than the allowed size."))
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        exc.default_code = "too_large"
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ValidationError({"non_field_errors": [_("The request was refused as suspicious.")]})
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(_("The document is nested too deeply."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's handler500 answers with a generic problem body

    code = "error"
    errors = None
    detail = ""
    if isinstance(exc, exceptions.ValidationError):
        code = "validation_error"
        flat = _flatten_detail(exc.detail)
        errors = flat if isinstance(flat, dict) else {"non_field_errors": flat}
        detail = _("The request has invalid fields; see 'errors'.")
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = _flatten_detail(exc.detail) if isinstance(exc.detail, str) else ""
    if isinstance(exc, Http404) or response.status_code == 404:
        code = "not_found"
        detail = _("No such resource, or it is outside your scope.")
    elif isinstance(exc, PermissionDenied):  # Django's (DRF's keeps its code, e.g. token_restricted)
        code = "permission_denied"
    title = _TITLES.get(response.status_code, lambda: _("Error"))()
    response.data = problem_body(
        status_code=response.status_code, code=code, title=title, detail=str(detail or title),
        errors=errors,
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
