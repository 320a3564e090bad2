"""The only URL fetcher WeasyPrint gets: data: URIs and the bundled fonts, nothing else.

Report data is user input. Django templates escape it, so it never becomes markup; this
fetcher is the second wall (RELIABILITY.md R-25, WeasyPrint GHSA-35jj-wx47-4w8r): no
http(s), no ftp, no file outside reports/fonts, so a stray <img src>, stylesheet or
rel=attachment link can neither reach the network nor read or attach a local file.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

FONTS_DIR = (Path(__file__).resolve().parent.parent / "fonts").resolve()
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


class RefusedURL(ValueError):
    """A URL the PDF renderer may not fetch."""


class PortalUrlFetcher(URLFetcher):
    """Serves data: URIs and file:// URLs of the bundled fonts; refuses everything else.

    `refused` lists what was asked for and refused (for tests and logs).
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """A response for a data: URI or a bundled font; RefusedURL (WeasyPrint skips the resource) otherwise."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(url, body=response.read(), headers=dict(response.headers.items()))
        if scheme == "file":
            path = font_path(url)
            if path is not None:
                return URLFetcherResponse(url, body=path.read_bytes(),
                                          headers={"Content-Type": FONT_TYPES[path.suffix.lower()]})
        self.refused.append(url)
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise RefusedURL(f"refused: {url[:200]}")


def font_path(url: str) -> Path | None:
    """The bundled font a file:// URL names, or None when it points anywhere else."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(FONTS_DIR) or path.suffix.lower() not in FONT_TYPES or not path.is_file():
        return None
    return path


def font_url(name: str) -> str:
    """file:// URL of a bundled font."""
    return (FONTS_DIR / name).as_uri()
