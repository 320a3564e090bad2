"""Panels of the feature pages (registered in MonitoringConfig.ready()): a station's
page links to its charts; a facility's page lists its stations and open exceedances."""
from __future__ import annotations

from geoportal.scopes import Action
from monitoring.models import ExceedanceEvent, Station


def monitoring_panel(*, feature, user) -> dict | None:
    """Stations of a facility (or the station itself), with open exceedance events."""
    model = feature._meta.model_name
    if model == "station":
        stations = [feature]
    elif model == "facility":
        stations = list(Station.objects.for_user(user, Action.VIEW).filter(facility=feature).order_by("code"))
    else:
        return None
    if not stations:
        return None
    events = (ExceedanceEvent.objects.for_user(user).filter(station__in=stations).open()
              .select_related("station", "parameter").order_by("-started_at")[:20])
    return {"template": "monitoring/_feature_panel.html",
            "context": {"stations": stations, "events": list(events)}}
