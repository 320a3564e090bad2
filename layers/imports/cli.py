"""Shared helpers of the import management commands."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from layers.imports.report import ImportReport


def actor_for(username: str | None):
    """The user the import is recorded for: writes are audited and scoped in their name."""
    if not username:
        raise CommandError("Give --as <username>: imports are written, scoped and audited in a user's name.")
    try:
        return get_user_model().objects.select_related("organisation").get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No active user named {username!r}.") from None


def print_report(command, report: ImportReport) -> None:
    """Rows with messages, then the summary; an error exit when rows were rejected."""
    for note in report.notes:
        command.stdout.write(note)
    for row in report.rows:
        if row.messages or row.outcome == "reject":
            flag = " [review]" if row.needs_review else ""
            command.stdout.write(f"row {row.row} [{row.label}] {row.outcome}{flag}: {'; '.join(row.messages)}")
    counts = report.counts
    command.stdout.write(
        f"create {counts['create']}, update {counts['update']}, unchanged {counts['unchanged']}, "
        f"reject {counts['reject']}, needs review {counts['review']}")
    if report.rejected:
        raise CommandError(report.summary if report.aborted else
                           f"{counts['reject']} rows would be rejected; a real import would write nothing.")
    command.stdout.write(command.style.SUCCESS(report.summary))
