"""Prefill a new report from what the system already knows (issue 5, "Filling in").

Sources, in order (later ones win on the same key):

1. the fields' `prefill` paths in the form definition (facility.*, zone.*, permit.summary,
   registration.summary; a list of paths is joined with "; ");
2. the permit in force at the end of the year: one works row per discharge stream
   (wastewater_works, emission_works), flows converted to the column's unit;
3. inspections: the remedies still open during the year, or completed in it (remedies);
4. the zone's facilities (zone_tenants, form 06);
5. last year's report (`previous`): products and consumption rows with last year's
   figures as "previous_year", and the works tables when the permit gives none;
6. PREFILL_PROVIDERS, the extension point for other apps (monitoring results).

The result is contract-shaped and cleaned by reports.domain.forms.clean_data (totals
filled, exceedances flagged), so it can be stored as a draft as it is.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from layers.choices import ApprovalStatus, DischargeKind, FacilityStatus, OperatingFrequency, RemedyStatus
from layers.models import EnvironmentalRegistration, Facility, IndustrialZone, Permit, Remedy
from reports.domain.forms import canonical_decimal, clean_data, field_specs, table_specs
from reports.models import FormDefinition

# A provider returns partial contract-shaped data for a new report:
#     provider(definition, year, facility, zone) -> {"fields": {...}, "tables": {key: [row, ...]}}
# Providers run in list order after the built-in sources. Their fields override earlier
# values; a table they return replaces that table's prefilled rows. Values may be typed
# (Decimal, date, int) or text: clean_data normalises them. The monitoring app appends
# its provider at start-up (AppConfig.ready), e.g. the year's periodic results as
# wastewater_monitoring / emission_monitoring rows with their permitted limits, and the
# automatic-station summary as automatic_monitoring rows.
PrefillProvider = Callable[[FormDefinition, int, Facility | None, IndustrialZone | None], dict]
PREFILL_PROVIDERS: list[PrefillProvider] = []

# Columns of the works tables carried over from last year's report: the design of the
# works, not the year's quantities or operating status.
CARRIED_OVER = {
    "wastewater_works": ("works_name", "capacity_m3_day", "technology"),
    "emission_works": ("stack", "source", "treatment", "flow_m3_h"),
}
# Rows of last year's products/consumption tables become this year's rows with last
# year's figure as the previous year's.
YEAR_TABLES = ("products", "consumption")
FREQUENCY_VI = {OperatingFrequency.REGULAR: "thường xuyên", OperatingFrequency.SEASONAL: "theo mùa vụ"}


class _Context:
    """What the prefill paths read, fetched once and only when a path needs it."""

    def __init__(self, *, facility: Facility | None, zone: IndustrialZone | None, year: int):
        self.facility, self.zone, self.year = facility, zone, year
        self.year_end = dt.date(year, 12, 31)
        self._cache: dict[str, Any] = {}

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def permit(self) -> Permit | None:
        return self._once("permit", lambda: permit_in_force(facility=self.facility, zone=self.zone,
                                                            day=self.year_end))

    @property
    def registration(self) -> EnvironmentalRegistration | None:
        def latest():
            if self.facility is None:
                return None
            return (EnvironmentalRegistration.objects.filter(facility=self.facility)
                    .exclude(approval_status=ApprovalStatus.REJECTED)
                    .filter(Q(registered_on__lte=self.year_end) | Q(registered_on__isnull=True))
                    .select_related("received_by").order_by("-registered_on", "-id").first())
        return self._once("registration", latest)

    @property
    def tenants(self) -> list[Facility]:
        def operating():
            if self.zone is None:
                return []
            return list(Facility.objects.filter(zone=self.zone).exclude(status=FacilityStatus.CLOSED)
                        .exclude(approval_status=ApprovalStatus.REJECTED).order_by("name", "id"))
        return self._once("tenants", operating)


def permit_in_force(*, facility: Facility | None = None, zone: IndustrialZone | None = None,
                    day: dt.date) -> Permit | None:
    """The facility's (or zone's) permit in force on `day`, as it stood then.

    PermitQuerySet.in_force_on() reads today's state (not revoked, not superseded at
    all); a report for a past year needs the permit of that year even when a later one
    replaced it since: signed by `day`, not revoked by then, not superseded by a permit
    signed by then."""
    if (facility is None) == (zone is None):
        raise ValueError("permit_in_force() takes a facility or a zone")
    permits = Permit.objects.filter(facility=facility) if facility is not None else Permit.objects.filter(zone=zone)
    return (permits.filter(signed_on__lte=day).exclude(revoked_on__lte=day)
            .exclude(superseded_by__signed_on__lte=day).exclude(approval_status=ApprovalStatus.REJECTED)
            .select_related("issuer").prefetch_related("discharge_streams").order_by("-signed_on", "-id").first())


def _summary(number: str, day: dt.date | None, authority) -> str:
    """"số … ngày dd/mm/yyyy, <authority>" (parts that are unknown are left out)."""
    text = f"số {number}" if number else ""
    if day is not None:
        text = f"{text} ngày {day:%d/%m/%Y}".strip()
    if authority is not None:
        text = f"{text}, {authority.name_vi}" if text else authority.name_vi
    return text


def _permit_summary(ctx: _Context) -> str:
    permit = ctx.permit
    return _summary(permit.full_number, permit.signed_on, permit.issuer) if permit else ""


def _registration_summary(ctx: _Context) -> str:
    reg = ctx.registration
    return _summary(reg.number, reg.registered_on, reg.received_by) if reg else ""


def _frequency(ctx: _Context) -> str:
    facility = ctx.facility
    if facility is None or not facility.operating_frequency:
        return ""
    text = FREQUENCY_VI.get(facility.operating_frequency, facility.operating_frequency)
    if facility.operating_frequency == OperatingFrequency.SEASONAL and facility.season_note:
        text = f"{text} ({facility.season_note})"
    return f"tần suất hoạt động: {text}"


def _facility(attr: str) -> Callable[[_Context], Any]:
    return lambda ctx: getattr(ctx.facility, attr, None) if ctx.facility is not None else None


def _zone(attr: str) -> Callable[[_Context], Any]:
    return lambda ctx: getattr(ctx.zone, attr, None) if ctx.zone is not None else None


def _investor(attr: str) -> Callable[[_Context], Any]:
    def read(ctx: _Context):
        investor = ctx.zone.investor_organisation if ctx.zone is not None else None
        return getattr(investor, attr, None) if investor is not None else None
    return read


# Every path of reports.domain.forms.PREFILL_PATHS, and how to read it.
RESOLVERS: dict[str, Callable[[_Context], Any]] = {
    "facility.name": _facility("name"),
    "facility.address": _facility("address"),
    "facility.contact_phone": _facility("contact_phone"),
    "facility.representative": _facility("representative"),
    "facility.activity": _facility("activity"),
    "facility.capacity": _facility("capacity"),
    "facility.operating_frequency": _frequency,
    "facility.business_registration": _facility("business_registration"),
    "facility.tax_code": _facility("tax_code"),
    "facility.iso14001_certificate": _facility("iso14001_certificate"),
    "permit.summary": _permit_summary,
    "registration.summary": _registration_summary,
    "zone.name": _zone("name"),
    "zone.investor": _investor("name"),
    "zone.investor_address": _investor("address"),
    "zone.investor_phone": _investor("phone"),
    "zone.investor_tax_code": _investor("tax_code"),
    "zone.established_by": _zone("established_by"),
    "zone.area_ha": _zone("area_ha"),
    "zone.occupancy_pct": _zone("occupancy_pct"),
    "zone.tenant_count": lambda ctx: len(ctx.tenants) if ctx.zone is not None else None,
    "zone.cwwtp_capacity_m3_day": _zone("cwwtp_capacity_m3_day"),
    "zone.cwwtp_status": _zone("cwwtp_status"),
}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fields(spec: dict, ctx: _Context) -> dict:
    fields = {}
    for key, field in field_specs(spec).items():
        source = field.get("prefill")
        if not source:
            continue
        values = [RESOLVERS[path](ctx) for path in (source if isinstance(source, list) else [source])]
        values = [v for v in values if not _blank(v)]
        if len(values) == 1:
            fields[key] = values[0]
        elif values:
            fields[key] = "; ".join(str(v).strip() for v in values)
    return fields


def _per_hour(unit: str) -> bool | None:
    """True for a flow per hour, False per day, None when the unit does not say."""
    text = (unit or "").casefold()
    if any(mark in text for mark in ("/h", "giờ", "hour")):
        return True
    if any(mark in text for mark in ("ngày", "day", "/d", "ngđ")):
        return False
    return None


def _flow(stream, *, per_hour: bool) -> str | None:
    """The stream's maximum flow in m³/h (per_hour) or m³/day. A unit left blank is the
    kind's usual one (wastewater per day, emissions per hour), as in the permit book."""
    if stream.max_flow is None:
        return None
    value = Decimal(stream.max_flow)
    stated = _per_hour(stream.flow_unit)
    if stated is None or stated == per_hour:
        return canonical_decimal(value)
    # 24 hours a day: a permit that states the other unit is converted, not copied.
    return canonical_decimal(value / 24 if per_hour else value * 24)


def _works_rows(ctx: _Context, tables: dict) -> dict[str, list[dict]]:
    permit = ctx.permit
    if permit is None:
        return {}
    streams = sorted(permit.discharge_streams.all(), key=lambda s: (s.code, s.pk))
    out: dict[str, list[dict]] = {}
    if "wastewater_works" in tables:
        out["wastewater_works"] = [
            {"works_name": (s.treatment_works or "").strip() or s.code or "Hệ thống xử lý nước thải",
             "capacity_m3_day": _flow(s, per_hour=False)}
            for s in streams if s.kind == DischargeKind.WASTEWATER]
    if "emission_works" in tables:
        out["emission_works"] = [
            {"stack": s.code or f"Ống thải {n}", "treatment": (s.treatment_works or "").strip(),
             "flow_m3_h": _flow(s, per_hour=True)}
            for n, s in enumerate((s for s in streams if s.kind == DischargeKind.EMISSIONS), start=1)]
    return {key: rows for key, rows in out.items() if rows}


def _remedy_rows(ctx: _Context) -> list[dict]:
    parent = Q(inspection__facility=ctx.facility) if ctx.facility is not None else Q(inspection__zone=ctx.zone)
    remedies = (Remedy.objects.filter(parent, inspection__inspected_on__lte=ctx.year_end)
                .exclude(inspection__approval_status=ApprovalStatus.REJECTED)
                .filter(Q(status__in=[RemedyStatus.OPEN, RemedyStatus.IN_PROGRESS])
                        | Q(completed_on__year=ctx.year))
                .select_related("inspection").order_by("inspection__inspected_on", "inspection_id", "id"))
    rows = []
    for remedy in remedies:
        inspection = remedy.inspection
        parts = [inspection.authority, f"số {inspection.decision_number}" if inspection.decision_number else "",
                 f"ngày {inspection.inspected_on:%d/%m/%Y}"]
        completed = remedy.completed_on if remedy.completed_on and remedy.completed_on <= ctx.year_end else None
        rows.append({"inspection": ", ".join(p for p in parts if p), "requirement": remedy.description,
                     "result": remedy.follow_up, "completed_on": completed})
    return rows


def _tenant_rows(ctx: _Context) -> list[dict]:
    return [{"tenant": f.name, "tax_code": f.tax_code, "activity": f.activity} for f in ctx.tenants]


def _from_previous(previous: dict | None, tables: dict) -> dict[str, list[dict]]:
    prev_tables = (previous or {}).get("tables") or {}
    out: dict[str, list[dict]] = {}
    for key in YEAR_TABLES:
        if key in tables:
            rows = [{"item": r.get("item"), "unit": r.get("unit"), "previous_year": r.get("reporting_year")}
                    for r in prev_tables.get(key) or () if isinstance(r, dict) and not _blank(r.get("item"))]
            if rows:
                out[key] = rows
    for key, columns in CARRIED_OVER.items():
        if key in tables:
            rows = [{c: r.get(c) for c in columns} for r in prev_tables.get(key) or () if isinstance(r, dict)]
            rows = [r for r in rows if any(not _blank(v) for v in r.values())]
            if rows:
                out[key] = rows
    return out


def prefill_data(*, definition: FormDefinition, year: int, facility: Facility | None = None,
                 zone: IndustrialZone | None = None, previous: dict | None = None) -> dict:
    """Contract-shaped data for a new report of `facility` (05.A/05.B) or `zone` (06) for `year`."""
    if (facility is None) == (zone is None):
        raise ValueError("prefill_data() takes a facility or a zone")
    spec = definition.definition
    tables = table_specs(spec)
    ctx = _Context(facility=facility, zone=zone, year=year)
    data: dict[str, dict] = {"fields": _fields(spec, ctx), "tables": {}}
    carried = _from_previous(previous, tables)
    works = _works_rows(ctx, tables)
    for key in YEAR_TABLES:
        if key in carried:
            data["tables"][key] = carried[key]
    for key in CARRIED_OVER:
        # The permit's streams are the reference; last year's list only when it has none.
        rows = works.get(key) or carried.get(key)
        if rows:
            data["tables"][key] = rows
    if "remedies" in tables:
        data["tables"]["remedies"] = _remedy_rows(ctx)
    if "zone_tenants" in tables and zone is not None:
        data["tables"]["zone_tenants"] = _tenant_rows(ctx)
    for provider in PREFILL_PROVIDERS:
        part = provider(definition, year, facility, zone) or {}
        data["fields"].update(part.get("fields") or {})
        for key, rows in (part.get("tables") or {}).items():
            data["tables"][key] = list(rows)
    return clean_data(spec, data).data
