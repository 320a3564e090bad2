"""The reports panel of a facility's or a zone's page (registered in ReportsConfig.ready())."""
from __future__ import annotations

from geoportal.scopes import Action
from reports.models import Report


def reports_panel(*, feature, user) -> dict | None:
    """The annual reports of `feature` the user may see, newest first."""
    model = feature._meta.model_name
    if model not in ("facility", "industrialzone"):
        return None
    field = "facility" if model == "facility" else "zone"
    reports = list(Report.objects.for_user(user, Action.VIEW).filter(**{field: feature})
                   .select_related("form").order_by("-year")[:20])
    form = feature.report_form if model == "facility" else "06"
    return {"template": "reports/_feature_panel.html",
            "context": {"reports": reports, "form": form, "exempt": model == "facility" and form is None}}
