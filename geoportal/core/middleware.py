"""Request context (id, client IP), security headers with a CSP nonce."""
from __future__ import annotations

import contextvars
import logging
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "geoportal_request", default=None
)


def current_request_context() -> RequestContext | None:
    """The context of the request being served, or None outside a request (commands, tasks)."""
    return _current.get()


def client_ip(request) -> str | None:
    """The client address. Behind a proxy only the proxies' own X-Forwarded-For entries
    are trusted (PROXY_COUNT), so a client cannot forge its audit IP."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and records the client IP
    for the audit log and the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if (incoming and len(incoming) <= 64 and incoming.isalnum()) else uuid.uuid4().hex
        request.request_id = rid
        token = _current.set(RequestContext(request_id=rid, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _current.get()
        record.request_id = ctx.request_id if ctx else "-"
        return True


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in url:  # Leaflet subdomain template: allow every subdomain of the host
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a per-request script nonce, Permissions-Policy.

    Scripts run only from our own origin or with the nonce, so an injected
    <script> in user content does not execute. The base-map tile origin, when
    configured, is the only foreign origin allowed (images only).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = _origin(getattr(settings, "BASEMAP_TILE_URL", ""))
        self.img_src = "'self' data: blob:" + (f" {tiles}" if tiles else "")

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                "style-src 'self' 'unsafe-inline'; "
                f"img-src {self.img_src}; "
                "font-src 'self' data:; "
                "connect-src 'self'; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response


class VietnameseFirstMiddleware:
    """Pages are in Vietnamese unless the user chose another language (the language
    cookie set by the header switch). The browser's Accept-Language is ignored for
    pages, so an English-configured browser still opens the portal in Vietnamese;
    the API honours Accept-Language for machine clients."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than the largest allowed upload
    (UPLOAD_MAX_BYTES plus 1 MB for form fields) before anything reads it: 413, with
    the JSON problem body for the API and a page otherwise. Per-feature limits (images,
    imports) are checked again where the file is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES + 1024 * 1024
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            from django.utils.translation import gettext as _

            from geoportal.core.errors import problem_response

            mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            return problem_response(status_code=413, code="too_large", title=_("Request too large"),
                                    detail=_("The upload is larger than %(mb)d MB.") % {"mb": mb})
        return self.get_response(request)
