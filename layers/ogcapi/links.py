"""Links of the OGC API documents (Features here, EDR in monitoring/edr): absolute URLs
with their query, and link objects."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def absolute_url(request, viewname: str, *args, **query) -> str:
    """The absolute URL of `viewname`, with the query parameters that are not None."""
    path = reverse(viewname, args=args)
    query = {k: v for k, v in query.items() if v is not None}
    return request.build_absolute_uri(path + ("?" + urlencode(query) if query else ""))


def link(href: str, rel: str, media: str, title: str = "") -> dict[str, str]:
    """An OGC API link object."""
    out = {"href": href, "rel": rel, "type": media}
    if title:
        out["title"] = title
    return out
