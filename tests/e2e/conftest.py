"""End-to-end fixtures: one headless Chromium (Debian's /usr/bin/chromium) per module,
driven through Playwright's sync API, and a fresh browser context per test.

Playwright's sync API runs an asyncio event loop in this thread, so Django's
async-safety check would refuse ORM calls made by the test while a page is open.
The tests only touch the ORM between page actions, never concurrently with the
live server's own connection, so the check is switched off for this directory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    """Every test in this directory is slow and end-to-end, whatever its module says."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR") or REPO / ".data" / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What the page did: console errors, uncaught exceptions, requests and failures."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)

    def foreign_requests(self, base_url: str) -> list[str]:
        """Requests to any origin other than the live server's (data:/blob: are local)."""
        own = urlsplit(base_url)
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                out.append(url)
        return out

    def assert_clean(self, base_url: str) -> None:
        """No console error, no uncaught exception, no failed request, no 4xx/5xx, and nothing
        asked of another origin."""
        assert not self.console_errors, self.console_errors
        assert not self.page_errors, self.page_errors
        assert not self.failed_requests, self.failed_requests
        assert not self.error_responses, self.error_responses
        assert not self.foreign_requests(base_url), self.foreign_requests(base_url)


def is_favicon(url: str) -> bool:
    """Chromium asks every site for /favicon.ico on its own, at a moment of its choosing;
    the portal has no favicon, so that 404 is browser noise, not a page error. (The host
    check in `foreign_requests` still covers it.)"""
    return urlsplit(url).path == "/favicon.ico"


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, live_server, page_log: PageLog):
    """A page in a fresh context (no cookies), its activity recorded in `page_log`. The
    browser is English-configured: the portal must still open in Vietnamese."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: page_log.console_errors.append(f"{msg.text} @ {msg.location}")
            if msg.type == "error" and not is_favicon(msg.location.get("url", "")) else None)
    page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    page.on("request", lambda req: page_log.requests.append(req.url))
    page.on("requestfailed", lambda req: page_log.failed_requests.append(f"{req.url}: {req.failure}"))
    page.on("response", lambda resp: page_log.error_responses.append(f"{resp.status} {resp.url}")
            if resp.status >= 400 and not is_favicon(resp.url) else None)
    try:
        yield page
    finally:
        # Let the last requests finish before the context goes and the database is
        # flushed, so that no request of this test is served during the next one.
        try:
            page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # a timeout here is not the test's result
            pass
        context.close()
