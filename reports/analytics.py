"""Queries across received annual reports (issue 5, "Review"): totals of their structured
data (the report data contract: data["tables"][table] is a list of rows) by commune, zone,
sector, form or facility, e.g. hazardous waste in kg by commune in 2025.

Everything runs in one SQL statement per question: the rows of a report table are
expanded with jsonb_array_elements in a lateral join, numbers are cast only when they
look like the canonical decimal strings of the data contract (a draft may keep what the
user typed, such as "1.234,5"; such a value is counted as ignored, never summed), and
the grand total comes from the same statement (GROUPING SETS). The reports considered
are exactly Report.objects.for_user(user).received(), used as a subquery of ids; the
data of a report is that of its latest submission (the copy of record), so that edits
to a returned report do not count before they are submitted again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geoportal.catalogues.models import CatalogueEntry
from geoportal.organisations.models import AdministrativeUnit
from layers.models import Facility, IndustrialZone
from reports.models import FormDefinition, Report, ReportSubmission

# A canonical decimal string (data contract: "1234.5", "." as the decimal point, no
# thousands separators); bounded so that the cast to numeric cannot fail.
NUMBER_RE = r"^\s*-?[0-9]{1,28}(\.[0-9]{1,20})?\s*$"
MONITORING_TABLES = ("wastewater_monitoring", "emission_monitoring")


@dataclass(frozen=True)
class Measure:
    """What is totalled: the sum of a decimal column, or a count of exceeding rows."""

    label: Any
    tables: tuple[str, ...]
    value: str | None  # the decimal column summed; None: count rows with "exceeds" = true
    unit: str
    detail: str | None = None  # the column of the optional breakdown
    detail_label: Any = ""

    @property
    def is_count(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Dimension:
    """How results are grouped: SQL for the group key and label, and the joins they need."""

    label: Any
    key_sql: str
    label_sql: str
    joins: str = ""
    localised: bool = False  # label_sql takes one parameter: whether English names are wanted


MEASURES: dict[str, Measure] = {
    "hazardous_waste_kg": Measure(_("Hazardous waste"), ("hazardous_waste",), "quantity_kg", "kg",
                                  detail="ctnh_code", detail_label=_("CTNH code")),
    "wastewater_m3": Measure(_("Wastewater discharged"), ("wastewater_works",), "volume_m3_year", "m³"),
    "solid_waste_kg": Measure(_("Ordinary solid waste"), ("solid_waste",), "quantity_kg", "kg",
                              detail="waste_kind", detail_label=_("Waste kind")),
    "exceedances": Measure(_("Monitoring results above the limit"), MONITORING_TABLES, None, "",
                           detail="parameter", detail_label=_("Parameter")),
    "wastewater_exceedances": Measure(_("Wastewater results above the limit"), ("wastewater_monitoring",), None,
                                      "", detail="parameter", detail_label=_("Parameter")),
    "emission_exceedances": Measure(_("Emission results above the limit"), ("emission_monitoring",), None, "",
                                    detail="parameter", detail_label=_("Parameter")),
}

_UNIT = AdministrativeUnit._meta.db_table
_ZONE = IndustrialZone._meta.db_table
_FACILITY = Facility._meta.db_table
_ENTRY = CatalogueEntry._meta.db_table

DIMENSIONS: dict[str, Dimension] = {
    "commune": Dimension(_("Commune"), "au.id::text", "au.name",
                         f"LEFT JOIN {_UNIT} au ON au.id = src.admin_unit_id"),
    # The zone the facility lay in when it reported; a form-06 report is its zone's own.
    "zone": Dimension(_("Zone"), "dz.id::text", "dz.name",
                      f"LEFT JOIN {_ZONE} dz ON dz.id = COALESCE(src.in_zone_id, src.zone_id)"),
    "sector": Dimension(_("Sector"), "ce.id::text",
                        "CASE WHEN %s AND ce.name_en <> '' THEN ce.name_en ELSE ce.name_vi END",
                        f"LEFT JOIN {_FACILITY} sf ON sf.id = src.facility_id "
                        f"LEFT JOIN {_ENTRY} ce ON ce.id = sf.sector_id", localised=True),
    "form": Dimension(_("Form"), "src.form_code", "src.form_code"),
    # The filer: the facility, or the zone for its investor's form-06 report.
    "facility": Dimension(_("Facility"), "COALESCE('f' || ff.id, 'z' || fz.id)", "COALESCE(ff.name, fz.name)",
                          f"LEFT JOIN {_FACILITY} ff ON ff.id = src.facility_id "
                          f"LEFT JOIN {_ZONE} fz ON fz.id = src.zone_id"),
}


@dataclass
class AnalyticsResult:
    """The groups of one query, its grand total and what was asked."""

    measure: Measure
    dimension: Dimension
    rows: list[dict] = field(default_factory=list)
    total: dict = field(default_factory=dict)


def _pk(value: Model | int | str | None) -> int | None:
    if value in (None, ""):
        return None
    return int(value.pk if isinstance(value, Model) else value)


def scoped_reports(*, user, year: int, form: str | None = None, commune: Model | int | None = None,
                   zone: Model | int | None = None):
    """The received reports of `year` the user may see, narrowed by the filters."""
    qs = Report.objects.for_user(user).received().for_year(int(year))
    if form:
        qs = qs.filter(form__code=form)
    if (commune_id := _pk(commune)) is not None:
        qs = qs.filter(admin_unit_id=commune_id)
    if (zone_id := _pk(zone)) is not None:
        qs = qs.filter(Q(in_zone_id=zone_id) | Q(zone_id=zone_id))
    return qs


def source_cte(reports) -> tuple[str, list]:
    """`src`: one row per report in scope, with the data of its latest submission."""
    try:
        ids_sql, ids_params = reports.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that can see nothing (Q(pk__in=[])) compiles to no SQL
        ids_sql, ids_params = "SELECT NULL::bigint WHERE FALSE", ()
    sql = f"""src AS (
        SELECT r.id, r.facility_id, r.zone_id, r.admin_unit_id, r.in_zone_id, fd.code AS form_code,
               COALESCE((SELECT s.data FROM {ReportSubmission._meta.db_table} s WHERE s.report_id = r.id
                         ORDER BY s.revision DESC LIMIT 1), r.data) AS data
        FROM {Report._meta.db_table} r JOIN {FormDefinition._meta.db_table} fd ON fd.id = r.form_id
        WHERE r.id IN ({ids_sql}))"""
    return sql, list(ids_params)


# The rows of the named tables of src.data; anything but a JSON array counts as no rows.
ROWS_SQL = """CROSS JOIN LATERAL unnest(%s::text[]) AS tbl(name)
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(src.data -> 'tables' -> tbl.name) = 'array'
                 THEN src.data -> 'tables' -> tbl.name ELSE '[]'::jsonb END) AS e(value)"""
_NUMBER = f"CASE WHEN (e.value ->> %s) ~ '{NUMBER_RE}' THEN (e.value ->> %s)::numeric END"
_OBJECT = "jsonb_typeof(e.value) = 'object'"  # a row is an object; anything else in the list is junk
_EXCEEDS = "(e.value -> 'exceeds') = 'true'::jsonb"


def measure_sql(m) -> tuple[str, list, str, str]:
    """A measure's SQL over the table rows `e.value` of FROM src ROWS_SQL: (value expression,
    its parameters, WHERE condition, aggregate of `val`). Counts count exceeding rows; sums
    add the numbers that read as numbers (others stay NULL and are counted as ignored)."""
    if m.is_count:
        return "1", [], f"{_OBJECT} AND {_EXCEEDS}", "COUNT(*)"
    return _NUMBER, [m.value, m.value], _OBJECT, "COALESCE(SUM(val), 0)"


def query_table(*, user, measure: str, dimension: str, year: int, form: str | None = None,
                commune: Model | int | None = None, zone: Model | int | None = None,
                breakdown: bool = False) -> AnalyticsResult:
    """`measure` by `dimension` over the received reports of `year` in the user's scope,
    with the grand total; `breakdown` adds the measure's detail column (CTNH code, waste
    kind or parameter) as a second grouping."""
    try:
        m, d = MEASURES[measure], DIMENSIONS[dimension]
    except KeyError as exc:
        raise ValueError(f"unknown measure or dimension: {exc}") from None
    reports = scoped_reports(user=user, year=year, form=form, commune=commune, zone=zone)
    src_sql, params = source_cte(reports)
    select = [d.key_sql + " AS dim_key", d.label_sql + " AS dim_label"]
    if d.localised:
        params.append((get_language() or "vi").startswith("en"))
    if breakdown and m.detail:
        select.append("NULLIF(btrim(e.value ->> %s), '') AS detail")
        params.append(m.detail)
    else:
        select.append("NULL::text AS detail")
    val_sql, val_params, where, value_sql = measure_sql(m)
    select.append(f"{val_sql} AS val")
    params += val_params
    select += ["src.id AS report_id", "NULLIF(btrim(e.value ->> 'parameter'), '') AS parameter"]
    params.append(list(m.tables))
    sql = f"""WITH {src_sql},
    x AS (SELECT {", ".join(select)}
          FROM src {ROWS_SQL}
          {d.joins}
          WHERE {where})
    SELECT GROUPING(dim_key, dim_label, detail) > 0 AS is_total, dim_key, dim_label, detail,
           {value_sql} AS value, COUNT(DISTINCT report_id) AS reports, COUNT(val) AS counted,
           COUNT(*) - COUNT(val) AS ignored,
           array_remove(array_agg(DISTINCT parameter ORDER BY parameter), NULL) AS parameters
    FROM x
    GROUP BY GROUPING SETS ((dim_key, dim_label, detail), ())
    ORDER BY is_total, value DESC, dim_label NULLS LAST, detail NULLS LAST"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        fetched = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    result = AnalyticsResult(measure=m, dimension=d)
    for row in fetched:
        row["value"] = int(row["value"]) if m.is_count else Decimal(row["value"])
        if not m.is_count:
            row.pop("parameters")
        if row.pop("is_total"):
            result.total = row
        else:
            result.rows.append(row)
    return result


def aggregate(*, user, measure: str, dimension: str, year: int, **filters) -> list[dict]:
    """`measure` by `dimension` for `year` over the user's received reports: a list of
    {"dim_key", "dim_label", "detail", "value", "reports", "counted", "ignored"[, "parameters"]},
    largest value first. Filters: form (code), commune, zone (object or id), breakdown."""
    return query_table(user=user, measure=measure, dimension=dimension, year=year, **filters).rows


def exceedance_facilities(*, user, year: int, table: str = "wastewater_monitoring") -> list[dict]:
    """Filers whose monitoring results in `table` broke the limit in their reports for
    `year`: {"report_id", "facility_id", "zone_id", "name", "commune", "zone", "count",
    "parameters"}, most exceedances first."""
    if table not in MONITORING_TABLES:
        raise ValueError(f"not a monitoring table: {table}")
    src_sql, params = source_cte(scoped_reports(user=user, year=year))
    params.append([table])
    sql = f"""WITH {src_sql}
    SELECT src.id AS report_id, src.facility_id, src.zone_id, COALESCE(ff.name, fz.name) AS name,
           au.name AS commune, dz.name AS zone, COUNT(*) AS count,
           array_remove(array_agg(DISTINCT NULLIF(btrim(e.value ->> 'parameter'), '')
                                  ORDER BY NULLIF(btrim(e.value ->> 'parameter'), '')), NULL) AS parameters
    FROM src {ROWS_SQL}
    LEFT JOIN {_FACILITY} ff ON ff.id = src.facility_id
    LEFT JOIN {_ZONE} fz ON fz.id = src.zone_id
    LEFT JOIN {_UNIT} au ON au.id = src.admin_unit_id
    LEFT JOIN {_ZONE} dz ON dz.id = COALESCE(src.in_zone_id, src.zone_id)
    WHERE {_OBJECT} AND {_EXCEEDS}
    GROUP BY src.id, src.facility_id, src.zone_id, ff.name, fz.name, au.name, dz.name
    ORDER BY count DESC, name"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

