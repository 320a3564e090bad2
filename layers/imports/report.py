"""The report of an import (dry run or real): one line per row, and the counts."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"
OUTCOMES = (CREATE, UPDATE, UNCHANGED, REJECT)


class ImportRefused(ValidationError):
    """The file as a whole is refused (size, type, archive limits, unreadable, missing
    columns, too many rows): nothing is read further and nothing is written."""

    def __init__(self, message: str):
        super().__init__(message, code="import_refused")


@dataclass
class RowReport:
    """What happens (or would happen) to one row of the file."""

    row: int
    label: str = ""
    outcome: str = CREATE
    needs_review: bool = False
    messages: list[str] = field(default_factory=list)
    object_id: int | None = None

    def reject(self, message: str) -> None:
        self.outcome = REJECT
        self.messages.append(message)

    def review(self, note: str) -> None:
        self.needs_review = True
        self.messages.append(note)


@dataclass
class ImportReport:
    """Per-row outcomes and counts. `aborted` is set when a real import wrote nothing
    because some row was rejected (all-or-nothing)."""

    kind: str  # "features" or "permit-book"
    layer: str
    file_format: str
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source_srid: int | None = None
    aborted: bool = False

    def conclude(self, *, dry_run: bool) -> None:
        """End an import inside its transaction: a dry run, or any rejected row, rolls
        everything back (all-or-nothing); ids of rolled-back rows are cleared."""
        from django.db import transaction

        if self.rejected and not dry_run:
            self.aborted = True
        if dry_run or self.rejected:
            transaction.set_rollback(True)
            for row in self.rows:  # ids of rolled-back rows mean nothing
                if row.outcome == CREATE:
                    row.object_id = None

    def add(self, row: RowReport) -> RowReport:
        self.rows.append(row)
        return row

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        counts["review"] = sum(1 for row in self.rows if row.needs_review)
        counts["total"] = len(self.rows)
        return counts

    @property
    def rejected(self) -> list[RowReport]:
        return [row for row in self.rows if row.outcome == REJECT]

    @property
    def summary(self) -> str:
        c = self.counts
        if self.aborted:
            return _("%(n)d rows were rejected; nothing was imported.") % {"n": c[REJECT]}
        if self.dry_run:
            text = _("Dry run: %(create)d to create, %(update)d to update, %(unchanged)d unchanged, "
                     "%(reject)d rejected, %(review)d to review.")
        else:
            text = _("Imported: %(create)d created, %(update)d updated, %(unchanged)d unchanged, "
                     "%(review)d to review.")
        return text % c

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts
        data["summary"] = self.summary
        return data
