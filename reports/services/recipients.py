"""Who receives a report (Art. 66(5) Circular 02/2022), by the rules configured in
settings.REPORT_RECIPIENT_RULES: the permit issuer (or the authority that received the
registration), the Department, and — for a facility in a zone — the EZ board and the
zone's infrastructure investor. The commune and the former district are kept on the
report for history; the district recipient of the 2022 text was abolished on 1 July 2025."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation
from reports.choices import RecipientKind
from reports.models import Report


@dataclass(frozen=True)
class Recipient:
    kind: str
    name: str
    organisation: Organisation | None = None


def _permit_issuer(report: Report) -> list[Recipient]:
    from layers.models import EnvironmentalRegistration, Permit

    subject = {"facility": report.facility} if report.facility_id else {"zone": report.zone}
    year_end = dt.date(report.year, 12, 31)
    permit = (Permit.objects.filter(**subject).in_force_on(year_end).select_related("issuer")
              .order_by("-signed_on").first())
    if permit is not None and permit.issuer is not None:
        return [Recipient(RecipientKind.PERMIT_ISSUER, str(permit.issuer))]
    registration = (EnvironmentalRegistration.objects.filter(**subject).select_related("received_by")
                    .order_by("-registered_on").first())
    if registration is not None and registration.received_by is not None:
        return [Recipient(RecipientKind.PERMIT_ISSUER, str(registration.received_by))]
    return []


def _department(report: Report) -> list[Recipient]:
    dept = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True).order_by("pk").first()
    return [Recipient(RecipientKind.DEPARTMENT, dept.name, dept)] if dept else []


def _zone(report: Report):
    return report.facility.zone if report.facility_id else None


def _zone_board(report: Report) -> list[Recipient]:
    zone = _zone(report) or report.zone
    board = zone.managing_board if zone is not None else None
    return [Recipient(RecipientKind.ZONE_BOARD, board.name, board)] if board else []


def _zone_investor(report: Report) -> list[Recipient]:
    zone = _zone(report)  # a zone's own report (form 06) is filed by the investor itself
    investor = zone.investor_organisation if zone is not None else None
    return [Recipient(RecipientKind.ZONE_INVESTOR, investor.name, investor)] if investor else []


RULES = {
    RecipientKind.PERMIT_ISSUER: _permit_issuer,
    RecipientKind.DEPARTMENT: _department,
    RecipientKind.ZONE_BOARD: _zone_board,
    RecipientKind.ZONE_INVESTOR: _zone_investor,
}


def recipients_for(report: Report) -> list[Recipient]:
    """The recipients of `report`, in the configured order, without duplicates."""
    out: list[Recipient] = []
    seen: set[tuple] = set()
    for rule in settings.REPORT_RECIPIENT_RULES:
        for recipient in RULES[RecipientKind(rule)](report):
            key = (recipient.organisation.pk if recipient.organisation else None, recipient.name)
            if key not in seen:
                seen.add(key)
                out.append(recipient)
    return out
