"""`manage.py make_demo_pki [--out DIR]`: (re)generate the DEMO PKI of report signatures."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from reports.signing.demo_pki import generate_demo_pki


class Command(BaseCommand):
    help = "Generate the demo root CA, enterprise, expired, e-seal and TSA certificates (DEMO ONLY)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", type=Path, default=None,
                            help="Output directory (default: settings.DEMO_PKI_DIR, fixtures/demo/pki).")

    def handle(self, *args, out: Path | None = None, **options) -> None:
        out_dir = Path(out or settings.DEMO_PKI_DIR)
        written = generate_demo_pki(out_dir)
        for path in written:
            self.stdout.write(f"  {path}")
        self.stdout.write(self.style.SUCCESS(f"Demo PKI written to {out_dir} ({len(written)} files). DEMO ONLY."))
