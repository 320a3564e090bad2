"""Mẫu 03: the draft of the city's annual report on environmental protection work, compiled
for the whole city from the facilities' reports, the register and the monitoring network."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from geoportal.scopes import Action, scope_for
from layers.models import Facility, IndustrialZone, Inspection, Permit
from monitoring.models import Station
from reports.models import Report
from workspace.compiled.document import CompiledReport, build_report, load_structure
from workspace.compiled.figures import Context
from workspace.compiled.sources import SourceLog

FORM = "mau03"


def compile_mau03(*, user, year: int, created: dt.datetime | None = None) -> CompiledReport:
    """Every figure of Mẫu 03 for `year` (the Department only: the report covers the whole city)."""
    if not scope_for(user).everything:
        raise PermissionDenied
    structure = load_structure(FORM)
    ctx = Context(
        year=year, log=SourceLog(),
        facilities=Facility.objects.for_user_private(user),
        zones=IndustrialZone.objects.for_user_private(user),
        reports=Report.objects.for_user(user, Action.VIEW).for_year(year),
        permits=Permit.objects.for_user(user),
        inspections=Inspection.objects.for_user(user),
        stations=Station.objects.for_user_private(user),
        counted_statuses=tuple(structure["counted_statuses"]),
        ambient_limit_set=structure.get("ambient_limit_set", ""),
    )
    return build_report(form=FORM, ctx=ctx, subject=structure["subject"], issuer=structure["issuer"],
                        created=created or timezone.now())
