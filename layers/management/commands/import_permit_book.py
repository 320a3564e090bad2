"""Import the permit tracking book (.xlsx) into facilities, permits and discharge streams:

    manage.py import_permit_book so_theo_doi_gpmt.xlsx --as canbo.so --dry-run

All-or-nothing: if any row is rejected, nothing is written.
"""
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from layers.imports.cli import actor_for, print_report
from layers.imports.permit_book import permit_book_import
from layers.imports.report import ImportRefused


class Command(BaseCommand):
    help = "Import the permit tracking book (.xlsx); all-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--as", dest="username", default=None, help="the user the import is made by")

    def handle(self, *args, **opts):
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = actor_for(opts["username"])
        try:
            report = permit_book_import(actor=actor, source=path, original_name=path.name, dry_run=opts["dry_run"])
        except ImportRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username} may not import the permit book.") from exc
        print_report(self, report)
