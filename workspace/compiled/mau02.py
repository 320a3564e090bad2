"""Mẫu 02: the EZ board's annual report on environmental protection work, compiled for the
zones the board manages (IndustrialZone.managing_board) and the facilities in them."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from geoportal.accounts.choices import Role
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation
from geoportal.scopes import Action, scope_for
from layers.models import Facility, IndustrialZone, Inspection, Permit
from monitoring.models import Station
from reports.models import Report
from workspace.compiled.document import CompiledReport, build_report, load_structure
from workspace.compiled.figures import Context
from workspace.compiled.sources import SourceLog

FORM = "mau02"


def boards_for(user):
    """The EZ boards whose report the user may compile: its own board, or any for the Department."""
    scope = scope_for(user)
    boards = Organisation.objects.filter(kind=OrganisationKind.EZ_BOARD).order_by("name")
    if scope.everything:
        return boards
    if scope.has(Role.EZ_OFFICER) and scope.organisation_id and not scope.read_only:
        return boards.filter(pk=scope.organisation_id)
    return boards.none()


def compile_mau02(*, user, year: int, board: Organisation | None = None,
                  created: dt.datetime | None = None) -> CompiledReport:
    """Every figure of Mẫu 02 for `year` over the zones of `board` (the user's own board for an
    EZ board officer; for the Department, `board` or, when None, every zone that has a board)."""
    scope = scope_for(user)
    allowed = boards_for(user)
    if not scope.everything:
        if not allowed.exists():
            raise PermissionDenied
        board = allowed.get()
    elif board is not None and not allowed.filter(pk=board.pk).exists():
        raise PermissionDenied
    structure = load_structure(FORM)
    zones = IndustrialZone.objects.for_user_private(user)
    zones = zones.filter(managing_board=board) if board is not None else zones.filter(managing_board__isnull=False)
    in_zones = Q(facility__zone__in=zones) | Q(zone__in=zones)
    ctx = Context(
        year=year, log=SourceLog(),
        facilities=Facility.objects.for_user_private(user).filter(zone__in=zones),
        zones=zones,
        reports=Report.objects.for_user(user, Action.VIEW).for_year(year).filter(in_zones),
        permits=Permit.objects.for_user(user).filter(in_zones),
        inspections=Inspection.objects.for_user(user).filter(in_zones),
        stations=Station.objects.for_user_private(user).filter(facility__zone__in=zones),
        counted_statuses=tuple(structure["counted_statuses"]),
    )
    issuer = board.name.upper() if board is not None else structure["issuer"]
    subject = f"{structure['subject']}" + (f" – {board.name}" if board is not None else "")
    return build_report(form=FORM, ctx=ctx, subject=subject, issuer=issuer, created=created or timezone.now())
