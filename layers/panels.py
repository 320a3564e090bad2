"""Extension point of the feature page: apps that build on layers (reports, monitoring)
add a panel here from their AppConfig.ready(), so layers never imports them (DESIGN.md 2).

A panel is a callable ``panel(*, feature, user) -> dict | None`` returning
``{"template": "<app>/_panel.html", "context": {...}}``, or None when it has nothing to show.
Panels are only asked for users who see the feature in their own scope."""
from __future__ import annotations

from collections.abc import Callable

FEATURE_PANELS: list[Callable] = []


def register_panel(panel: Callable) -> Callable:
    """Add `panel` to the feature page (idempotent)."""
    if panel not in FEATURE_PANELS:
        FEATURE_PANELS.append(panel)
    return panel


def panels_for(*, feature, user) -> list[dict]:
    """The panels that have something to show for `feature`, in registration order."""
    out = []
    for panel in FEATURE_PANELS:
        shown = panel(feature=feature, user=user)
        if shown:
            out.append(shown)
    return out
