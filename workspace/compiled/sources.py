"""Traceability of the compiled reports: every figure printed comes from a recorded query.

A `SourceLog` runs each query (raw SQL, or an ORM queryset compiled to SQL) and keeps its
text, parameters and result rows. A `SourcedFigure` is one value read from one row of one
query: the row is named by its key columns (`row`), so that re-running the query's SQL with
its parameters and picking the same row gives the same value. The document's table of
sources lists every figure with its label, value and query (description, SQL, parameters).

A query may also be `derived`: its rows are the input of a pure function named in the
description (the daily AQI of Decision 1459 from the daily statistics). Its figures are
then values computed from the rows, and `derived` says how.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

Value = int | Decimal | None


@dataclass
class Query:
    """One statement run for the report: what it asks, its SQL and parameters, and its result."""

    ref: str  # "Q3": how figures and the table of sources point to it
    description: str
    sql: str
    params: list
    rows: list[dict] = field(default_factory=list)
    derived: str = ""  # how figures are computed from the rows, when they are not read from them

    def find(self, row: Mapping[str, Any] | None) -> dict | None:
        """The result row whose columns equal `row` (the first row when None)."""
        return find_row(self.rows, row)


@dataclass
class SourcedFigure:
    """A figure of the document and where it comes from."""

    ref: int  # its number in the table of sources
    key: str  # stable identifier, e.g. "hazardous_waste.total"
    label: str  # as printed (Vietnamese: the document's language)
    value: Value
    unit: str
    query: Query
    row: dict | None = None  # key columns of the row the value was read from (None: first row)
    column: str = "value"

    @property
    def sql(self) -> str:
        return self.query.sql

    @property
    def params(self) -> list:
        return self.query.params

    @property
    def selector(self) -> str:
        """The row, as printed: "ctnh_code = 18 02 01; is_total = false"."""
        if not self.row:
            return ""
        return "; ".join(f"{k} = {_literal(v)}" for k, v in self.row.items())


def find_row(rows: list[dict], row: Mapping[str, Any] | None) -> dict | None:
    """The first of `rows` whose columns equal those of `row` (the first row when None)."""
    if row is None:
        return rows[0] if rows else None
    for candidate in rows:
        if all(candidate.get(k) == v for k, v in row.items()):
            return candidate
    return None


def execute(sql: str, params: list) -> list[dict]:
    """Run `sql` and return its rows as dicts keyed by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def clean_value(value: Any) -> Value:
    """A database value as a figure: int when whole (counts, whole kg), else a normalised Decimal."""
    if value is None:
        return None
    if isinstance(value, (bool, int)):
        return int(value)
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return int(number)
    return number.normalize()


class SourceLog:
    """The queries run for one compiled report and the figures read from them, in order."""

    def __init__(self) -> None:
        self.queries: list[Query] = []
        self.figures: list[SourcedFigure] = []

    def _add(self, description: str, sql: str, params, rows: list[dict], derived: str = "") -> Query:
        query = Query(ref=f"Q{len(self.queries) + 1}", description=description, sql=sql,
                      params=list(params), rows=rows, derived=derived)
        self.queries.append(query)
        return query

    def run(self, description: str, sql: str, params=()) -> Query:
        """Run raw SQL and record it."""
        params = list(params)
        return self._add(description, sql, params, execute(sql, params))

    def orm(self, description: str, queryset: QuerySet) -> Query:
        """Run a queryset (values() or an aggregate-free query) through its compiled SQL, and record it."""
        sql, params = queryset.query.sql_with_params()
        return self.run(description, sql, params)

    @contextmanager
    def capture(self, description: str, *, derived: str) -> Iterator[list[Query]]:
        """Record the statements a selector runs inside the block (for figures computed from their rows)."""
        captured: list[tuple[str, list]] = []

        def wrapper(execute_, sql, params, many, context):
            captured.append((sql, list(params or ())))
            return execute_(sql, params, many, context)

        queries: list[Query] = []
        with connection.execute_wrapper(wrapper):
            yield queries
        # The rows are the selector's to use; not fetched twice (a year of readings is large).
        for sql, params in captured:
            queries.append(self._add(description, sql, params, [], derived=derived))

    def figure(self, query: Query, key: str, label: str, *, unit: str = "", row: Mapping[str, Any] | None = None,
               column: str = "value", value: Any = ..., missing: Any = None) -> SourcedFigure:
        """A figure read from `query` (the row matching `row`, its `column`), or `value` computed from
        its rows; `missing` when no row matches (0 for a count over a group that has no rows)."""
        if value is ...:
            found = query.find(row)
            value = missing if found is None else found.get(column)
        fig = SourcedFigure(ref=len(self.figures) + 1, key=key, label=label, value=clean_value(value), unit=unit,
                            query=query, row=None if row is None else dict(row), column=column)
        self.figures.append(fig)
        return fig

    def by_key(self) -> dict[str, SourcedFigure]:
        return {f.key: f for f in self.figures}


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def params_text(params: list) -> str:
    """Parameters as printed in the table of sources."""
    return ", ".join(f"${n}={_param_literal(p)}" for n, p in enumerate(params, start=1)) or "—"


def _param_literal(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(_param_literal(v) for v in value) + "}"
    if isinstance(value, str):
        return f"'{value}'"
    return _literal(value)
