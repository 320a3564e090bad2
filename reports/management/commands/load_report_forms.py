"""Load the annual report form versions from fixtures/reports/forms/ (idempotent):

    manage.py load_report_forms [--dir PATH]

Each file is validated first; nothing is written when any file is malformed. A file
whose SHA-256 did not change since the last load is left alone.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.domain.forms import DefinitionError
from reports.formdefs import UNCHANGED, load_form_definitions


class Command(BaseCommand):
    help = "Load the annual report form definitions (fixtures/reports/forms/*.json)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", type=Path, default=None,
                            help="directory of form definition files (default: fixtures/reports/forms)")

    def handle(self, *args, **opts):
        directory = opts["directory"]
        if directory is not None and not directory.is_dir():
            raise CommandError(f"{directory}: no such directory")
        try:
            forms = load_form_definitions(directory)
        except DefinitionError as exc:
            raise CommandError(f"Form definition not loaded: {exc}") from exc
        for form in forms:
            style = self.style.SUCCESS if form.load_outcome != UNCHANGED else (lambda text: text)
            self.stdout.write(style(f"{form.code} {form.version}: {form.load_outcome} "
                                    f"(effective from {form.effective_from:%d/%m/%Y}, sha256 {form.sha256[:12]}…)"))
        if not forms:
            self.stdout.write("No form definition files found.")
