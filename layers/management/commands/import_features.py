"""Import features into a layer from GeoJSON, Shapefile (.zip), GeoPackage, KML or CSV:

    manage.py import_features facilities co_so.geojson --as canbo.so --dry-run
    manage.py import_features zones kcn.gpkg --layer-name kcn --as canbo.so
    manage.py import_features facilities co_so.csv --x-column X --y-column Y --srid 9210 --as canbo.so

All-or-nothing: if any row is rejected, nothing is written. CSV X/Y in VN-2000 follow
the Vietnamese survey order (X = northing, Y = easting).
"""
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from layers.imports.cli import actor_for, print_report
from layers.imports.features import features_import
from layers.imports.readers import ImportOptions
from layers.imports.report import ImportRefused
from layers.models import LAYER_MODELS


class Command(BaseCommand):
    help = "Import features into a layer (dry run with --dry-run); all-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("layer", choices=sorted(LAYER_MODELS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--layer-name", default="", help="layer inside a GeoPackage or a zip")
        parser.add_argument("--srid", type=int, default=None,
                            help="EPSG code when the file has none; for CSV, the system of the X/Y columns")
        parser.add_argument("--x-column", default="", help="CSV: longitude, or VN-2000 X (northing)")
        parser.add_argument("--y-column", default="", help="CSV: latitude, or VN-2000 Y (easting)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--as", dest="username", default=None, help="the user the import is made by")

    def handle(self, *args, **opts):
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = actor_for(opts["username"])
        options = ImportOptions(layer_name=opts["layer_name"], srid=opts["srid"], x_column=opts["x_column"],
                                y_column=opts["y_column"])
        try:
            report = features_import(actor=actor, layer=opts["layer"], source=path, original_name=path.name,
                                     options=options, dry_run=opts["dry_run"])
        except ImportRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username} may not import into {opts['layer']}.") from exc
        print_report(self, report)
