"""Exceedance events: averaging windows computed in PostgreSQL, compared with the limit in
force at each window's time, merged into events, and notified by e-mail once per event.

Windows (monitoring.domain.windows; DEFAULT_MIN_COVERAGE [U] for every mean):
- 1 h: the valid readings of one local clock hour (9 of 12 at 5 minutes);
- 8 h: the running mean of 8 consecutive hourly means (a RANGE frame: a missing hour is
  not replaced by an older one; 6 of 8 needed), one per hour;
- 24 h: the mean of a local calendar day's hourly means (18 of 24 needed).
Readings under calibration or in error never enter a mean (Circular 10/2021 Art. 39).
A window is compared with the limit in force at its start (local calendar day, so the
24 h PM2.5 mean of 31/12/2025 meets 50 µg/Nm³ and that of 01/01/2026 meets 45).

Which limit (limits.precedence: the permit first, Decree 08/2022):
1. a PermitLimit of the discharge stream the station watches, for the parameter and window;
2. else the regulation the stream cites (DischargeStream.regulation / regulation_column,
   matched to LimitSet.code / column by QCVN number and year), with Cmax = C × Kq × Kf
   (QCVN 40:2011) or C × Kp × Kv (QCVN 19:2009) from the stream's factors
   (limits.apply_factors; pH, temperature, colour and coliform are not multiplied);
3. a city-network station (no facility) uses the single-column regulations of its medium
   in force at the time: QCVN 05:2023 for ambient air.
The wastewater and emission regulations give one value per sample ("instant"); for
automatic stations it is compared with the 1 h mean [U: the usual reading of Decree
08/2022 and Decree 45/2022 for continuous monitoring data, not confirmed in DOMAIN.md].

Events: consecutive windows over the limit (the next window ends one step, 1 h or 1 day,
after the previous one) make one ExceedanceEvent: started_at is the first window's start,
ended_at the last window's end, peak the window furthest beyond its limit (peak_at is that
window's start), windows their count. An event whose last window is the last window of
the data stays open (ended_at null) and the next run extends it; a later window within the
limit, or a gap followed by later data, closes it. Re-running a period changes nothing;
a run that overlaps or touches stored events merges with them (events never shrink).
One advisory lock per station serialises concurrent runs.

Notice: each event is e-mailed once (notified_at), after the transaction commits, to the
facility owner's active users and the Department officers; if sending fails notified_at
is cleared so that the next run tries again.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from monitoring.choices import Averaging, Medium, StationKind
from monitoring.domain.limits import Limit, LimitValue, apply_factors, exceeds, limit_in_force
from monitoring.domain.units import UnitError, convert
from monitoring.domain.windows import DEFAULT_MIN_COVERAGE, LOCAL_TZ, WINDOWS, required_count
from monitoring.models import ExceedanceEvent, LimitSet, Parameter, PermitLimit, Station
from monitoring.models import LimitValue as LimitValueRow
from monitoring.selectors import TZ, hourly_means_sql, local_midnight, pk_of, readings_source

logger = logging.getLogger(__name__)

HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
AVERAGINGS = (Averaging.HOUR.value, Averaging.EIGHT_HOURS.value, Averaging.DAY.value)
LENGTH = {"1h": HOUR, "8h": 8 * HOUR, "24h": DAY}
STEP = {"1h": HOUR, "8h": HOUR, "24h": DAY}
# A single-sample regulation value ("instant") also applies to the 1 h mean [U, see above].
FALLBACK = {"1h": ("1h", "instant")}
# How far back a run looks for the continuation of an open event.
MAX_LOOKBACK = dt.timedelta(days=31)
MEDIUM_OF_KIND = {
    StationKind.AMBIENT_AIR: Medium.AMBIENT_AIR, StationKind.SURFACE_WATER: Medium.WATER,
    StationKind.GROUNDWATER: Medium.WATER, StationKind.SEAWATER: Medium.WATER,
    StationKind.WASTEWATER: Medium.WASTEWATER, StationKind.STACK: Medium.EMISSION,
}
# pg_advisory_xact_lock(key, station id): one detection per station at a time.
LOCK_KEY = 0x6578_6365  # "exce"
_QCVN = re.compile(r"QCVN\s*([0-9]+(?:\s*-\s*MT)?)\s*:\s*(\d{4})", re.I)
_COLUMN = re.compile(r"(?:cột|column|col\.?)\s*([A-Z][0-9]?)\b", re.I)


def _decimal(value: float | Decimal | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value)))


def _vn_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def regulation_keys(text: str) -> list[tuple[str, str]]:
    """The (number, year) of each QCVN a text cites: "QCVN 40:2011/BTNMT, cột B" -> [("40", "2011")]."""
    return [(re.sub(r"\s+", "", n).upper(), y) for n, y in _QCVN.findall(text or "")]


@dataclass
class StationLimits:
    """The limits that apply to one station, resolved once: permit limits and regulation values."""

    codes: dict[int, str]                                   # parameter id -> code
    permit: dict[tuple[int, str], Limit] = field(default_factory=dict)
    regulation: dict[tuple[int, str], list[LimitValue]] = field(default_factory=dict)
    multiplied: dict[tuple[int, str], bool] = field(default_factory=dict)
    factors: dict[str, Decimal] = field(default_factory=dict)   # kq/kf or kp/kv
    factor_text: str = ""

    def __bool__(self) -> bool:
        return bool(self.permit or self.regulation)

    @property
    def parameter_ids(self) -> set[int]:
        return {pid for pid, _ in self.permit} | {pid for pid, _ in self.regulation}

    @property
    def averagings(self) -> set[str]:
        """The windows that have a limit (a single-sample value counts for the 1 h window)."""
        found = {avg for _, avg in [*self.permit, *self.regulation]}
        return {avg for avg in AVERAGINGS if any(a in found for a in FALLBACK.get(avg, (avg,)))}

    def limit(self, parameter_id: int, averaging: str, at: dt.datetime | dt.date) -> Limit | None:
        """The limit of a parameter over a window in force at `at`: the permit's, else the regulation's."""
        chain = FALLBACK.get(averaging, (averaging,))
        for avg in chain:
            if (parameter_id, avg) in self.permit:
                return self.permit[(parameter_id, avg)]
        for avg in chain:
            values = self.regulation.get((parameter_id, avg))
            if not values:
                continue
            found = limit_in_force(values, parameter=self.codes[parameter_id], averaging=avg, at=at)
            if found is None:
                continue
            multiplied = self.multiplied.get((parameter_id, avg), True)
            if self.factors and multiplied:
                found = apply_factors(found, multiplied=True, **{k: v for k, v in self.factors.items()})
                return replace(found, source=f"{found.source}{self.factor_text}")
            return found
        return None


def _bound(value: float | None, unit_from: str, unit_to: str, parameter: Parameter) -> Decimal | None:
    if value is None:
        return None
    if unit_from == unit_to:
        return _decimal(value)
    # Ambient analysers report at 25 °C and 760 mmHg, where m³ and Nm³ are the same volume.
    return _decimal(convert(value, unit_from, unit_to, molar_mass=parameter.molar_mass,
                            reference_conditions=parameter.medium == Medium.AMBIENT_AIR))


def _limit_sets_for(station: Station) -> tuple[list[LimitSet], bool]:
    """The regulations that apply and whether they are cited by a permit (else: the medium's default)."""
    stream = station.discharge_stream
    if stream is not None:
        keys = regulation_keys(stream.regulation)
        column = (stream.regulation_column or "").strip().upper()
        if not column:
            found = _COLUMN.search(stream.regulation or "")
            column = found.group(1).upper() if found else ""
        sets = [s for s in LimitSet.objects.all() if regulation_keys(s.code) and regulation_keys(s.code)[0] in keys]
        if column:
            return [s for s in sets if s.column.upper() == column], True
        by_code: dict[str, list[LimitSet]] = defaultdict(list)
        for s in sets:
            by_code[s.code].append(s)
        return [group[0] for group in by_code.values() if len(group) == 1], True  # a column must be named
    if station.facility_id is None:
        medium = MEDIUM_OF_KIND.get(station.kind)
        return list(LimitSet.objects.filter(medium=medium, column="")), False
    return [], False


def _factors(station: Station, sets: list[LimitSet]) -> tuple[dict[str, Decimal], str]:
    stream = station.discharge_stream
    if stream is None or not sets:
        return {}, ""
    formula = " ".join(str((s.factors or {}).get("formula", "")) for s in sets)
    if "Kq" in formula or "Kf" in formula:
        pairs = (("kq", "Kq", stream.factor_kq), ("kf", "Kf", stream.factor_kf))
    elif "Kp" in formula or "Kv" in formula:
        pairs = (("kp", "Kp", stream.factor_kp), ("kv", "Kv", stream.factor_kv))
    else:
        return {}, ""
    factors = {key: Decimal(value) for key, _, value in pairs if value is not None}
    text = "".join(f" × {label} {_vn_number(Decimal(value))}" for _, label, value in pairs if value is not None)
    return factors, text


def station_limits(station: Station) -> StationLimits:
    """Resolve the permit limits, the cited (or default) regulation and the factors of a station."""
    sets, cited = _limit_sets_for(station)
    stream = station.discharge_stream
    permit_rows = list(PermitLimit.objects.filter(discharge_stream=stream).select_related("unit", "parameter__unit")
                       ) if stream is not None else []
    value_rows = list(LimitValueRow.objects.filter(limit_set__in=sets).select_related(
        "unit", "parameter__unit", "limit_set")) if sets else []
    params = {r.parameter_id: r.parameter for r in [*permit_rows, *value_rows]}
    limits = StationLimits(codes={pid: p.code for pid, p in params.items()})
    if stream is not None and permit_rows:
        with translation.override("vi"):
            permit_label = gettext("Environmental permit %(number)s") % {"number": stream.permit.full_number}
    for row in permit_rows:
        try:
            lower = _bound(row.lower, row.unit.code, row.parameter.unit.code, row.parameter)
            upper = _bound(row.upper, row.unit.code, row.parameter.unit.code, row.parameter)
        except UnitError as exc:
            logger.warning("permit limit %s of %s skipped: %s", row.pk, station.code, exc)
            continue
        limits.permit[(row.parameter_id, row.averaging)] = Limit(lower, upper, row.parameter.unit.code,
                                                                  row.averaging, permit_label)
    for row in value_rows:
        s = row.limit_set
        start, end = row.valid_from, row.valid_to
        if not cited:
            # A default regulation answers only while it is in force (no permit cites it).
            start = max(d for d in (start, s.effective_from) if d is not None)
            end = min((d for d in (end, s.effective_to) if d is not None), default=None)
        try:
            lower = _bound(row.lower, row.unit.code, row.parameter.unit.code, row.parameter)
            upper = _bound(row.upper, row.unit.code, row.parameter.unit.code, row.parameter)
        except UnitError as exc:
            logger.warning("limit value %s of %s skipped for %s: %s", row.pk, s, station.code, exc)
            continue
        key = (row.parameter_id, row.averaging)
        limits.regulation.setdefault(key, []).append(LimitValue(
            parameter=row.parameter.code, averaging=row.averaging, lower=lower, upper=upper,
            unit=row.parameter.unit.code, effective_from=start, effective_to=end, multiplied=row.multiplied,
            certainty=row.certainty, regulation=str(s)))
        limits.multiplied[key] = limits.multiplied.get(key, True) and row.multiplied
    limits.factors, limits.factor_text = _factors(station, sets)
    return limits


@dataclass(frozen=True)
class WindowMean:
    """One averaging window of one parameter: [start, end) and its mean."""

    parameter_id: int
    averaging: str
    start: dt.datetime
    end: dt.datetime
    mean: float


def window_means(*, station, start: dt.datetime, end: dt.datetime, parameter_ids: Iterable[int],
                 averagings: Iterable[str] = AVERAGINGS) -> list[WindowMean]:
    """The 1 h, 8 h and 24 h means of a station's valid readings whose window ends in (start, end], one query."""
    ids = list(parameter_ids)
    if not ids:
        return []
    station_id = pk_of(station)
    # The 8 h windows ending after `start` begin 7 hours before it, the 24 h ones at its local midnight.
    first = min(start - 7 * HOUR, local_midnight(start.astimezone(TZ).date()))
    source, params = readings_source(start=first, end=end, station_ids=[station_id], parameter_ids=ids,
                                     valid_only=True)
    hourly, extra = hourly_means_sql(source, DEFAULT_MIN_COVERAGE)
    need8 = required_count(WINDOWS["8h"].expected, DEFAULT_MIN_COVERAGE)
    need24 = required_count(WINDOWS["24h"].expected, DEFAULT_MIN_COVERAGE)
    sql = f"""
        WITH h AS ({hourly}),
        w AS (
            SELECT parameter_id, '1h' AS averaging, hour AS ws, hour + interval '1 hour' AS we, mean FROM h
            UNION ALL
            SELECT parameter_id, '8h', hour - interval '7 hours', hour + interval '1 hour', m FROM (
                SELECT parameter_id, hour, avg(mean) OVER w8 AS m, count(*) OVER w8 AS k FROM h
                WINDOW w8 AS (PARTITION BY parameter_id ORDER BY hour {WINDOWS["8h"].sql_frame})) e
            WHERE k >= {need8}
            UNION ALL
            SELECT parameter_id, '24h', d, d + interval '1 day', m FROM (
                SELECT parameter_id, date_trunc('day', hour, '{LOCAL_TZ}') AS d, avg(mean) AS m FROM h
                GROUP BY 1, 2 HAVING count(*) >= {need24}) x
        )
        SELECT parameter_id, averaging, extract(epoch FROM ws)::float8, mean FROM w
        WHERE we > %s AND we <= %s AND averaging = ANY(%s) ORDER BY 1, 2, 3"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *extra, start, end, list(averagings)])
        rows = cursor.fetchall()
    # Epoch seconds rather than timestamptz: a year of windows is ~10^5 rows, and building the
    # datetimes here costs a third of parsing them from text.
    utc = dt.UTC
    return [WindowMean(p, a, ws := dt.datetime.fromtimestamp(epoch, utc), ws + LENGTH[a], float(m))
            for p, a, epoch, m in rows]


def severity(value: float, lower: float | Decimal | None, upper: float | Decimal | None) -> float:
    """How far a value is beyond its limit, relative to the bound (0 when within it)."""
    worst = 0.0
    if upper is not None and value > float(upper):
        worst = max(worst, (value - float(upper)) / (abs(float(upper)) or 1.0))
    if lower is not None and value < float(lower):
        worst = max(worst, (float(lower) - value) / (abs(float(lower)) or 1.0))
    return worst


@dataclass
class Run:
    """Consecutive windows over the limit, as found in this run's data."""

    first: WindowMean
    last: WindowMean
    peak: WindowMean
    peak_limit: Limit
    closed: bool = False


def _runs(windows: list[WindowMean], limits: StationLimits, step: dt.timedelta) -> list[Run]:
    runs: list[Run] = []
    current: Run | None = None
    for w in windows:
        limit = limits.limit(w.parameter_id, w.averaging, w.start)
        if not exceeds(w.mean, limit):
            if current is not None:
                current.closed = True
            current = None
            continue
        if current is not None and w.end == current.last.end + step:
            current.last = w
            if severity(w.mean, limit.lower, limit.upper) > severity(
                    current.peak.mean, current.peak_limit.lower, current.peak_limit.upper):
                current.peak, current.peak_limit = w, limit
            continue
        if current is not None:
            current.closed = True  # a gap, then more data
        current = Run(first=w, last=w, peak=w, peak_limit=limit)
        runs.append(current)
    return runs


def _last_end(event: ExceedanceEvent) -> dt.datetime:
    """The end of an event's last window (its windows are consecutive)."""
    return event.started_at + LENGTH[event.averaging] + (event.windows - 1) * STEP[event.averaging]


@dataclass
class _Group:
    runs: list[Run] = field(default_factory=list)
    events: list[ExceedanceEvent] = field(default_factory=list)

    def first_end(self, length: dt.timedelta) -> dt.datetime:
        return min([r.first.end for r in self.runs] + [e.started_at + length for e in self.events])

    def last_end(self) -> dt.datetime:
        return max([r.last.end for r in self.runs] + [_last_end(e) for e in self.events])


def _groups(runs: list[Run], events: list[ExceedanceEvent], step: dt.timedelta) -> list[_Group]:
    """Runs and stored events that overlap or touch (one step apart), joined into groups."""
    items: list[tuple[dt.datetime, dt.datetime, Run | ExceedanceEvent]] = []
    for r in runs:
        items.append((r.first.end, r.last.end, r))
    for e in events:
        items.append((e.started_at + LENGTH[e.averaging], _last_end(e), e))
    items.sort(key=lambda item: (item[0], item[1]))
    groups: list[_Group] = []
    reach: dt.datetime | None = None
    for first, last, item in items:
        if reach is None or first > reach + step:
            groups.append(_Group())
            reach = last
        else:
            reach = max(reach, last)
        (groups[-1].runs if isinstance(item, Run) else groups[-1].events).append(item)
    return groups


def _apply(group: _Group, *, station: Station, parameter_id: int, averaging: str,
           has_later_window) -> tuple[ExceedanceEvent | None, list[ExceedanceEvent], bool]:
    """The group's event (kept or new, unsaved), the stored events merged away, and whether it changed."""
    length, step = LENGTH[averaging], STEP[averaging]
    first_end, last_end = group.first_end(length), group.last_end()
    kept = sorted(group.events, key=lambda e: e.started_at)
    event = kept[0] if kept else ExceedanceEvent(station=station, parameter_id=parameter_id, averaging=averaging)
    merged = kept[1:]
    closed = has_later_window(last_end) or any(
        e.ended_at is not None and _last_end(e) == last_end for e in group.events) or any(
        r.closed and r.last.end == last_end for r in group.runs)
    # The most severe peak among the stored events and the windows found now.
    candidates = [(severity(e.peak_value, e.limit_lower, e.limit_upper), e.peak_value, e.peak_at, e.limit_lower,
                   e.limit_upper, e.limit_source) for e in group.events]
    for r in group.runs:
        lim = r.peak_limit
        candidates.append((severity(r.peak.mean, lim.lower, lim.upper), r.peak.mean, r.peak.start,
                           None if lim.lower is None else float(lim.lower),
                           None if lim.upper is None else float(lim.upper), lim.source[:200]))
    # The most severe; on a tie the earliest stored one (so that re-runs change nothing).
    _, peak, peak_at, lower, upper, source = max(candidates, key=lambda c: c[0])
    values = {
        "started_at": first_end - length,
        "ended_at": last_end if closed else None,
        "windows": int((last_end - first_end) / step) + 1,
        "peak_value": peak, "peak_at": peak_at, "limit_lower": lower, "limit_upper": upper, "limit_source": source,
    }
    changed = event.pk is None or bool(merged) or any(getattr(event, k) != v for k, v in values.items())
    for k, v in values.items():
        setattr(event, k, v)
    return event, merged, changed


def detect_exceedances(*, station: Station, start: dt.datetime, end: dt.datetime,
                       notify: bool = True) -> list[ExceedanceEvent]:
    """Find the windows over the limit in (start, end] and store them as events; returns the events
    the period's windows belong to (new, extended, closed or unchanged). Idempotent."""
    if start.tzinfo is None or end.tzinfo is None or end <= start:
        raise ValueError("start and end must be aware, end after start")
    station = Station.objects.select_related("discharge_stream__permit", "facility").get(pk=pk_of(station))
    limits = station_limits(station)
    if not limits:
        return []
    now = timezone.now()
    result: list[ExceedanceEvent] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, station.pk])
        open_events = list(ExceedanceEvent.objects.filter(station=station, ended_at__isnull=True))
        scan_start = start
        for e in open_events:  # look back far enough to see how an open event went on
            scan_start = min(scan_start, max(_last_end(e), start - MAX_LOOKBACK))
        windows = window_means(station=station, start=scan_start, end=end, parameter_ids=limits.parameter_ids,
                               averagings=limits.averagings)
        by_key: dict[tuple[int, str], list[WindowMean]] = defaultdict(list)
        for w in windows:
            by_key[(w.parameter_id, w.averaging)].append(w)
        stored = list(ExceedanceEvent.objects.select_for_update().filter(
            station=station, started_at__lt=end + DAY).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=scan_start - DAY)).order_by("started_at"))
        by_event_key: dict[tuple[int, str], list[ExceedanceEvent]] = defaultdict(list)
        for e in stored:
            by_event_key[(e.parameter_id, e.averaging)].append(e)
        deletes, closes, updates, creates = [], [], [], []
        for key in sorted(set(by_key) | {k for k, v in by_event_key.items() if any(e.ended_at is None for e in v)}):
            parameter_id, averaging = key
            step = STEP.get(averaging)
            if step is None:
                continue
            key_windows = by_key.get(key, [])
            ends = [w.end for w in key_windows]
            runs = _runs(key_windows, limits, step)
            events = by_event_key.get(key, [])
            for group in _groups(runs, events, step):
                if not group.runs and all(e.ended_at is not None for e in group.events):
                    continue  # a closed event this run's windows do not touch
                event, merged, changed = _apply(
                    group, station=station, parameter_id=parameter_id, averaging=averaging,
                    # Data goes on after `last` when a later window exists, or when a stored event
                    # starts after it (a run over an earlier period than one already analysed):
                    # the run is then history and closes, never a second open event.
                    has_later_window=lambda last, ends=ends, starts=[
                        e.started_at for e in open_events if (e.parameter_id, e.averaging) == key]: (
                        bool(ends) and ends[-1] > last) or any(s > last for s in starts))
                if not group.runs and not changed:
                    continue  # an open event with nothing new
                deletes += merged
                if event.pk is None:
                    creates.append(event)
                elif changed:
                    (closes if event.ended_at is not None else updates).append(event)
                result.append(event)
        for e in deletes:
            e.delete()
        # The station and parameter are known to exist: no lookup per event to validate them.
        for e in [*closes, *updates, *creates]:
            e.full_clean(exclude=["station", "parameter"], validate_unique=False, validate_constraints=False)
            e.save()
        if notify:
            _notify(station, [e for e in result if e.notified_at is None], now=now)
    return result


def recipients_for(station: Station) -> tuple[list[str], list[str]]:
    """(the facility owner's active users, the Department officers): e-mail addresses, no duplicates."""
    owner = station.facility.owner_organisation_id if station.facility_id else None
    facility = list(User.objects.filter(organisation_id=owner, is_active=True).exclude(email="")
                    .order_by("pk").values_list("email", flat=True)) if owner else []
    officers = list(User.objects.filter(is_active=True, roles__contains=[Role.DEPT_OFFICER]).exclude(email="")
                    .order_by("pk").values_list("email", flat=True))
    seen: set[str] = set()

    def unique(addresses: list[str]) -> list[str]:
        out = []
        for a in addresses:
            if a.strip().lower() not in seen:
                seen.add(a.strip().lower())
                out.append(a.strip())
        return out

    return unique(facility), unique(officers)


def _limit_text(lower: float | None, upper: float | None) -> str:
    lo, hi = _decimal(lower), _decimal(upper)
    if lo is not None and hi is not None:
        return f"{_vn_number(lo)} – {_vn_number(hi)}"
    if hi is not None:
        return f"≤ {_vn_number(hi)}"
    return f"≥ {_vn_number(lo)}" if lo is not None else ""


def exceedance_message(event: ExceedanceEvent, *, to: list[str], bcc: list[str]) -> EmailMultiAlternatives:
    """The notice of one event (Vietnamese, plain text and HTML)."""
    station, parameter = event.station, event.parameter
    with translation.override("vi"):
        context = {
            "station": station, "facility": station.facility, "parameter": parameter,
            "parameter_name": parameter.name, "unit": parameter.unit.code,
            "averaging": Averaging(event.averaging).label, "event": event,
            "limit": _limit_text(event.limit_lower, event.limit_upper),
            "open": event.ended_at is None,
        }
        subject = " ".join(render_to_string("monitoring/email/exceedance_subject.txt", context).split())
        text = render_to_string("monitoring/email/exceedance_body.txt", context)
        html = render_to_string("monitoring/email/exceedance_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, bcc=bcc)
    message.attach_alternative(html, "text/html")
    return message


def _send(message: EmailMultiAlternatives, event_pk: int) -> None:
    try:
        message.send()
    except OSError:  # SMTP down: clear notified_at so that the next run sends it
        logger.exception("exceedance notice %s could not be sent; it will be retried", event_pk)
        ExceedanceEvent.objects.filter(pk=event_pk).update(notified_at=None)


def _notify(station: Station, events: list[ExceedanceEvent], *, now: dt.datetime) -> None:
    if not events:
        return
    facility, officers = recipients_for(station)
    for event in events:
        event.notified_at = now
        event.save(update_fields=["notified_at"])
        if not facility and not officers:
            logger.warning("exceedance %s at %s: nobody to notify", event.pk, station.code)
            continue
        # One message per event: the facility's people see each other, the officers are in Bcc.
        message = exceedance_message(event, to=facility or officers, bcc=officers if facility else [])
        transaction.on_commit(lambda m=message, pk=event.pk: _send(m, pk))


def count_exceeding_windows(*, station: Station, start: dt.datetime, end: dt.datetime,
                            limits: StationLimits | None = None) -> dict[tuple[int, str], int]:
    """How many windows ending in (start, end] are over their limit, per (parameter id, averaging)."""
    limits = limits if limits is not None else station_limits(station)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    if not limits:
        return counts
    for w in window_means(station=station, start=start, end=end, parameter_ids=limits.parameter_ids,
                          averagings=limits.averagings):
        if exceeds(w.mean, limits.limit(w.parameter_id, w.averaging, w.start)):
            counts[(w.parameter_id, w.averaging)] += 1
    return counts
