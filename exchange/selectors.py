"""The SQL of every exchanged collection, and who may read which fields of it.

Each collection is one `Source`: its FROM clause, the exchange rule (only approved register
entries, only accepted reports, only valid readings), and one typed SQL expression per public
field. `select_sql()` puts in the SELECT list exactly the fields it is given — a token's granted
fields — so a field outside a grant is never read from the database, let alone serialised.
The same SQL feeds the API (JSON, GeoJSON, CSV) and the data package (JSON, GeoJSON, GeoPackage).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from exchange.schema import COLLECTIONS, Collection
from geoportal.accounts.choices import Role
from geoportal.scopes import Capability, scope_for
from layers.querysets import PermitQuerySet

LOCAL_TZ = "Asia/Ho_Chi_Minh"  # settings.TIME_ZONE; a monitoring day is a Vietnamese calendar day (UTC+7)

# Output modes of select_sql(): how typed columns are rendered by PostgreSQL.
JSON, CSV, GPKG = "json", "csv", "gpkg"


@dataclass(frozen=True)
class Column:
    """One public field: its SQL expression, its type (docs/data-exchange.md) and the joins it needs."""

    sql: str
    type: str  # integer | number | string | date | datetime | json | geometry
    joins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """How one collection is read from the database."""

    key: str
    table: str  # FROM <table> t
    where: str  # the exchange rule, always applied
    columns: dict[str, Column]
    updated: str  # SQL of the record's last change, for ?updated_since=
    order: str
    scope_key: str  # SQL of the id matched against the officer's scoped queryset
    scope: Callable[[object], QuerySet]  # user -> queryset of the allowed scope_key values
    joins: dict[str, str] = field(default_factory=dict)  # alias -> JOIN clause
    where_joins: tuple[str, ...] = ()  # joins the WHERE clause and ordering always need
    group_by: str = ""  # aggregated collections: updated_since then filters in HAVING
    period: str = ""  # SQL of the timestamp or date a package period narrows; "" = a register
    period_is_year: bool = False  # reports: the period selects reporting years

    @property
    def collection(self) -> Collection:
        return COLLECTIONS[self.key]


def _facility_scope(user):
    from layers.models import Facility

    return Facility.objects.for_user_private(user).values("pk")


def _zone_scope(user):
    from layers.models import IndustrialZone

    return IndustrialZone.objects.for_user_private(user).values("pk")


def _permit_scope(user):
    from layers.models import Permit

    return Permit.objects.for_user(user).values("pk")


def _report_scope(user):
    from reports.models import Report

    return Report.objects.for_user(user).values("pk")


def _station_scope(user):
    from monitoring.models import Station

    return Station.objects.for_user_private(user).values("pk")


ORG_JOIN = "LEFT JOIN organisations_organisation {a} ON {a}.id = t.{col}"
UNIT_JOIN = "LEFT JOIN organisations_administrativeunit u ON u.id = t.admin_unit_id"
APPROVED = "'approved'"


SOURCES: dict[str, Source] = {s.key: s for s in (
    Source(
        key="facilities",
        table="layers_facility",
        where=f"t.approval_status = {APPROVED}",
        joins={
            "o": ORG_JOIN.format(a="o", col="owner_organisation_id"),
            "u": UNIT_JOIN,
            "z": "LEFT JOIN layers_industrialzone z ON z.id = t.zone_id",
            "s": "LEFT JOIN catalogues_catalogueentry s ON s.id = t.sector_id",
        },
        columns={
            "id": Column("t.id", "integer"),
            "name": Column("t.name", "string"),
            "tax_code": Column("t.tax_code", "string"),
            "business_registration": Column("t.business_registration", "string"),
            "address": Column("t.address", "string"),
            "representative": Column("t.representative", "string"),
            "contact_phone": Column("t.contact_phone", "string"),
            "owner": Column("o.name", "string", ("o",)),
            "commune_code": Column("u.code", "string", ("u",)),
            "commune": Column("u.name", "string", ("u",)),
            "zone_id": Column("t.zone_id", "integer"),
            "zone_code": Column("z.code", "string", ("z",)),
            "sector_code": Column("s.code", "string", ("s",)),
            "sector": Column("s.name_vi", "string", ("s",)),
            "activity": Column("t.activity", "string"),
            "capacity": Column("t.capacity", "string"),
            "operating_frequency": Column("t.operating_frequency", "string"),
            "project_group": Column("t.project_group", "string"),
            "permit_class": Column("t.permit_class", "string"),
            "status": Column("t.status", "string"),
            "updated_at": Column("t.updated_at", "datetime"),
            "geometry": Column("t.geom", "geometry"),
        },
        updated="t.updated_at",
        order="t.id",
        scope_key="t.id",
        scope=_facility_scope,
    ),
    Source(
        key="zones",
        table="layers_industrialzone",
        where=f"t.approval_status = {APPROVED}",
        joins={
            "mb": ORG_JOIN.format(a="mb", col="managing_board_id"),
            "inv": ORG_JOIN.format(a="inv", col="investor_organisation_id"),
            "u": UNIT_JOIN,
        },
        columns={
            "id": Column("t.id", "integer"),
            "name": Column("t.name", "string"),
            "code": Column("t.code", "string"),
            "kind": Column("t.kind", "string"),
            "area_ha": Column("t.area_ha", "number"),
            "occupancy_pct": Column("t.occupancy_pct", "number"),
            "managing_board": Column("mb.name", "string", ("mb",)),
            "investor": Column("inv.name", "string", ("inv",)),
            "established_by": Column("t.established_by", "string"),
            "cwwtp_status": Column("t.cwwtp_status", "string"),
            "commune_code": Column("u.code", "string", ("u",)),
            "commune": Column("u.name", "string", ("u",)),
            "updated_at": Column("t.updated_at", "datetime"),
            "geometry": Column("t.geom", "geometry"),
        },
        updated="t.updated_at",
        order="t.id",
        scope_key="t.id",
        scope=_zone_scope,
    ),
    Source(
        key="permits",
        table="layers_permit",
        where=f"t.approval_status = {APPROVED}",
        joins={"iss": "LEFT JOIN catalogues_catalogueentry iss ON iss.id = t.issuer_id"},
        columns={
            "id": Column("t.id", "integer"),
            "number": Column("t.number", "string"),
            "symbol": Column("t.symbol", "string"),
            "kind": Column("t.kind", "string"),
            "signed_on": Column("t.signed_on", "date"),
            "expires_on": Column(PermitQuerySet.expiry_sql("t"), "date"),
            "term_years": Column("t.term_years", "integer"),
            "issuer": Column("iss.name_vi", "string", ("iss",)),
            "signer": Column("t.signer", "string"),
            "facility_id": Column("t.facility_id", "integer"),
            "zone_id": Column("t.zone_id", "integer"),
            "supersedes_id": Column("t.supersedes_id", "integer"),
            "revoked_on": Column("t.revoked_on", "date"),
            "hazardous_waste_kg_year": Column("t.hazardous_waste_kg_year", "number"),
            "industrial_solid_waste_kg_year": Column("t.industrial_solid_waste_kg_year", "number"),
            "domestic_solid_waste_kg_year": Column("t.domestic_solid_waste_kg_year", "number"),
            "updated_at": Column("t.updated_at", "datetime"),
        },
        updated="t.updated_at",
        order="t.id",
        scope_key="t.id",
        scope=_permit_scope,
    ),
    Source(
        key="discharge_streams",
        table="layers_dischargestream",
        where=f"p.approval_status = {APPROVED}",
        joins={"p": "JOIN layers_permit p ON p.id = t.permit_id"},
        where_joins=("p",),
        columns={
            "id": Column("t.id", "integer"),
            "permit_id": Column("t.permit_id", "integer"),
            "code": Column("t.code", "string"),
            "kind": Column("t.kind", "string"),
            "max_flow": Column("t.max_flow", "number"),
            "flow_unit": Column("t.flow_unit", "string"),
            "regulation": Column("t.regulation", "string"),
            "regulation_column": Column("t.regulation_column", "string"),
            "receiving_body": Column("t.receiving_body", "string"),
            # A stream has no timestamp of its own; it is edited with its permit.
            "updated_at": Column("p.updated_at", "datetime", ("p",)),
            "geometry": Column("t.outfall", "geometry"),
        },
        updated="p.updated_at",
        order="t.id",
        scope_key="t.permit_id",
        scope=_permit_scope,
    ),
    Source(
        key="reports",
        table="reports_report",
        where="t.status = 'accepted'",
        joins={
            "f": "JOIN reports_formdefinition f ON f.id = t.form_id",
            "o": ORG_JOIN.format(a="o", col="organisation_id"),
            "u": UNIT_JOIN,
            # The data of the latest submission (the copy of record), as reports.analytics reads it.
            "d": ("LEFT JOIN LATERAL (SELECT COALESCE((SELECT s.data FROM reports_reportsubmission s "
                  "WHERE s.report_id = t.id ORDER BY s.revision DESC LIMIT 1), t.data) AS data) d ON TRUE"),
        },
        columns={
            "id": Column("t.id", "integer"),
            "facility_id": Column("t.facility_id", "integer"),
            "zone_id": Column("t.zone_id", "integer"),
            "organisation": Column("o.name", "string", ("o",)),
            "year": Column("t.year", "integer"),
            "form_code": Column("f.code", "string", ("f",)),
            "form_version": Column("f.version", "string", ("f",)),
            "status": Column("t.status", "string"),
            "revision": Column("t.revision", "integer"),
            "number": Column("t.number", "string"),
            "report_date": Column("t.report_date", "date"),
            "commune_code": Column("u.code", "string", ("u",)),
            "accepted_at": Column("t.reviewed_at", "datetime"),
            "fields": Column("COALESCE(d.data -> 'fields', '{}'::jsonb)", "json", ("d",)),
            "tables": Column("COALESCE(d.data -> 'tables', '{}'::jsonb)", "json", ("d",)),
            "updated_at": Column("t.updated_at", "datetime"),
        },
        updated="t.updated_at",
        order="t.id",
        scope_key="t.id",
        scope=_report_scope,
        period="t.year",
        period_is_year=True,
    ),
    Source(
        key="stations",
        table="monitoring_station",
        where=f"t.approval_status = {APPROVED}",
        joins={
            "op": ORG_JOIN.format(a="op", col="operator_id"),
            "u": UNIT_JOIN,
        },
        columns={
            "id": Column("t.id", "integer"),
            "code": Column("t.code", "string"),
            "name": Column("t.name", "string"),
            "kind": Column("t.kind", "string"),
            "mode": Column("t.mode", "string"),
            "facility_id": Column("t.facility_id", "integer"),
            "operator": Column("op.name", "string", ("op",)),
            "commune_code": Column("u.code", "string", ("u",)),
            "transmits_since": Column("t.transmits_since", "date"),
            "last_reading_at": Column("t.last_reading_at", "datetime"),
            "parameters": Column(
                "(SELECT COALESCE(jsonb_agg(pp.code ORDER BY pp.code), '[]'::jsonb) "
                "FROM monitoring_stationparameter sp JOIN monitoring_parameter pp ON pp.id = sp.parameter_id "
                "WHERE sp.station_id = t.id)", "json"),
            "updated_at": Column("t.updated_at", "datetime"),
            "geometry": Column("t.geom", "geometry"),
        },
        updated="t.updated_at",
        order="t.id",
        scope_key="t.id",
        scope=_station_scope,
    ),
    Source(
        key="monitoring_daily",
        table="monitoring_reading",
        # Only values measured in normal operation: calibration and error values are not data
        # (Circular 10/2021 Art. 39); ReadingStatus.MEASURING = 0.
        where=f"s.approval_status = {APPROVED} AND t.status = 0",
        joins={
            "s": "JOIN monitoring_station s ON s.id = t.station_id",
            "p": "JOIN monitoring_parameter p ON p.id = t.parameter_id",
            "un": "JOIN monitoring_unit un ON un.id = p.unit_id",
        },
        where_joins=("s", "p", "un"),
        columns={
            "station_id": Column("s.id", "integer"),
            "station_code": Column("s.code", "string"),
            "parameter": Column("p.code", "string"),
            "unit": Column("un.code", "string"),
            "day": Column(f"(t.observed_at AT TIME ZONE '{LOCAL_TZ}')::date", "date"),
            "mean": Column("avg(t.value)", "number"),
            "min": Column("min(t.value)", "number"),
            "max": Column("max(t.value)", "number"),
            "count": Column("count(*)", "integer"),
            "updated_at": Column("max(t.received_at)", "datetime"),
        },
        updated="max(t.received_at)",
        order=f"s.id, p.code, (t.observed_at AT TIME ZONE '{LOCAL_TZ}')::date",
        scope_key="t.station_id",
        scope=_station_scope,
        group_by=f"s.id, p.id, un.id, (t.observed_at AT TIME ZONE '{LOCAL_TZ}')::date",
        period="t.observed_at",
    ),
    Source(
        key="exceedances",
        table="monitoring_exceedanceevent",
        where=f"s.approval_status = {APPROVED}",
        joins={
            "s": "JOIN monitoring_station s ON s.id = t.station_id",
            "p": "JOIN monitoring_parameter p ON p.id = t.parameter_id",
        },
        where_joins=("s",),
        columns={
            "id": Column("t.id", "integer"),
            "station_id": Column("t.station_id", "integer"),
            "station_code": Column("s.code", "string", ("s",)),
            "parameter": Column("p.code", "string", ("p",)),
            "averaging": Column("t.averaging", "string"),
            "started_at": Column("t.started_at", "datetime"),
            "ended_at": Column("t.ended_at", "datetime"),
            "peak_value": Column("t.peak_value", "number"),
            "peak_at": Column("t.peak_at", "datetime"),
            "limit_lower": Column("t.limit_lower", "number"),
            "limit_upper": Column("t.limit_upper", "number"),
            "limit_source": Column("t.limit_source", "string"),
            "windows": Column("t.windows", "integer"),
            # An event has no timestamp of its own: it changes when it grows (peak), ends or is notified.
            "updated_at": Column("GREATEST(t.started_at, t.peak_at, t.ended_at, t.notified_at)", "datetime"),
        },
        updated="GREATEST(t.started_at, t.peak_at, t.ended_at, t.notified_at)",
        order="t.id",
        scope_key="t.station_id",
        scope=_station_scope,
        period="t.started_at",
    ),
)}


# --- who reads what ----------------------------------------------------------------------

@dataclass(frozen=True)
class Access:
    """What one caller reads of one collection: these fields, of these rows."""

    collection: Collection
    fields: tuple[str, ...]
    # None: the whole city (the exchange rule only); else a queryset of allowed scope keys.
    restrict: QuerySet | None = None


def exchange_access(*, user, token, key: str) -> Access | None:
    """The fields and rows of collection `key` that `user` (authenticated with `token`, an
    ApiToken or None for a session) may read; None when the collection is not theirs to read.

    - A connection account reads through a token only: the collections its agreement grants,
      limited to the granted fields, over the whole city (approved data only).
    - An officer (Capability.WORKSPACE) reads every field within their own scope; through a
      token whose grants restrict it, only the granted fields.
    - Anyone else (an enterprise, a connection account's session) reads nothing here.
    """
    from geoportal.accounts.models import ALL_FIELDS, ApiToken

    collection = COLLECTIONS.get(key)
    if collection is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    scope = scope_for(user)
    token = token if isinstance(token, ApiToken) else None
    if Role.CONNECTION in scope.roles and not (scope.capabilities & {Capability.WORKSPACE}):
        # An agreement with no grants grants nothing (ApiToken.granted_fields reads an empty
        # grant as "unrestricted" for the tokens of officers and scripts, not for agencies).
        if token is None or not token.is_restricted:
            return None
        granted = token.granted_fields(key)
        if granted is None:
            return None
        return Access(collection, collection.allowed(granted, all_fields=ALL_FIELDS), None)
    if Capability.WORKSPACE not in scope.capabilities:
        return None
    granted = token.granted_fields(key) if token is not None else ALL_FIELDS
    if granted is None:
        return None
    fields = collection.allowed(granted, all_fields=ALL_FIELDS)
    restrict = None if scope.everything else SOURCES[key].scope(user)
    return Access(collection, fields, restrict)


def readable_collections(*, user, token) -> list[Access]:
    """Every collection the caller may read, in schema order."""
    found = (exchange_access(user=user, token=token, key=key) for key in COLLECTIONS)
    return [access for access in found if access is not None]


def full_access(key: str) -> Access:
    """Every field of the whole city: what the data package holds."""
    collection = COLLECTIONS[key]
    return Access(collection, collection.fields, None)


# --- the SQL ------------------------------------------------------------------------------

def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _render(column: Column, mode: str) -> str:
    """The column's SQL for an output mode."""
    sql = column.sql
    if column.type == "geometry":
        if mode == JSON:
            # 7 decimals of a degree is about 1 cm: more is noise from reprojection.
            return f"ST_AsGeoJSON({sql}, 7)::json"
        if mode == CSV:
            return f"ST_AsText({sql})"
        return f"ST_AsBinary({sql})"
    if mode == CSV:
        # One text rendering for every type: ISO dates and times, plain numbers, JSON text.
        return f"to_jsonb({sql}) #>> '{{}}'"
    if mode == GPKG:
        if column.type == "number":
            return f"({sql})::float8"
        if column.type in ("json", "date", "datetime"):
            return f"to_jsonb({sql}) #>> '{{}}'"
    return sql


@dataclass(frozen=True)
class Filters:
    """What narrows the rows: a change date (API) or a period (packages)."""

    updated_since: dt.datetime | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


def _restrict_sql(source: Source, restrict: QuerySet | None) -> tuple[str, list]:
    if restrict is None:
        return "", []
    try:
        sql, params = restrict.order_by().query.sql_with_params()
    except EmptyResultSet:  # a scope that can see nothing compiles to no SQL
        return "FALSE", []
    return f"{source.scope_key} IN ({sql})", list(params)


def _period_sql(source: Source, filters: Filters) -> tuple[list[str], list]:
    if not source.period or (filters.period_start is None and filters.period_end is None):
        return [], []
    clauses, params = [], []
    if source.period_is_year:
        if filters.period_start:
            clauses.append(f"{source.period} >= %s")
            params.append(filters.period_start.year)
        if filters.period_end:
            clauses.append(f"{source.period} <= %s")
            params.append(filters.period_end.year)
        return clauses, params
    # Timestamps: local calendar days, [start 00:00, end + 1 day 00:00) in Vietnam time;
    # bounds on the bare column let PostgreSQL prune the readings' monthly partitions.
    from monitoring.selectors import local_midnight

    if filters.period_start:
        clauses.append(f"{source.period} >= %s")
        params.append(local_midnight(filters.period_start))
    if filters.period_end:
        clauses.append(f"{source.period} < %s")
        params.append(local_midnight(filters.period_end + dt.timedelta(days=1)))
    return clauses, params


def select_sql(access: Access, *, mode: str = JSON, filters: Filters | None = None,
               limit: int | None = None, offset: int = 0, row_number: bool = True) -> tuple[str, list]:
    """SELECT of the granted fields of `access` (each aliased by its public name), plus
    `_row` (the record's position) unless `row_number` is False.

    :param mode: JSON (geometry as GeoJSON), CSV (every value as text, geometry as WKT) or
        GPKG (geometry as WKB, numbers as float8, other non-scalars as text)
    :returns: (sql, params) for a Django cursor
    """
    source = SOURCES[access.collection.key]
    filters = filters or Filters()
    select = [f"{_render(source.columns[name], mode)} AS {quote(name)}" for name in access.fields]
    if row_number:
        select.append(f"row_number() OVER (ORDER BY {source.order}) AS _row")
    # With no field granted the list stays empty: PostgreSQL accepts "SELECT FROM …" (rows, no columns).
    needed = list(source.where_joins)
    for name in access.fields:
        needed.extend(source.columns[name].joins)
    joins = [source.joins[alias] for alias in source.joins if alias in needed]
    where, params = [source.where], []
    restrict, restrict_params = _restrict_sql(source, access.restrict)
    if restrict:
        where.append(restrict)
        params.extend(restrict_params)
    period, period_params = _period_sql(source, filters)
    where.extend(period)
    params.extend(period_params)
    sql = f"SELECT {', '.join(select)} FROM {source.table} t {' '.join(joins)} WHERE {' AND '.join(where)}"
    if source.group_by:
        sql += f" GROUP BY {source.group_by}"
    if filters.updated_since is not None:
        sql += f" {'HAVING' if source.group_by else 'AND'} {source.updated} >= %s"
        params.append(filters.updated_since)
    sql += f" ORDER BY {source.order}"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params.extend([limit, offset])
    return sql, params


def count_sql(access: Access, *, filters: Filters | None = None) -> tuple[str, list]:
    """SELECT count(*) of the records `access` reads."""
    inner, params = select_sql(Access(access.collection, (), access.restrict), filters=filters, row_number=False)
    return f"SELECT count(*) FROM ({inner}) c", params


def field_types(key: str) -> dict[str, str]:
    """{public field: type} of a collection, for the manifest and the docs."""
    return {name: column.type for name, column in SOURCES[key].columns.items()}


def check_sources(keys: Iterable[str] = COLLECTIONS) -> None:
    """Fail loudly when the schema and the SQL disagree (run by the tests and at import)."""
    for key in keys:
        collection = COLLECTIONS[key]
        columns = SOURCES[key].columns
        if tuple(columns) != collection.fields:
            raise AssertionError(f"exchange: {key} columns {tuple(columns)} != schema {collection.fields}")
        if ("geometry" in columns) != collection.geometry:
            raise AssertionError(f"exchange: {key} geometry flag disagrees with its columns")


check_sources()
