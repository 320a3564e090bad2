"""Import of periodic monitoring results (sampling campaigns) from a CSV or XLSX table.

One table, read by monitoring.ingest.parsing (read_csv / read_xlsx, parse_periodic_table),
is checked and written all or nothing: a dry run (the preview) runs the very same writes
in a transaction that is rolled back, so it reports exactly what the import would add and
what is already stored. Rules beyond the parser's:

- A point is a station the user may change (``Station.objects.for_user(user, CHANGE)``),
  named by its code (case-insensitive); any other code is an unknown point, so nothing
  tells the user whether a station outside their scope exists.
- A parameter name shared by several media ("COD", "pH") is the one of the point's medium.
  It must be measured at that point (StationParameter) or belong to the point's medium.
- Values are converted to the parameter's canonical unit (the unit column is required).
- A date without a time is stored at 00:00 local time (Asia/Ho_Chi_Minh) of that day
  [our assumption: the reporting forms give the sampling date only].
- "<0.5" (below the detection limit) is stored as 0.5; the reading table has no flag for
  it yet, so the preview warns about each such result.
- One SamplingCampaign per campaign name in the table; its readings carry its id. A
  campaign none of whose results is new (a re-import) is not kept.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from geoportal.scopes import Action
from monitoring.domain.units import UnitError
from monitoring.ingest.parsing import PeriodicRow, parse_periodic_table, read_csv, read_xlsx
from monitoring.models import SamplingCampaign, Station, StationParameter
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.services.push import KIND_MEDIUM, NOT_MEASURED, UNIT, resolver, unit_converter, unit_error_message

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FORMATS = ("csv", "xlsx")
MAX_SHOWN_ERRORS = 500


def periodic_max_bytes() -> int:
    """The largest table accepted (settings.MONITORING_PERIODIC_MAX_BYTES, at most UPLOAD_MAX_BYTES)."""
    return min(int(getattr(settings, "MONITORING_PERIODIC_MAX_BYTES", DEFAULT_MAX_BYTES)),
               int(settings.UPLOAD_MAX_BYTES))


@dataclass
class CampaignOutcome:
    """One campaign of the table: its results, and what was (or would be) written."""

    name: str
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    sampled_from: dt.date | None = None
    sampled_to: dt.date | None = None
    campaign_id: int | None = None


@dataclass
class PeriodicResult:
    """The outcome of a dry run or an import: per-line errors, warnings and counts."""

    original_name: str
    dry_run: bool
    rows: int = 0  # results read without error
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    duplicate_lines: list[int] = field(default_factory=list)  # repeats inside the table
    campaigns: list[CampaignOutcome] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def accepted(self) -> int:
        return sum(c.accepted for c in self.campaigns)

    @property
    def duplicates(self) -> int:
        return len(self.duplicate_lines) + sum(c.duplicates for c in self.campaigns)

    @property
    def file_errors(self) -> list[dict[str, Any]]:
        return [e for e in self.errors if "line" not in e]

    def lines(self, limit: int = MAX_SHOWN_ERRORS) -> list[dict[str, Any]]:
        """Row errors grouped by line, in line order (at most `limit` lines)."""
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for error in self.errors:
            if "line" in error:
                grouped[error["line"]].append(error)
        return [{"line": line, "errors": grouped[line]} for line in sorted(grouped)[:limit]]

    @property
    def error_lines(self) -> int:
        return len({e["line"] for e in self.errors if "line" in e})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


def _observed_at(sampled: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if isinstance(sampled, dt.datetime):
        return sampled
    return dt.datetime.combine(sampled, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)


def read_table(data: bytes, fmt: str, *, max_bytes: int):
    """The rows of the uploaded table (lazy: a refusal surfaces while parsing)."""
    if fmt == "xlsx":
        return read_xlsx(data, max_bytes=max_bytes)
    return read_csv(data, max_bytes=max_bytes)


def periodic_import(*, user, data: bytes | IO[bytes], fmt: str, original_name: str, now: dt.datetime,
                    dry_run: bool) -> PeriodicResult:
    """Check a results table and write it all or nothing (or, with `dry_run`, roll it back).

    :param fmt: "csv" or "xlsx" (checked by the caller from the name and the first bytes).
    :returns: the per-line errors, or the campaigns with what they added.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    result = PeriodicResult(original_name=original_name, dry_run=dry_run)
    zone = ZoneInfo(settings.TIME_ZONE)
    points = {_fold(s.code): s for s in Station.objects.for_user(user, Action.CHANGE).only("pk", "code", "kind")}
    lookup = resolver()
    parsed = parse_periodic_table(read_table(data, fmt, max_bytes=periodic_max_bytes()),
                                  resolve_parameter=lookup, resolve_point=lambda t: (
                                      points[_fold(t)].code if _fold(t) in points else None),
                                  now=now, time_zone=settings.TIME_ZONE)
    result.errors = [e.to_dict() for e in parsed.errors]
    result.warnings = [e.to_dict() for e in parsed.warnings]
    result.duplicate_lines = list(parsed.duplicate_lines)
    if parsed.refused or not parsed.rows and result.errors:
        return result

    by_code = {s.code: s for s in points.values()}
    used = {by_code[row.point].pk for row in parsed.rows}
    measured: dict[int, set[int]] = defaultdict(set)
    for station_id, parameter_id in StationParameter.objects.filter(station_id__in=used).values_list(
            "station_id", "parameter_id"):
        measured[station_id].add(parameter_id)
    station_lookups = {pk: lookup.for_station(s, measured[pk]) for pk, s in
                       ((s.pk, s) for s in by_code.values() if s.pk in used)}

    readings: dict[str, list[ResolvedReading]] = defaultdict(list)
    outcomes: dict[str, CampaignOutcome] = {}
    converters: dict[tuple[str, str], Any] = {}
    for row in parsed.rows:
        error = _row_reading(row, by_code[row.point], station_lookups, measured, converters, zone, readings)
        if error:
            result.errors.append(error)
            continue
        if row.below_detection:
            result.warnings.append({"code": "below_detection", "line": row.line, "field": "value",
                                    "message": _("Below the detection limit: stored as %(value)s.")
                                    % {"value": f"{row.value:g}"}})
        outcome = outcomes.setdefault(row.campaign, CampaignOutcome(name=row.campaign))
        outcome.rows += 1
        day = row.sampled_at.astimezone(zone).date() if isinstance(row.sampled_at, dt.datetime) else row.sampled_at
        outcome.sampled_from = min(filter(None, [outcome.sampled_from, day]))
        outcome.sampled_to = max(filter(None, [outcome.sampled_to, day]))
    result.errors.sort(key=lambda e: (e.get("line", 0),))
    result.warnings.sort(key=lambda e: (e.get("line", 0),))
    result.rows = sum(o.rows for o in outcomes.values())
    if result.errors or not outcomes:
        return result
    result.campaigns = list(outcomes.values())
    _write(user=user, result=result, readings=readings)
    return result


def _row_reading(row: PeriodicRow, station: Station, lookups, measured, converters, zone,
                 readings: dict[str, list[ResolvedReading]]) -> dict[str, Any] | None:
    """Resolve one parsed row into a reading of its campaign, or return its error."""
    lookup = lookups[station.pk]
    code = lookup(row.parameter_code) or row.parameter
    info = lookup.get(code)
    if info.pk not in measured[station.pk] and info.medium != KIND_MEDIUM.get(station.kind):
        return {"code": NOT_MEASURED, "line": row.line, "field": "parameter", "value": row.parameter_code[:100],
                "message": _("%(parameter)s is not measured at %(point)s.") % {"parameter": info.code,
                                                                            "point": station.code}}
    key = (row.unit, info.code)
    if key not in converters:
        try:
            converters[key] = unit_converter(row.unit, info)
        except UnitError:
            converters[key] = unit_error_message(row.unit, info)
    conv = converters[key]
    if isinstance(conv, str):
        return {"code": UNIT, "line": row.line, "field": "unit", "value": row.unit[:100], "message": conv}
    readings[row.campaign].append(ResolvedReading(station.pk, info.pk, _observed_at(row.sampled_at, zone),
                                                  conv(row.value)))
    return None


def _write(*, user, result: PeriodicResult, readings: dict[str, list[ResolvedReading]]) -> None:
    """Create the campaigns and write their readings in one transaction; roll back a dry run."""
    with transaction.atomic():
        organisation = getattr(user, "organisation", None)
        for outcome in result.campaigns:
            campaign = SamplingCampaign(name=outcome.name[:200], organisation=organisation,
                                        sampled_from=outcome.sampled_from, sampled_to=outcome.sampled_to,
                                        original_name=result.original_name[:255], created_by=user)
            campaign.full_clean(exclude=["organisation", "created_by"])  # null for a user without one
            campaign.save()
            rows = [ResolvedReading(r.station_id, r.parameter_id, r.observed_at, r.value, r.status, campaign.pk)
                    for r in readings[outcome.name]]
            written = write_readings(rows)
            outcome.accepted, outcome.duplicates = written.accepted, written.duplicates
            if written.accepted:
                campaign.rows = written.accepted
                campaign.save(update_fields=["rows"])
                outcome.campaign_id = campaign.pk
                if not result.dry_run:
                    audit_record(actor=user, action="sampling_campaign.import", obj=campaign,
                                 changes={"file": result.original_name, "rows": outcome.rows,
                                          "accepted": written.accepted, "duplicates": written.duplicates})
            else:
                campaign.delete()  # nothing new in it (a re-import): no empty campaign
        if result.dry_run or not result.accepted:
            transaction.set_rollback(True)
            for outcome in result.campaigns:
                outcome.campaign_id = None
        else:
            result.committed = True

