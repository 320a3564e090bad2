"""Replace the demo boundaries with real ones:

    manage.py import_admin_units boundaries.gpkg --layer xa --code-field ma_xa --name-field ten_xa
    manage.py import_admin_units hp.zip --srid 9210 --dry-run
"""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from geoportal.organisations.services import ImportAborted, admin_units_import


class Command(BaseCommand):
    help = "Import commune-level boundaries (GeoJSON, Shapefile .shp/.zip, GeoPackage), all-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--layer", default=None, help="layer name in a GeoPackage")
        parser.add_argument("--code-field", default="code")
        parser.add_argument("--name-field", default="name")
        parser.add_argument("--kind-field", default="kind", help="values: phuong, xa, dac_khu")
        parser.add_argument("--srid", type=int, default=None, help="EPSG code when the file has no CRS")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--approximate", action="store_true", help="mark the boundaries approximate")

    def handle(self, *args, **opts):
        path: Path = opts["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            report = admin_units_import(
                actor=None, path=path, layer=opts["layer"], code_field=opts["code_field"],
                name_field=opts["name_field"], kind_field=opts["kind_field"], source_srid=opts["srid"],
                dry_run=opts["dry_run"], approximate=opts["approximate"],
            )
        except ImportAborted as exc:
            for row in exc.report.rejected:
                self.stderr.write(f"row {row.row} [{row.code} {row.name}]: {'; '.join(row.messages)}")
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for row in report.rows:
            if row.messages:
                self.stdout.write(f"row {row.row} [{row.code} {row.name}]: {'; '.join(row.messages)}")
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(self.style.SUCCESS(
            f"{report.count('create')} units {verb} created, {report.count('update')} updated, "
            f"{report.count('unchanged')} unchanged."))
