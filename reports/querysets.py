"""Scoped, chainable reads of the annual reports (DESIGN.md section 4).

- The filer (the facility's owner, or the zone's infrastructure investor) sees and edits
  its own reports, drafts included.
- Officers see a report once it was first submitted: a draft belongs to the enterprise.
  The Department sees every submitted report; the EZ board those of the zones it
  manages and of the facilities in them; a commune those of the facilities in its units;
  a zone's investor those of the facilities in its zone (a recipient, Art. 66(5)).
- Review (accept or return) is for the Department and, for its zones, the EZ board.
- Connection accounts get nothing here until their grant says otherwise (issue 7).
"""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from geoportal.accounts.choices import Role
from geoportal.scopes import NOTHING, Action, Scope, ScopedQuerySet


def report_scope_q(scope: Scope, action: Action, prefix: str = "") -> Q:
    """The reports `scope` may act on; `prefix` reaches a report from another model."""

    def q(**kwargs) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in kwargs.items()})

    if scope.is_anonymous or scope.read_only:
        return NOTHING
    org = scope.organisation_id
    submitted = q(first_submitted_at__isnull=False)
    own = NOTHING
    if org and scope.has(Role.ENTERPRISE_USER):
        own = q(facility__owner_organisation=org) | q(zone__investor_organisation=org)
    if action == Action.CHANGE:
        return own
    if action == Action.APPROVE:
        if scope.everything:
            return submitted
        if org and scope.has(Role.EZ_OFFICER):
            return submitted & (q(facility__zone__managing_board=org) | q(zone__managing_board=org))
        return NOTHING
    if action != Action.VIEW:
        return NOTHING
    if scope.everything:
        return submitted | own
    seen = NOTHING
    if org and scope.has(Role.EZ_OFFICER):
        seen |= q(facility__zone__managing_board=org) | q(zone__managing_board=org)
    if scope.unit_ids:
        seen |= q(facility__admin_unit__in=scope.unit_ids) | q(zone__admin_unit__in=scope.unit_ids)
    if org and scope.has(Role.ENTERPRISE_USER):
        seen |= q(facility__zone__investor_organisation=org)
    return own | (submitted & seen)


class FormDefinitionQuerySet(models.QuerySet):
    def for_year(self, year: int) -> "FormDefinitionQuerySet":
        """Versions in force for a reporting year (the latest effective one first)."""
        end = dt.date(year, 12, 31)
        return self.filter(effective_from__lte=end).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=end)).order_by("-effective_from", "-version")


class ReportQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        return report_scope_q(scope, action)

    def for_year(self, year: int) -> "ReportQuerySet":
        return self.filter(year=year)

    def received(self) -> "ReportQuerySet":
        """Reports that were submitted at least once."""
        return self.filter(first_submitted_at__isnull=False)

    def with_lists(self) -> "ReportQuerySet":
        """What list pages show, in one query."""
        return self.select_related("facility", "zone", "organisation", "form", "admin_unit", "in_zone")


class SubmissionQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        return report_scope_q(scope, action, prefix="report__")
